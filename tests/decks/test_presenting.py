"""Presenting a step over the socket: live, replayed at the recorded pace, or live with a
fallback to the recording when the upstream fails or is too slow."""

from __future__ import annotations

import asyncio
import time

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model

from playground.catalog.costs import PRICE_UNKNOWN, Usage, cost_text, run_cost
from playground.decks.consumers import DeckConsumer
from playground.decks.models import Deck
from playground.llm.errors import UpstreamError
from playground.llm.streaming import AnswerDelta, FinishEvent
from tests.decks.conftest import deck_of, steps
from tests.sockets import ConsumerSocket

pytestmark = pytest.mark.django_db(transaction=True)

REPLAYED = "replayed, recorded on"
FINAL = 'data-state="done"'


class Socket(ConsumerSocket):
    consumer = DeckConsumer
    path = "/ws/decks/"


async def unreachable(spec):
    raise UpstreamError("Connection refused.", kind="connection")
    yield  # an async generator, like the real stream


async def too_slow(spec):
    await asyncio.sleep(30)
    yield AnswerDelta(text="late")


async def answers_live(spec):
    yield AnswerDelta(text="A live answer.")
    yield FinishEvent(choice=0, reason="stop")


@database_sync_to_async
def a_deck(mode: str, seconds: int = 20) -> tuple[object, Deck, list[int]]:
    user = get_user_model().objects.create_user("ada", password=None)
    deck = deck_of(user, mode=mode, fallback_seconds=seconds)
    return user, deck, [step.pk for step in steps(deck)]


async def test_a_replay_plays_the_recording_at_pace_with_the_recorded_figures():
    user, deck, (chat, _) = await a_deck("replay")
    async with Socket(user) as socket:
        started = time.monotonic()
        await socket.send(action="run", deck=deck.pk, step=chat, speed=2)
        first = await socket.receive_until('id="s')
        final = await socket.receive_until(FINAL)
        took = time.monotonic() - started
    assert REPLAYED in first and "gemini-2.5-flash" in first
    assert "Paris is the capital." in "".join(socket.frames)
    assert "Time to first token</dt><dd>200 ms" in final, "the recorded TTFT"
    assert "Thinking tokens</dt><dd>12<" in final
    cost = cost_text(run_cost(model="gemini-2.5-flash", usage=Usage(4, 3, 12), service_tier=None))
    assert cost != PRICE_UNKNOWN and f"Cost</dt><dd>{cost}<" in final, "priced from the table"
    assert 0.9 * 0.45 <= took < 2.0, "900 ms recorded, at 2x"


async def test_live_with_fallback_replays_after_an_upstream_failure():
    user, deck, (chat, _) = await a_deck("fallback")
    async with Socket(user, stream=unreachable) as socket:
        await socket.send(action="run", deck=deck.pk, step=chat, speed=4)
        await socket.receive_until(FINAL)
    frames = "".join(socket.frames)
    assert frames.index(">live<") < frames.index(REPLAYED), "live first, then the recording"
    assert "Live run did not finish: Connection refused." in frames
    assert "Paris is the capital." in frames


async def test_live_with_fallback_replays_when_the_upstream_passes_the_timeout():
    user, deck, (chat, _) = await a_deck("fallback", seconds=1)
    async with Socket(user, stream=too_slow) as socket:
        started = time.monotonic()
        await socket.send(action="run", deck=deck.pk, step=chat, speed=4)
        await socket.receive_until(REPLAYED)
        assert 0.9 < time.monotonic() - started < 3
        await socket.receive_until(FINAL)


async def test_live_runs_the_step_and_a_failure_stays_a_failure():
    user, deck, (chat, _) = await a_deck("live")
    async with Socket(user, stream=answers_live) as socket:
        await socket.send(action="run", deck=deck.pk, step=chat, speed=1)
        final = await socket.receive_until(FINAL)
    assert "A live answer." in final and REPLAYED not in "".join(socket.frames)
    async with Socket(user, stream=unreachable) as socket:
        await socket.send(action="run", deck=deck.pk, step=chat, speed=1)
        failed = await socket.receive_until('data-state="error"')
    assert "Connection refused." in failed and REPLAYED not in "".join(socket.frames)


async def test_a_comparison_step_replays_every_pane():
    user, deck, (_, compare) = await a_deck("replay")
    async with Socket(user) as socket:
        await socket.send(action="run", deck=deck.pk, step=compare, speed=4)
        for pane in range(4):
            await socket.receive_until(f'id="s{compare}-r{pane}" class="deck-slot" {FINAL}')
    frames = "".join(socket.frames)
    assert all(f"Rayleigh scattering {pane}." in frames for pane in range(4))


async def test_someone_elses_step_is_not_presented():
    _, deck, (chat, _) = await a_deck("replay")
    other = await database_sync_to_async(get_user_model().objects.create_user)("mallory")
    async with Socket(other) as socket:
        await socket.send(action="run", deck=deck.pk, step=chat, speed=1)
        notice = await socket.receive_until("deck-notice")
        await socket.send(action="run", deck="x", step=chat, speed=9)
        invalid = await socket.receive_until("reload the page")
    assert "does not exist" in notice and "Paris" not in "".join(socket.frames)
    assert "cannot be presented" in invalid
