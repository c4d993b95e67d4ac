from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from playground.chat.models import Conversation, ReplyState
from playground.compare.models import Comparison, Pane
from tests.compare.conftest import run_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def signed_in(client: Client, alice) -> Client:
    client.force_login(alice)
    return client


def saved_comparison(user, *, answers=("The sky is blue.", "The sky looks blue today.")):
    comparison = Comparison.objects.create(
        user=user, title="Why blue", prompt="Why is the sky blue?", system_prompt="Be brief.",
        wall_ms=2100,
    )  # fmt: skip
    for position, answer in enumerate(answers):
        Pane.objects.create(
            comparison=comparison, position=position, label=f"gemini-2.5-flash · effort {position}",
            settings={"model": "gemini-2.5-flash", "reasoning_mode": "effort",
                      "reasoning_effort": ["low", "high"][position % 2], "include_thoughts": False,
                      "temperature": None, "seed": None, "service_tier": "default",
                      "thinking_level": None, "thinking_budget": None},
            run_spec={"model": "gemini-2.5-flash"}, state=ReplyState.DONE, answer=answer,
            answer_html=f"<p>{answer}</p>", thoughts="Rayleigh.", thoughts_html="<p>Rayleigh.</p>",
            prompt_tokens=6, completion_tokens=5, thinking_tokens=100 * (position + 1),
            ttft_ms=300, first_thought_ms=300, first_answer_ms=900, total_ms=2000, offset_ms=1,
        )  # fmt: skip
    return comparison


def selected_models(page: str) -> list[str]:
    fieldsets = page.split('class="pane-fieldset card"')[1:]
    return [re.search(r'<option value="([^"]+)" selected>', part).group(1) for part in fieldsets]


def test_the_page_opens_with_a_sweep_of_the_default_models_reasoning_levels(
    signed_in, emulator_url
):
    page = signed_in.get(reverse("compare:index")).content.decode()

    assert 'ws-connect="/ws/compare/"' in page
    # gemini-3-flash-preview takes minimal, low, medium and high; not none.
    assert page.count('class="pane-fieldset card"') == 4
    efforts = re.findall(r'name="pane-\d-reasoning_effort".*?selected>(\w+)<', page, re.S)
    assert efforts == ["minimal", "low", "medium", "high"]
    assert '<option value="none"' not in page.split('id="pane-settings"')[1]


