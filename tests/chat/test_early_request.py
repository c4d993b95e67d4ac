"""A send's request leaves before its turns are stored (they are written while it travels),
and every way it may not start after all closes it, stores nothing and gives back its count."""

from __future__ import annotations

import html
import time

import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache

from playground.chat.models import Conversation, ReplyState, Turn
from playground.chat.runs import BRANCH_MOVED
from playground.limits.admission import RATE_KEY, RATE_WINDOW_SECONDS
from tests.chat.conftest import Socket, send_payload

pytestmark = pytest.mark.django_db(transaction=True)

DONE = 'data-state="done" hx-swap-oob="outerHTML"'
NOTICE = 'id="chat-notice"'


async def no_models() -> list[str]:
    return []


def upstream(before_first_event, seen: dict[str, object]):
    """A stand-in for the upstream: runs `before_first_event` when its request is made (the
    moment a real request would leave), notes when it was closed, then answers."""
    from playground.llm import AnswerDelta, FinishEvent

    async def stream(spec):
        seen["asked_at"] = time.monotonic()
        seen["spec"] = spec
        try:
            seen["before"] = await database_sync_to_async(before_first_event)()
            yield AnswerDelta(text="ok")
            yield FinishEvent(choice=0, reason="stop")
        finally:
            seen["closed"] = True

    return stream


def stored_counts(user) -> tuple[int, int]:
    return (Conversation.objects.filter(user=user).count(),
            Turn.objects.filter(conversation__user=user).count())  # fmt: skip


