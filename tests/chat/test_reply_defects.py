"""The defects the run engine fixed, each as a person met it in chat."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from playground.chat.models import Conversation, Turn
from playground.llm.errors import UpstreamError
from playground.llm.streaming import FinishEvent, ThoughtDelta
from playground.runs.states import ReplyState
from tests.chat.conftest import Socket, send_payload
from tests.fake_streams import fake_stream

pytestmark = pytest.mark.django_db(transaction=True)

DONE = 'data-state="done" hx-swap-oob="outerHTML"'
ERROR = 'data-state="error" hx-swap-oob="outerHTML"'
MALFORMED = "function_call_filter: MALFORMED_FUNCTION_CALL"


@database_sync_to_async
def replies_of(user) -> list[Turn]:
    return list(Turn.objects.filter(conversation__user=user, role="assistant").order_by("pk"))


@database_sync_to_async
def conversation_of(user) -> Conversation:
    return Conversation.objects.get(user=user)


async def test_an_effort_with_thought_summaries_is_sent_as_its_thinking_config(
    make_user, emulator_url
):
    """Gemini refuses reasoning_effort next to any thinking_config: the reply must not fail."""
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload("Why is the sky blue?", reasoning_effort="low"))
        finished = await socket.receive_until('hx-swap-oob="outerHTML"', timeout=20)
    assert DONE in finished, finished
    (reply,) = await replies_of(user)
    body_sent = reply.run_spec
    assert body_sent["reasoning_effort"] is None
    assert body_sent["thinking_budget"] == 1024 and body_sent["include_thoughts"] is True
    assert reply.candidates[0]["thoughts"], "the summaries asked for came back"


def test_the_control_says_how_an_effort_is_sent_with_summaries(client: Client, make_user):
    client.force_login(make_user())
    url = reverse("chat:reasoning")
    level = client.get(url, {"model": "gemini-3-flash-preview", "reasoning_effort": "low",
                             "include_thoughts": "on"}).content.decode()  # fmt: skip
    budget = client.get(url, {"model": "gemini-2.5-flash", "reasoning_effort": "medium",
                              "include_thoughts": "on"}).content.decode()  # fmt: skip
    alone = client.get(url, {"model": "gemini-2.5-flash", "reasoning_effort": "medium"})

    assert "Sent as thinking_level low, because thought summaries need a thinking_config" in level
    assert "Sent as thinking_budget 8,192" in budget
    assert "effort-sent-as" not in alone.content.decode()


def test_get_code_sends_what_chat_sent_for_an_effort_with_summaries(client: Client, make_user):
    user = make_user()
    client.force_login(user)
    from playground.chat.forms import ChatSendForm
    from playground.chat.runs import run_prepare_send

    form = ChatSendForm(
        send_payload("hi", reasoning_effort="high", model="gemini-3-flash-preview"), user=user
    )
    assert form.is_valid(), form.errors
    prepared = run_prepare_send(user=user, cleaned=form.cleaned_data, settings=form.settings())
    code = client.get(reverse("chat:turn_code", args=[prepared.assistant_turn.pk]))
    text = code.content.decode()
    assert "reasoning_effort" not in text
    assert "thinking_level" in text and "include_thoughts" in text


def budget_input(page: str) -> str:
    match = re.search(r'<input type="number" name="thinking_budget"[^>]*>', page)
    assert match, "the page offers a thinking_budget"
    return match.group(0)


def test_open_in_playground_keeps_a_budget_of_zero(client: Client, make_user):
    user = make_user()
    client.force_login(user)
    from playground.chat.forms import ChatSendForm
    from playground.chat.runs import run_prepare_send

    payload = send_payload("hi", thinking_budget="0", include_thoughts="")
    form = ChatSendForm(payload, user=user)
    assert form.is_valid(), form.errors
    prepared = run_prepare_send(user=user, cleaned=form.cleaned_data, settings=form.settings())
    # The conversation moves on with another budget; the saved reply still had 0.
    conversation = prepared.conversation
    conversation.settings = {**conversation.settings, "thinking_budget": 4096}
    conversation.save()

    url = reverse("chat:conversation", args=[conversation.pk])
    page = client.get(url, {"settings_from": prepared.assistant_turn.pk}).content.decode()

    assert 'value="0"' in budget_input(page), "0 means thinking off, not dynamic"


async def test_regenerate_on_an_earlier_reply_never_replaces_another(make_user):
    user = await database_sync_to_async(make_user)()
    closed: list[float] = []
    async with Socket(user, stream=lambda spec: fake_stream(["answer"], 0, closed)) as socket:
        await socket.send(**send_payload("first"))
        await socket.receive_until(DONE)
        conversation = await conversation_of(user)
        await socket.send(**send_payload("second", conversation=str(conversation.pk)))
        started = await socket.receive_until('id="transcript"')
        await socket.receive_until(DONE)
        first, _ = await replies_of(user)
        # The first reply's actions are swapped for ones without Regenerate.
        marker = f'id="turn-{first.pk}-actions" hx-swap-oob="outerHTML:#turn-{first.pk}-actions"'
        assert marker in started
        assert "regenerate" not in started.split(marker)[1].split("</div>")[0]

        await socket.send(action="regenerate", conversation=str(conversation.pk),
                          turn=str(first.pk), **_settings())  # fmt: skip
        notice = await socket.receive_until('id="chat-notice"')
    assert "no longer the last one" in notice
    assert [r.state for r in await replies_of(user)] == [ReplyState.DONE, ReplyState.DONE]
    assert all(r.is_chosen for r in await replies_of(user)), "no other version was made"


def _settings() -> dict[str, str]:
    payload = send_payload("")
    return {k: v for k, v in payload.items() if k not in {"action", "prompt", "conversation"}}


async def test_a_new_prompt_past_unanswered_calls_retires_their_form(make_user, emulator_url):
    from tests.chat.test_tool_loop import with_tools

    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**with_tools("What is the weather in Paris?", "gemini-2.5-flash"))
        called = await socket.receive_until('hx-swap-oob="outerHTML"', timeout=20)
        assert "tool-results-form" in called
        conversation = await conversation_of(user)
        await socket.send(**send_payload("Never mind, tell a joke.",
                                         conversation=str(conversation.pk)))  # fmt: skip
        started = await socket.receive_until('id="transcript"')
    (calling, *_) = await replies_of(user)
    marker = f'id="t{calling.pk}-calls" hx-swap-oob="outerHTML:#t{calling.pk}-calls"'
    assert marker in started, "the calls are swapped for ones without a form"
    retired = started.split(marker)[1].split('class="reply-calls"')[0]
    assert "tool-results-form" not in retired
    assert "Not answered: later requests leave these calls out." in retired


async def malformed_call(spec) -> AsyncIterator[object]:
    yield ThoughtDelta(text="I should call the weather tool.")
    yield FinishEvent(choice=0, reason=MALFORMED)


async def test_a_malformed_function_call_is_an_error_in_words_with_retry(make_user):
    user = await database_sync_to_async(make_user)()
    async with Socket(user, stream=malformed_call) as socket:
        await socket.send(**send_payload("weather?"))
        finished = await socket.receive_until('hx-swap-oob="outerHTML"')
    assert ERROR in finished
    assert "malformed function call" in finished and MALFORMED in finished
    assert ">Retry</button>" in finished
    (reply,) = await replies_of(user)
    assert reply.state == ReplyState.ERROR
    assert reply.candidates[0]["thoughts"], "what arrived is kept"


async def nothing_at_all(spec) -> AsyncIterator[object]:
    await asyncio.sleep(0)
    yield FinishEvent(choice=0, reason="stop")


async def test_a_reply_with_no_answer_and_no_call_is_not_a_blank_success(make_user):
    user = await database_sync_to_async(make_user)()
    async with Socket(user, stream=nothing_at_all) as socket:
        await socket.send(**send_payload("hi"))
        finished = await socket.receive_until('hx-swap-oob="outerHTML"')
    assert ERROR in finished and "without an answer or a tool call" in finished


async def two_line_error(spec) -> AsyncIterator[object]:
    raise UpstreamError("Quota exceeded.\nCheck your plan and billing details.", status_code=429)
    yield  # an async generator


async def test_a_multi_line_upstream_error_keeps_its_line_breaks(make_user):
    user = await database_sync_to_async(make_user)()
    async with Socket(user, stream=two_line_error) as socket:
        await socket.send(**send_payload("hi"))
        finished = await socket.receive_until('hx-swap-oob="outerHTML"')
    assert "Quota exceeded.<br>Check your plan and billing details." in finished


async def test_a_send_swaps_only_elements_the_page_has(make_user):
    """htmx reports oobErrorNoTarget for a swap whose target is missing: none is sent."""
    user = await database_sync_to_async(make_user)()
    closed: list[float] = []
    async with Socket(user, stream=lambda spec: fake_stream(["ok"], 0, closed)) as socket:
        await socket.send(**send_payload("first"))
        first = await socket.receive_until('id="transcript"')
        await socket.receive_until(DONE)
        conversation = await conversation_of(user)
        await socket.send(**send_payload("second", conversation=str(conversation.pk)))
        second = await socket.receive_until('id="transcript"')
        await socket.receive_until(DONE)
        await socket.send(**send_payload("elsewhere"))  # a second conversation
        third = await socket.receive_until('id="transcript"')
    assert 'id="empty-state"' in first and 'id="no-conversations"' in first
    assert 'id="empty-state"' not in second and 'id="no-conversations"' not in second
    assert 'id="empty-state"' in third and 'id="no-conversations"' not in third


async def test_regenerate_sends_the_history_the_old_reply_answered_not_the_old_reply(make_user):
    """Since regenerations keep the old reply as a version, it stayed on the shown branch while
    the new reply's history was read: the request ended with the reply it was to replace."""
    user = await database_sync_to_async(make_user)()
    sent: list[list[tuple[str, str]]] = []

    def stream(spec):
        sent.append([(message.role, message.content) for message in spec.messages])
        return fake_stream([f"answer {len(sent)}"], 0, [])

    async with Socket(user, stream=stream) as socket:
        await socket.send(**send_payload("first"))
        await socket.receive_until(DONE)
        conversation = await conversation_of(user)
        await socket.send(**send_payload("second", conversation=str(conversation.pk)))
        await socket.receive_until(DONE)
        _, second = await replies_of(user)
        await socket.send(action="regenerate", conversation=str(conversation.pk),
                          turn=str(second.pk), **_settings())  # fmt: skip
        await socket.receive_until('hx-swap-oob="innerHTML"')
        await socket.receive_until(DONE)

    asked = [("user", "first"), ("assistant", "answer 1"), ("user", "second")]
    assert sent == [asked[:1], asked, asked]
    regenerated = (await replies_of(user))[-1]
    assert [m["content"] for m in regenerated.run_spec["messages"]] == [
        "first",
        "answer 1",
        "second",
    ]
