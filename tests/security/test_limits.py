"""Per-person limits: concurrent streams (a comparison counts its panes), requests per minute
and the largest max output tokens; each refusal says why, and stores nothing."""

from __future__ import annotations

import html

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from playground.chat.models import Conversation, ReplyState, Turn
from playground.compare.models import Comparison
from tests.chat.conftest import Socket, send_payload
from tests.compare.conftest import Socket as CompareSocket
from tests.compare.conftest import run_payload
from tests.fake_streams import fake_stream, scripted_stream

pytestmark = pytest.mark.django_db(transaction=True)

DONE = 'data-state="done" hx-swap-oob="outerHTML"'
NOTICE = 'id="chat-notice"'


@pytest.fixture
def instant_replies() -> dict[str, dict[str, object]]:
    """What each socket is given instead of the upstream and its model list."""

    async def no_models() -> list[str]:
        return []

    closed: list = []
    return {
        "chat": {"stream": lambda spec: fake_stream(["ok"], 0, closed), "model_ids": no_models},
        "compare": {"stream": lambda spec: scripted_stream(["ok"], 0, closed, "pane"),
                    "model_ids": no_models},
    }  # fmt: skip


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada", password="x" * 12)


@database_sync_to_async
def stored(user) -> tuple[int, int, int]:
    return (Conversation.objects.filter(user=user).count(),
            Turn.objects.filter(conversation__user=user).count(),
            Comparison.objects.filter(user=user).count())  # fmt: skip


@database_sync_to_async
def streaming_turns(user, count: int) -> list[Turn]:
    conversation = Conversation.objects.create(user=user, title="busy")
    return [Turn.objects.create(conversation=conversation, role="assistant",
                                state=ReplyState.STREAMING) for _ in range(count)]  # fmt: skip


async def refused_with(socket, payload: dict, notice: str) -> str:
    await socket.send(**payload)
    frame = await socket.receive_until(notice)
    return html.unescape(frame)


async def test_it_refuses_a_stream_beyond_the_concurrent_limit_and_stores_nothing(
    ada, settings, instant_replies
) -> None:
    settings.LIMIT_CONCURRENT_STREAMS = 2
    busy = await streaming_turns(ada, 2)
    before = await stored(ada)
    async with Socket(ada, **instant_replies["chat"]) as socket:
        said = await refused_with(socket, send_payload("One more?"), NOTICE)
        assert "You already have 2 replies generating" in said and "2 at a time" in said
        assert await stored(ada) == before, "nothing was stored"

        await database_sync_to_async(Turn.objects.filter(pk=busy[0].pk).update)(state="done")
        await socket.send(**send_payload("One more?"))
        await socket.receive_until(DONE)


async def test_a_comparison_counts_each_of_its_panes(ada, settings, instant_replies) -> None:
    settings.LIMIT_CONCURRENT_STREAMS = 3
    panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in range(4)]
    async with CompareSocket(ada, **instant_replies["compare"]) as socket:
        said = await refused_with(socket, run_payload("Why?", panes), 'id="compare-notice"')
        assert "This comparison has 4 panes, more than the 3 replies" in said

        await streaming_turns(ada, 2)
        said = await refused_with(socket, run_payload("Why?", panes[:2]), 'id="compare-notice"')
        assert "You already have 2 replies generating" in said
        assert (await stored(ada))[2] == 0, "no comparison was stored"

        await socket.send(**run_payload("Why?", panes[:1]))
        await socket.receive_until("<h2>Summary</h2>")


async def test_it_refuses_more_requests_a_minute_than_allowed(
    ada, settings, instant_replies
) -> None:
    settings.LIMIT_REQUESTS_PER_MINUTE = 3
    async with Socket(ada, **instant_replies["chat"]) as socket:
        for number in range(2):
            await socket.send(**send_payload(f"Question {number}"))
            await socket.receive_until(DONE)
            socket.frames.clear()
        before = await stored(ada)
        async with CompareSocket(ada, **instant_replies["compare"]) as compare:
            panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in range(2)]
            said = await refused_with(compare, run_payload("Why?", panes), 'id="compare-notice"')
        assert "more than the 3 requests a minute" in said and "Try again in" in said
        await socket.send(**send_payload("Question 3"))
        await socket.receive_until(DONE)
        said = await refused_with(socket, send_payload("Question 4"), NOTICE)
        assert "more than the 3 requests a minute" in said
        assert (await stored(ada))[2] == before[2] == 0


async def test_it_refuses_max_output_tokens_above_the_ceiling(
    ada, settings, instant_replies
) -> None:
    settings.MAX_OUTPUT_TOKENS_CEILING = 1000
    async with Socket(ada, **instant_replies["chat"]) as socket:
        said = await refused_with(socket, send_payload("Long", max_tokens="5000"), NOTICE)
        assert "Max output tokens is 5,000, above this playground's ceiling of 1,000" in said
        assert await stored(ada) == (0, 0, 0)

        await socket.send(**send_payload("Long", max_tokens="1000"))
        await socket.receive_until(DONE)


def test_the_pages_without_javascript_say_so_too(ada, settings, instant_replies) -> None:
    settings.MAX_OUTPUT_TOKENS_CEILING = 1000
    settings.LIMIT_CONCURRENT_STREAMS = 1
    client = Client()
    client.force_login(ada)

    chat = client.post("/chat/send/", {**send_payload("Long", max_tokens="5000"),
                                       "HEADERS": ""}, follow=True)  # fmt: skip
    panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in range(2)]
    payload = {k: v for k, v in run_payload("Why?", panes).items() if k != "HEADERS"}
    compare = client.post("/compare/run/", payload)

    assert "ceiling of 1,000" in html.unescape(chat.content.decode())
    assert compare.status_code == 429
    assert "more than the 1 reply one person" in html.unescape(compare.content.decode())
    assert not Conversation.objects.exists() and not Comparison.objects.exists()
