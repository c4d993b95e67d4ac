from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from playground.chat.models import Conversation, ReplyState, Turn
from playground.chat.services import ReplyOutcome, turn_assistant_start, turn_finish

pytestmark = pytest.mark.django_db


def a_conversation(user, title: str = "Rivers") -> Conversation:
    conversation = Conversation.objects.create(user=user, title=title)
    Turn.objects.create(conversation=conversation, role="user", content="Tell me about rivers")
    reply = turn_assistant_start(
        conversation=conversation, run_spec={"model": "gemini-2.5-flash"}, n=1
    )
    turn_finish(
        turn_id=reply.pk,
        outcome=ReplyOutcome(
            state=ReplyState.DONE,
            answers=["Rivers **flow**.\n\n```python\nprint('water')\n```"],
            thoughts=["Considering **hydrology** first."],
            finish_reasons=["stop"],
            prompt_tokens=12,
            completion_tokens=34,
            thinking_tokens=56,
            ttft_ms=210,
            total_ms=1830,
        ),
    )
    return conversation


def test_it_shows_a_new_chat_with_the_providers_chat_models(signed_in, emulator_url):
    response = signed_in.get(reverse("chat:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<option value="gemini-3-flash-preview" selected>' in page
    assert "gemini-embedding-001" not in page, "only chat models are offered"
    assert 'ws-connect="/ws/play/"' in page
    for name in ("system_prompt", "temperature", "top_p", "max_tokens", "stop", "seed", "n"):
        assert f'name="{name}"' in page, f"{name} is offered"


def test_reopening_a_conversation_shows_it_as_it_was(signed_in, alice, settings):
    settings.EMULATOR_BASE_URL = "http://127.0.0.1:9/unreachable/"
    conversation = a_conversation(alice)
    page = signed_in.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert "Tell me about rivers" in page
    assert "Considering <strong>hydrology</strong> first." in page
    assert "Rivers <strong>flow</strong>." in page
    assert '<pre class="hl"><code class="language-python">' in page
    assert "TTFT 210 ms" in page and "Total 1.83 s" in page
    assert "Prompt 12 tok" in page and "Answer 34 tok" in page and "Thinking 56 tok" in page
    assert "Regenerate" in page


def test_the_sidebar_lists_conversations_newest_first(signed_in, alice, settings):
    settings.EMULATOR_BASE_URL = "http://127.0.0.1:9/unreachable/"
    a_conversation(alice, "Older")
    a_conversation(alice, "Newer")
    page = signed_in.get(reverse("chat:index")).content.decode()
    assert page.index("Newer") < page.index("Older")


def test_one_user_never_sees_anothers_conversations(client, make_user, settings):
    settings.EMULATOR_BASE_URL = "http://127.0.0.1:9/unreachable/"
    alice, bob = make_user("alice"), make_user("bob")
    secret = a_conversation(alice, "Alice's secret")
    client.force_login(bob)
    assert "Alice&#x27;s secret" not in client.get(reverse("chat:index")).content.decode()
    for name in ("chat:conversation", "chat:delete", "chat:rename"):
        assert client.get(reverse(name, args=[secret.pk])).status_code == 404
    assert client.post(reverse("chat:rename", args=[secret.pk]), {"title": "x"}).status_code == 404
    assert client.post(reverse("chat:delete", args=[secret.pk])).status_code == 404
    assert Conversation.objects.filter(pk=secret.pk, title="Alice's secret").exists()


def test_it_renames_a_conversation_and_refuses_a_blank_title(signed_in, alice):
    conversation = a_conversation(alice)
    signed_in.post(reverse("chat:rename", args=[conversation.pk]), {"title": "  Big   rivers "})
    conversation.refresh_from_db()
    assert conversation.title == "Big rivers"
    response = signed_in.post(reverse("chat:rename", args=[conversation.pk]), {"title": "   "})
    conversation.refresh_from_db()
    assert conversation.title == "Big rivers"
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_inline_rename_form_works_as_a_plain_form_too(alice):
    """Enter pressed before htmx has wired the form it just swapped in submits it as a plain
    form: it carries its own CSRF token, so the rename lands instead of a 403."""
    conversation = a_conversation(alice)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    url = reverse("chat:rename", args=[conversation.pk])
    item = browser.get(url, headers={"HX-Request": "true"}).content.decode()
    token = re.search(
        r'<form class="rename-inline".*?name="csrfmiddlewaretoken" value="([^"]+)"', item, re.S
    )
    assert token, "the form carries a token"
    response = browser.post(
        url, {"csrfmiddlewaretoken": token.group(1), "title": "European rivers"}
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.title == "European rivers"


def test_deleting_asks_for_confirmation_first(signed_in, alice, settings):
    settings.EMULATOR_BASE_URL = "http://127.0.0.1:9/unreachable/"
    conversation = a_conversation(alice)
    confirm = signed_in.get(reverse("chat:delete", args=[conversation.pk]))
    assert "cannot be undone" in confirm.content.decode()
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    signed_in.post(reverse("chat:delete", args=[conversation.pk]))
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert not Turn.objects.filter(conversation_id=conversation.pk).exists()


def test_without_javascript_a_prompt_is_answered_in_one_piece(signed_in, alice, emulator_url):
    response = signed_in.post(
        reverse("chat:send"),
        {"prompt": "Make a table of planets", "model": "gemini-2.5-flash", "n": "1"},
    )
    conversation = Conversation.objects.get(user=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("chat:conversation", args=[conversation.pk])
    reply = conversation.turns.get(role="assistant")
    assert reply.state == ReplyState.DONE and "<table>" in reply.candidates[0]["html"]


def test_without_javascript_bad_input_keeps_the_prompt_and_says_why(signed_in, alice, emulator_url):
    response = signed_in.post(
        reverse("chat:send"),
        {"prompt": "Keep me", "model": "gemini-2.5-flash", "n": "12", "temperature": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Keep me" in page
    assert "less than or equal to 8" in page and "Enter a number." in page
    assert not Conversation.objects.filter(user=alice).exists()


def test_a_finished_turn_shown_again_reflects_its_place_among_versions(signed_in, alice, settings):
    from playground.chat.services import turn_choose

    settings.EMULATOR_BASE_URL = "http://127.0.0.1:9/unreachable/"
    conversation = a_conversation(alice)
    url = reverse("chat:conversation", args=[conversation.pk])
    first = signed_in.get(url).content.decode()
    assert "Regenerate" in first and "branch-count" not in first
    reply = conversation.turns.get(role="assistant")
    newer = turn_assistant_start(conversation=conversation, run_spec={"model": "m"}, n=1,
                                 parent=reply.parent)  # fmt: skip
    turn_finish(turn_id=newer.pk, outcome=ReplyOutcome(state=ReplyState.DONE, answers=["Newer."],
                                                       thoughts=[""]))  # fmt: skip
    turn_choose(turn=reply)
    again = signed_in.get(url).content.decode()
    assert "Rivers <strong>flow</strong>" in again and "Newer." not in again
    assert '<span class="branch-count">1 / 2</span>' in again and "Regenerate" in again


def test_only_the_owner_may_stop_a_reply_still_being_written(client, alice, make_user):
    conversation = Conversation.objects.create(user=alice, title="Rivers")
    reply = turn_assistant_start(conversation=conversation, run_spec={"model": "m"}, n=1)
    client.force_login(alice)
    page = client.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert reverse("chat:turn_stop", args=[reply.pk]) in page, "a reply drawn streaming has Stop"

    client.force_login(make_user("bob"))
    assert client.post(reverse("chat:turn_stop", args=[reply.pk])).status_code == 404
    client.force_login(alice)
    stopped = client.post(reverse("chat:turn_stop", args=[reply.pk]))
    assert stopped.status_code == 302  # nothing runs it here: back to the page, nothing changed
