"""Pages with two providers: Get code, the Models page, the picker's fragment, the forms."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from playground.catalog import selectors
from playground.chat.forms import ChatSendForm
from playground.chat.models import Conversation, Turn
from playground.llm.errors import UpstreamError
from playground.llm.models_api import RemoteModel
from playground.llm.providers import Provider
from playground.llm.runspec import Message
from playground.runs.settings import RunSettings
from tests.providers.conftest import OPENAI_URL

pytestmark = pytest.mark.django_db

GEMINI_IDS = ["models/gemini-2.5-flash", "models/gemini-3-flash-preview"]
OPENAI_IDS = ["gpt-4o-mini", "o4-mini"]


@pytest.fixture
def local_down(monkeypatch: pytest.MonkeyPatch, two_providers) -> list[str]:
    """The emulator lists its models; "local" refuses the connection."""
    asked: list[str] = []

    async def list_models(provider: Provider) -> list[RemoteModel]:
        asked.append(provider.name)
        if provider.name == "local":
            raise UpstreamError(
                "Could not reach the model endpoint ([Errno 111] Connection refused).",
                kind="connection",
            )
        return [RemoteModel.from_api({"id": model_id}) for model_id in GEMINI_IDS]

    monkeypatch.setattr(selectors, "list_models", list_models)
    return asked


@pytest.fixture
def both_up(monkeypatch: pytest.MonkeyPatch, two_providers) -> None:
    async def list_models(provider: Provider) -> list[RemoteModel]:
        ids = OPENAI_IDS if provider.name == "local" else GEMINI_IDS
        return [RemoteModel.from_api({"id": model_id}) for model_id in ids]

    monkeypatch.setattr(selectors, "list_models", list_models)


def test_get_code_prints_the_providers_address_and_key_variable(
    signed_in, two_providers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCAL_KEY", "sk-secret-never-shown-1234567890")
    user = Conversation._meta.get_field("user").related_model.objects.get(username="ada")
    conversation = Conversation.objects.create(user=user, title="Local")
    spec = RunSettings(model="gpt-4o-mini", provider="local", reasoning_effort="low").to_spec(
        [Message(role="user", content="hi")]
    )
    turn = Turn.objects.create(
        conversation=conversation, role="assistant", content="", run_spec=spec.to_dict()
    )

    page = html.unescape(signed_in.get(reverse("chat:turn_code", args=[turn.pk])).text)

    assert f'base_url="{OPENAI_URL}"' in page
    assert 'os.environ["LOCAL_KEY"]' in page and "process.env.LOCAL_KEY" in page
    assert "Bearer $LOCAL_KEY" in page
    assert "GEMINI_API_KEY" not in page and "sk-secret" not in page
    assert "extra_body" not in page and '"reasoning_effort": "low"' in page


def test_the_models_page_shows_each_provider_and_which_is_unreachable(
    signed_in, local_down
) -> None:
    page = signed_in.get("/models/")

    assert page.status_code == 200
    text = page.text
    emulator = text[text.index('id="provider-emulator"') : text.index('id="provider-local"')]
    local = text[text.index('id="provider-local"') :]
    assert "gemini-2.5-flash" in emulator and "reachable" in emulator
    assert "unreachable" in local and "Connection refused" in local
    assert "gemini-2.5-flash" not in local


def test_a_provider_that_is_down_leaves_the_chat_page_working(signed_in, local_down) -> None:
    page = signed_in.get("/chat/")

    assert page.status_code == 200
    assert '<option value="local">Local</option>' in page.text
    assert '<option value="gemini-2.5-flash"' in page.text


def test_the_picker_fragment_holds_the_providers_own_models(signed_in, both_up) -> None:
    url = reverse("catalog:provider_models")

    fragment = signed_in.get(url, {"provider": "local", "name": "model", "form": "composer"})

    assert fragment.status_code == 200
    assert '<select name="model" id="id_model" form="composer">' in fragment.text
    assert "gpt-4o-mini" in fragment.text and "gemini" not in fragment.text
    assert "provider-models" in fragment.headers["HX-Trigger-After-Settle"]
    assert signed_in.get(url, {"provider": "nobody"}).status_code == 404
    assert signed_in.get(url, {"provider": "local", "name": "<x>"}).status_code == 404


def test_the_form_checks_the_model_against_the_chosen_providers_list(two_providers) -> None:
    choices = {"emulator": ["gemini-2.5-flash"], "local": OPENAI_IDS}

    def form(**data: str) -> ChatSendForm:
        return ChatSendForm({"prompt": "hi", "n": "1", **data}, model_choices=choices)

    assert form(provider="local", model="gpt-4o-mini").is_valid()
    blank = form(model="gemini-2.5-flash")
    assert blank.is_valid() and blank.settings().provider == "emulator"
    assert "model" in form(provider="local", model="gemini-2.5-flash").errors
    assert "provider" in form(provider="elsewhere", model="gpt-4o-mini").errors


def test_one_provider_shows_no_picker(signed_in, settings, monkeypatch) -> None:
    settings.EXTRA_PROVIDERS = []

    page = signed_in.get("/chat/")

    assert 'name="provider"' not in page.text


def test_send_to_chat_and_open_in_playground_keep_the_provider(signed_in, both_up) -> None:
    from playground.compare.services import comparison_start, pane_send_to_chat

    user = Conversation._meta.get_field("user").related_model.objects.get(username="ada")
    settings = RunSettings(model="gpt-4o-mini", provider="local")
    question = Message(role="user", content="hi")
    _, panes = comparison_start(
        user=user, prompt="hi", system_prompt="", panes=[(settings, settings.to_spec([question]))]
    )
    assert panes[0].label == "Local · gpt-4o-mini"

    address = pane_send_to_chat(user=user, pane=panes[0])
    conversation = Conversation.objects.get(user=user)
    reply = conversation.turns.get(role="assistant")
    page = signed_in.get(address, {"settings_from": reply.pk}).text

    assert conversation.settings["provider"] == "local"
    assert '<option value="local" selected>Local</option>' in page
    assert '<option value="gpt-4o-mini" selected>' in page
    assert reply.reply.provider == "Local"


def test_the_reasoning_fragment_follows_the_providers_flavour(signed_in, both_up) -> None:
    url = reverse("chat:reasoning")

    local = signed_in.get(url, {"model": "o4-mini", "provider": "local"}).text
    emulator = signed_in.get(url, {"model": "gemini-2.5-flash", "provider": "emulator"}).text

    assert 'id="gemini-only-note"' in local and "thinking_budget" not in local
    assert "hidden" not in extras_note(local) and "not sent to Local" in local
    assert "thinking_budget" in emulator and 'id="gemini-only-note"' not in emulator
    assert "hidden" in extras_note(emulator)


def extras_note(fragment: str) -> str:
    """The opening tag of the Gemini extras' note, swapped in out of band."""
    found = re.search(r'<p [^>]*id="extras-not-sent"[^>]*hx-swap-oob="true"[^>]*>', fragment)
    assert found is not None
    return found.group(0)


def test_no_reasoning_redraw_aborts_another(signed_in, both_up) -> None:
    """A redraw overtaken on its way is left to finish and not drawn (chat.js; the browser test
    in tests/e2e/test_reasoning): an hx-sync would abort it, and htmx 2 logs an aborted request
    as a console error (a fast switch of provider or model showed two)."""
    page = signed_in.get("/chat/", {"model": "gemini-2.5-flash"}).text

    redraws = re.findall(r'<[^>]*hx-get="/chat/reasoning/"[^>]*>', page)
    assert {re.search(r'(?:id|name)="([^"]+)"', tag).group(1) for tag in redraws} == {
        "model-picker", "reasoning_effort", "include_thoughts"
    }  # fmt: skip
    assert "hx-sync" not in page
