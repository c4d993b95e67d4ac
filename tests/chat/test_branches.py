"""Edit and resend, and regenerate, keep every version as a branch; one branch is shown at a
time, it is what the next request sends, and the choice is saved."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from playground.chat import runs
from playground.chat.forms import ChatEditForm, ChatRegenerateForm, ChatSendForm
from playground.chat.models import Conversation, Turn
from playground.chat.selectors import shown_turns
from playground.chat.services import turn_finish
from playground.runs.outcome import ReplyOutcome
from playground.runs.states import ReplyState
from playground.sharing.models import ShareLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, make_user):
    """Alice's signed-in browser (she is `alice`)."""
    client.force_login(make_user("alice"))
    return client


@pytest.fixture
def alice(browser):
    return get_user_model().objects.get(username="alice")


def _run(user, form_class, action, **data: str) -> runs.PreparedRun:
    """What the socket does for a composer frame, with the reply answered at once."""
    data = {"model": "gemini-2.5-flash", "n": "1", "stream": "on", **data}
    form = form_class(data, model_choices=[], user=user)
    assert form.is_valid(), form.errors
    prepared = getattr(runs, f"run_prepare_{action}")(
        user=user, cleaned=form.cleaned_data, settings=form.settings()
    )
    answer = f"Answer {prepared.assistant_turn.pk} to {data.get('prompt', 'again')}"
    outcome = ReplyOutcome(state=ReplyState.DONE, answers=[answer], thoughts=[""])
    turn_finish(turn_id=prepared.assistant_turn.pk, outcome=outcome)
    return prepared


def send(user, prompt: str, conversation: Conversation | None = None) -> Conversation:
    pk = str(conversation.pk) if conversation else ""
    return _run(user, ChatSendForm, "send", prompt=prompt, conversation=pk).conversation


def edit(user, turn: Turn, prompt: str) -> runs.PreparedRun:
    conversation = str(turn.conversation_id)
    return _run(user, ChatEditForm, "edit", prompt=prompt, conversation=conversation,
                turn=str(turn.pk))  # fmt: skip


def regenerate(user, turn: Turn) -> runs.PreparedRun:
    conversation = str(turn.conversation_id)
    return _run(user, ChatRegenerateForm, "regenerate", conversation=conversation,
                turn=str(turn.pk))  # fmt: skip


def shown(conversation: Conversation) -> list[str]:
    return [turn.content.split(" to ")[0] if turn.role == "assistant" else turn.content
            for turn in shown_turns(conversation)]  # fmt: skip


def sent_prompts(prepared: runs.PreparedRun) -> list[str]:
    messages = prepared.assistant_turn.run_spec["messages"]
    return [m["content"] for m in messages if m["role"] == "user"]


def test_editing_a_message_keeps_the_old_branch_and_shows_the_new_one(alice, browser):
    conversation = send(alice, "one")
    send(alice, "two", conversation)
    first = shown_turns(conversation)[0]
    prepared = edit(alice, first, "one, edited")
    assert sent_prompts(prepared) == ["one, edited"], "the request holds only the new branch"
    assert [t.content for t in shown_turns(conversation) if t.role == "user"] == ["one, edited"]
    assert conversation.turns.count() == 6, "nothing is lost"

    page = browser.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert "one, edited" in page and "two" not in page, "one branch at a time"
    assert '<span class="branch-count">2 / 2</span>' in page
    assert "Replaced" not in page


def test_switching_back_shows_the_old_branch_is_saved_and_is_what_is_sent(alice, browser):
    conversation = send(alice, "one")
    send(alice, "two", conversation)
    first = shown_turns(conversation)[0]
    edited = edit(alice, first, "one, edited").user_turn
    url = reverse("chat:conversation", args=[conversation.pk])

    response = browser.post(reverse("chat:branch"), {"turn": first.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    swapped = response.content.decode()
    assert "two" in swapped and "one, edited" not in swapped
    assert '<span class="branch-count">1 / 2</span>' in swapped
    assert f'value="{edited.pk}" data-direction="next"' in swapped

    page = browser.get(url).content.decode()
    assert "two" in page and "one, edited" not in page, "a reload shows the same branch"
    assert [t.content for t in shown_turns(conversation) if t.role == "user"] == ["one", "two"]
    prepared = _run(alice, ChatSendForm, "send", prompt="three", conversation=str(conversation.pk))
    assert sent_prompts(prepared) == ["one", "two", "three"]

    # Without JavaScript the same form posts and comes back to the page.
    response = browser.post(reverse("chat:branch"), {"turn": edited.pk})
    assert response.status_code == 302 and response["Location"] == url
    assert "one, edited" in browser.get(url).content.decode()
    # And back again: the old branch kept its own continuation ("three").
    browser.post(reverse("chat:branch"), {"turn": first.pk})
    assert [t.content for t in shown_turns(conversation) if t.role == "user"] == [
        "one",
        "two",
        "three",
    ]


def test_regenerating_adds_a_version_of_the_reply_beside_the_old_one(alice, browser):
    conversation = send(alice, "one")
    old = shown_turns(conversation)[-1]
    new = regenerate(alice, old).assistant_turn
    new.refresh_from_db()
    assert new.parent_id == old.parent_id and new.content
    assert [t.pk for t in shown_turns(conversation)][-1] == new.pk
    page = browser.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert old.content not in page and new.content in page
    assert '<span class="branch-count">2 / 2</span>' in page
    assert page.count("Regenerate") == 1

    browser.post(reverse("chat:branch"), {"turn": old.pk})
    page = browser.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert old.content in page and new.content not in page
    assert '<span class="branch-count">1 / 2</span>' in page
    assert "Regenerate" in page, "the reply shown is the last: it can be regenerated"


def test_share_and_presenter_pages_show_the_branch_that_was_shown(alice, browser, client):
    conversation = send(alice, "one")
    first = shown_turns(conversation)[0]
    edit(alice, first, "one, edited")
    browser.post(reverse("chat:branch"), {"turn": first.pk})
    link = ShareLink.objects.create(owner=alice, conversation=conversation)
    client.logout()
    for name in ("sharing:view", "sharing:present"):
        page = client.get(reverse(name, args=[link.token])).content.decode()
        assert ">one<" in page and "one, edited" not in page, name
        assert "branch-switch" not in page and "Earlier version" not in page, name


def test_a_branch_cannot_be_switched_while_its_reply_is_written(alice, browser):
    conversation = send(alice, "one")
    first = shown_turns(conversation)[0]
    edit(alice, first, "one, edited")
    streaming = shown_turns(conversation)[-1]
    Turn.objects.filter(pk=streaming.pk).update(state=ReplyState.STREAMING)
    response = browser.post(reverse("chat:branch"), {"turn": first.pk}, HTTP_HX_REQUEST="true")
    assert response["HX-Reswap"] == "none"
    assert "Stop it first" in response.content.decode()
    assert shown(conversation)[0] == "one, edited"


@pytest.mark.parametrize("turn", ["", "x", "0", "99999"])
def test_a_bad_branch_request_is_not_found(browser, turn):
    assert browser.post(reverse("chat:branch"), {"turn": turn}).status_code == 404


def test_no_one_switches_branches_in_anothers_conversation(alice, make_client):
    conversation = send(alice, "one")
    first = shown_turns(conversation)[0]
    edited = edit(alice, first, "one, edited").user_turn
    response = make_client("mallory").post(reverse("chat:branch"), {"turn": first.pk})
    assert response.status_code == 404
    assert shown_turns(conversation)[0].pk == edited.pk