def test_the_efforts_preset_offers_only_what_the_model_accepts(signed_in, emulator_url):
    response = signed_in.get(
        reverse("compare:index"),
        {"op": "preset", "preset": "efforts", "preset_model": "gemini-2.5-pro",
         "preset_send_as": "config", "pane-TOTAL_FORMS": "1", "pane-0-model": "gemini-2.5-flash",
         "pane-0-temperature": "0.3"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    fragment = response.content.decode()

    assert fragment.lstrip().startswith('<div id="pane-settings"'), "htmx gets the region only"
    budgets = re.findall(r'name="pane-\d-thinking_budget"[^>]*value="(\d+)"', fragment)
    assert budgets == ["1024", "1024", "8192", "24576"]
    assert "Not offered: none (gemini-2.5-pro cannot turn thinking off)" in fragment
    assert fragment.count('value="0.3"') == 4, "the first pane's temperature is kept"


def test_the_budgets_preset_leaves_out_what_the_model_refuses(signed_in, emulator_url):
    response = signed_in.get(
        reverse("compare:index"),
        {"op": "preset", "preset": "budgets", "preset_model": "gemini-3-flash-preview",
         "pane-TOTAL_FORMS": "1", "pane-0-model": "gemini-2.5-flash"},
    )  # fmt: skip
    page = response.content.decode()

    assert "takes thinking levels, not budgets" in page
    assert "The panes were left as they were." in page
    assert page.count('class="pane-fieldset card"') == 1


def test_the_models_preset_makes_one_pane_per_model_that_takes_the_level(signed_in, emulator_url):
    response = signed_in.get(
        reverse("compare:index"),
        {"op": "preset", "preset": "models", "preset_effort": "medium",
         "preset_models": ["gemini-2.5-flash", "gemini-3.1-pro-preview", "gemini-2.0-flash",
                           "gemini-3-flash-preview"],
         "pane-TOTAL_FORMS": "1", "pane-0-model": "gemini-2.5-flash"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    fragment = response.content.decode()

    assert selected_models(fragment) == [
        "gemini-2.5-flash", "gemini-3.1-pro-preview", "gemini-3-flash-preview",
    ]  # fmt: skip
    assert "Not offered: gemini-2.0-flash (gemini-2.0-flash does not think)" in fragment


def test_adding_and_removing_panes_keeps_the_other_settings(signed_in, emulator_url):
    data = {"pane-TOTAL_FORMS": "2", "pane-0-model": "gemini-2.5-flash", "pane-0-seed": "11",
            "pane-1-model": "gemini-2.5-pro", "pane-1-seed": "22"}  # fmt: skip
    added = signed_in.get(reverse("compare:index"), {**data, "op": "add"}).content.decode()
    removed = signed_in.get(reverse("compare:index"), {**data, "op": "remove-0"}).content.decode()

    assert re.findall(r'name="pane-\d-seed"[^>]*value="(\d+)"', added) == ["11", "22", "22"]
    assert re.findall(r'name="pane-\d-seed"[^>]*value="(\d+)"', removed) == ["22"]


def test_the_plain_form_runs_every_pane_and_shows_the_saved_comparison(
    signed_in, alice, emulator_url
):
    panes = [{"model": "gemini-2.5-flash", "reasoning_mode": "effort", "reasoning_effort": e}
             for e in ("none", "high")]  # fmt: skip
    data = {k: v for k, v in run_payload("Name a river", panes).items() if k != "HEADERS"}
    response = signed_in.post(reverse("compare:run"), data, follow=True)
    page = response.content.decode()

    comparison = Comparison.objects.get(user=alice)
    assert response.redirect_chain[-1][0] == reverse("compare:detail", args=[comparison.pk])
    assert [p.state for p in comparison.panes.all()] == ["done", "done"]
    assert "<h2>Summary</h2>" in page and "Run again" in page
    assert page.count('class="pane card" data-state="done"') == 2


def test_the_plain_form_answers_mistakes_and_stores_nothing(signed_in, emulator_url):
    panes = [{"model": "gemini-3-flash-preview", "reasoning_mode": "effort",
              "reasoning_effort": "none"}]  # fmt: skip
    data = {k: v for k, v in run_payload("hi", panes).items() if k != "HEADERS"}
    response = signed_in.post(reverse("compare:run"), data)

    assert response.status_code == 400
    assert "cannot turn thinking off" in response.content.decode()
    assert not Comparison.objects.exists()


def test_a_saved_comparison_shows_its_panes_summary_and_settings(signed_in, alice):
    comparison = saved_comparison(alice)
    page = signed_in.get(reverse("compare:detail", args=[comparison.pk])).content.decode()

    assert "The sky looks blue today." in page and "Rayleigh." in page
    assert page.count('<figure class="chart') == 7, (
        "six range-bar charts (cost too) and the timeline"
    )
    assert "2.10 s" in page, "the wall time is shown"
    assert 'value="Why is the sky blue?"' in page or ">Why is the sky blue?</textarea>" in page
    assert 'id="share-control"' in page
    assert page.count('class="pane-fieldset card"') == 2, "ready to run again as it was"


def test_other_peoples_comparisons_are_not_found(client, make_user):
    comparison = saved_comparison(make_user("owner"))
    client.force_login(make_user("mallory"))

    for name in ("compare:detail", "compare:diff", "compare:delete"):
        assert client.get(reverse(name, args=[comparison.pk])).status_code == 404
    send = reverse("compare:send_to_chat", args=[comparison.pk, 1])
    assert client.post(send).status_code == 404
    assert client.post(reverse("compare:delete", args=[comparison.pk])).status_code == 404
    assert Comparison.objects.filter(pk=comparison.pk).exists()
    assert not Conversation.objects.exists()


def test_the_diff_highlights_the_words_that_differ(signed_in, alice):
    comparison = saved_comparison(alice)
    url = reverse("compare:diff", args=[comparison.pk])
    fragment = signed_in.get(url, {"a": 1, "b": 2}, headers={"HX-Request": "true"})
    page = fragment.content.decode()

    assert page.lstrip().startswith('<div id="diff-result"')
    assert "<span>The sky </span><del>is</del><ins>looks</ins>" in page
    assert "<del>blue.</del><ins>blue today.</ins>" in page
    assert "2 words only in pane 1, 3 only in pane 2" in page
    bad = signed_in.get(url, {"a": 1, "b": 9}).content.decode()
    assert "Pick two panes" in bad


def test_send_to_chat_makes_a_conversation_with_the_prompt_and_that_answer(signed_in, alice):
    comparison = saved_comparison(alice)
    response = signed_in.post(reverse("compare:send_to_chat", args=[comparison.pk, 2]))

    conversation = Conversation.objects.get(user=alice)
    assert response.url == reverse("chat:conversation", args=[conversation.pk])
    user_turn, reply = conversation.turns.all()
    assert user_turn.content == "Why is the sky blue?"
    assert reply.content == "The sky looks blue today." and reply.state == "done"
    assert reply.thinking_tokens == 200
    assert conversation.settings["system_prompt"] == "Be brief."
    assert conversation.settings["reasoning_effort"] == "high", "chat continues as the pane ran"
    page = signed_in.get(response.url).content.decode()
    assert "The sky looks blue today." in page


def test_delete_removes_the_comparison(signed_in, alice):
    comparison = saved_comparison(alice)
    response = signed_in.post(reverse("compare:delete", args=[comparison.pk]))

    assert response.url == reverse("compare:index")
    assert not Comparison.objects.exists() and not Pane.objects.exists()


def test_send_to_chat_keeps_a_thinking_budget_of_zero(signed_in, alice):
    """Budget 0 is "thinking off": a resend from chat must not silently think."""
    comparison = saved_comparison(alice, answers=("Blue.",))
    pane = comparison.panes.get()
    pane.settings = {**pane.settings, "reasoning_mode": "budget", "reasoning_effort": None,
                     "thinking_budget": 0}  # fmt: skip
    pane.save()
    response = signed_in.post(reverse("compare:send_to_chat", args=[comparison.pk, 1]))

    conversation = Conversation.objects.get(user=alice)
    assert conversation.settings["thinking_budget"] == 0
    page = signed_in.get(response.url).content.decode()
    budget = re.search(r'<input type="number" name="thinking_budget"[^>]*>', page).group(0)
    assert 'value="0"' in budget


def test_a_pane_run_three_times_reopens_with_its_runs_and_sends_the_one_picked(signed_in, alice):
    comparison = saved_comparison(alice, answers=("Run one.",))
    first = comparison.panes.get()
    for run, answer in ((1, "Run two."), (2, "Run three.")):
        first.pk, first.run, first.answer, first.answer_html = None, run, answer, f"<p>{answer}</p>"
        first.save()

    page = signed_in.get(reverse("compare:detail", args=[comparison.pk])).content.decode()
    send = reverse("compare:send_to_chat", args=[comparison.pk, 1])
    response = signed_in.post(f"{send}?run=2")

    assert 'name="runs_per_pane" id="id_runs_per_pane" min="1" max="10" step="1" value="3"' in page
    assert "Run <b>1</b> / 3" in page and page.count('class="pane card"') == 3
    assert page.count('class="pane-fieldset card"') == 1, "one pane's settings, not three"
    reply = Conversation.objects.get(user=alice).turns.all()[1]
    assert response.status_code == 302 and reply.content == "Run two."