def requests_counted(user) -> int:
    window = int(time.time() // RATE_WINDOW_SECONDS)
    return cache.get(RATE_KEY.format(user_id=user.pk, window=window), 0)


@database_sync_to_async
def exchange(user) -> Conversation:
    conversation = Conversation.objects.create(user=user, title="earlier")
    asked = Turn.objects.create(conversation=conversation, role="user", content="Hello")
    Turn.objects.create(conversation=conversation, role="assistant", content="Hi.", parent=asked,
                        candidates=[{"answer": "Hi.", "thoughts": ""}])  # fmt: skip
    return conversation


async def test_the_request_leaves_before_the_turns_are_stored(make_user) -> None:
    user = await database_sync_to_async(make_user)()
    seen: dict[str, object] = {}
    stream = upstream(lambda: stored_counts(user), seen)
    async with Socket(user, stream=stream, model_ids=no_models) as socket:
        await socket.send(**send_payload("Is it fast?"))
        await socket.receive_until(DONE)
    assert seen["before"] == (0, 0), "nothing was stored yet when the request left"
    user_turn, reply = await database_sync_to_async(
        lambda: list(Turn.objects.filter(conversation__user=user).order_by("pk"))
    )()
    assert user_turn.content == "Is it fast?" and reply.state == ReplyState.DONE
    # What was sent is what is stored, and the reply's figures count from the request.
    assert reply.run_spec == seen["spec"].to_dict()
    assert reply.content == "ok" and reply.ttft_ms is not None


async def test_a_branch_moved_by_another_tab_meanwhile_refuses_the_send(
    make_user, settings
) -> None:
    settings.LIMIT_REQUESTS_PER_MINUTE = 5
    user = await database_sync_to_async(make_user)()
    conversation = await exchange(user)

    def another_tab_answers() -> None:
        last = Turn.objects.filter(conversation=conversation).order_by("pk").last()
        Turn.objects.create(conversation=conversation, role="user", content="Other tab",
                            parent=last)  # fmt: skip

    seen: dict[str, object] = {}
    async with Socket(user, stream=upstream(another_tab_answers, seen), model_ids=no_models) as s:
        await s.send(**send_payload("Mine", conversation=str(conversation.pk)))
        said = html.unescape(await s.receive_until(NOTICE))
    assert BRANCH_MOVED in said
    assert seen["closed"] is True, "the request that left was closed"
    turns = Turn.objects.filter(conversation=conversation)
    contents = await database_sync_to_async(lambda: [turn.content for turn in turns])()
    assert "Mine" not in contents, "nothing of the refused send was stored"
    assert await database_sync_to_async(requests_counted)(user) == 0, "its request was given back"


async def test_a_stream_started_elsewhere_meanwhile_is_counted_and_refuses_the_send(
    make_user, settings
) -> None:
    settings.LIMIT_CONCURRENT_STREAMS = 1
    user = await database_sync_to_async(make_user)()

    def another_tab_starts() -> None:
        elsewhere = Conversation.objects.create(user=user, title="elsewhere")
        Turn.objects.create(conversation=elsewhere, role="assistant", state=ReplyState.STREAMING)

    seen: dict[str, object] = {}
    async with Socket(user, stream=upstream(another_tab_starts, seen), model_ids=no_models) as s:
        await s.send(**send_payload("One more"))
        said = html.unescape(await s.receive_until(NOTICE))
    assert "You already have 1 reply generating" in said
    assert seen["closed"] is True
    assert await database_sync_to_async(stored_counts)(user) == (1, 1), "only the other tab's"


async def test_a_send_refused_at_once_sends_no_request(make_user, settings) -> None:
    settings.LIMIT_CONCURRENT_STREAMS = 1
    user = await database_sync_to_async(make_user)()
    await database_sync_to_async(
        lambda: Turn.objects.create(
            conversation=Conversation.objects.create(user=user), role="assistant",
            state=ReplyState.STREAMING,
        )
    )()  # fmt: skip
    seen: dict[str, object] = {}
    async with Socket(user, stream=upstream(lambda: None, seen), model_ids=no_models) as socket:
        await socket.send(**send_payload("Over the limit"))
        said = html.unescape(await socket.receive_until(NOTICE))
    assert "You already have 1 reply generating" in said
    assert "asked_at" not in seen, "no request was made"


async def test_a_socket_message_reaches_its_handler_without_a_trip_to_the_database_thread(
    make_user, monkeypatch
) -> None:
    """Channels closes stale connections in a thread trip before each message (0.5 ms before
    a send's request could leave); database calls here already do so around themselves."""
    trips: list[str] = []

    async def counted() -> None:
        trips.append("close_old_connections")

    monkeypatch.setattr("channels.consumer.aclose_old_connections", counted)
    user = await database_sync_to_async(make_user)()
    seen: dict[str, object] = {}
    async with Socket(user, stream=upstream(lambda: None, seen), model_ids=no_models) as socket:
        on_connect = len(trips)
        await socket.send(**send_payload("Is it fast?"))
        await socket.receive_until(DONE)
        await socket.send(action="stop")
        await socket.send(action="no such action")
        await socket.receive_until("Unknown action")
        after_messages = len(trips)
    assert on_connect == 1, "connecting still closes stale connections first"
    assert after_messages == on_connect


def regenerate_payload(conversation: Conversation, turn: Turn) -> dict[str, str]:
    settings = {key: value for key, value in send_payload("").items()
                if key not in {"action", "prompt", "conversation"}}  # fmt: skip
    return {"action": "regenerate", "conversation": str(conversation.pk), "turn": str(turn.pk),
            **settings}  # fmt: skip


@database_sync_to_async
def reply_of(conversation: Conversation) -> Turn:
    return Turn.objects.filter(conversation=conversation, role="assistant").order_by("pk").last()


async def test_a_regeneration_leaves_before_its_reply_is_stored(make_user) -> None:
    user = await database_sync_to_async(make_user)()
    conversation = await exchange(user)
    old = await reply_of(conversation)
    seen: dict[str, object] = {}
    stream = upstream(lambda: stored_counts(user), seen)
    async with Socket(user, stream=stream, model_ids=no_models) as socket:
        await socket.send(**regenerate_payload(conversation, old))
        await socket.receive_until(DONE)
    assert seen["before"] == (1, 2), "the new reply was not stored yet when the request left"
    assert [(m.role, m.content) for m in seen["spec"].messages] == [("user", "Hello")]
    new = await reply_of(conversation)
    assert new.pk != old.pk and new.parent_id == old.parent_id and new.content == "ok"
    assert new.run_spec == seen["spec"].to_dict()


async def test_a_regeneration_whose_reply_another_tab_answered_meanwhile_is_refused(
    make_user, settings
) -> None:
    settings.LIMIT_REQUESTS_PER_MINUTE = 5
    user = await database_sync_to_async(make_user)()
    conversation = await exchange(user)
    old = await reply_of(conversation)

    def another_tab_sends() -> None:
        Turn.objects.create(conversation=conversation, role="user", content="Other tab",
                            parent=old)  # fmt: skip

    seen: dict[str, object] = {}
    async with Socket(user, stream=upstream(another_tab_sends, seen), model_ids=no_models) as s:
        await s.send(**regenerate_payload(conversation, old))
        said = html.unescape(await s.receive_until(NOTICE))
    assert "no longer the last one" in said
    assert seen["closed"] is True, "the request that left was closed"
    assert await database_sync_to_async(stored_counts)(user) == (1, 3), "only the other tab's"
    assert await database_sync_to_async(requests_counted)(user) == 0, "its request was given back"
