"""Compare through every upstream fault: each pane keeps what arrived and ends in one final
state with a message and a Retry, and the socket runs the next comparison."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async

from playground.compare.models import Comparison, Pane
from tests.compare.conftest import Socket, run_payload
from tests.live_page import shown_html
from tests.reliability.faults import FAILURES, REFUSED, Fault
from tests.servers import ServedPlayground, free_port

pytestmark = pytest.mark.django_db(transaction=True)

FINISHED = "<h2>Summary</h2>"
PANES = [{"model": "gemini-2.5-flash", "seed": 1}, {"model": "gemini-2.0-flash", "seed": 2}]


def final_swap(pane_id: int) -> re.Pattern[str]:
    return re.compile(rf'<article id="pane-{pane_id}" [^>]*hx-swap-oob="outerHTML"')


@database_sync_to_async
def comparisons_of(user) -> list[tuple[Comparison, list[Pane]]]:
    found = Comparison.objects.filter(user=user).order_by("pk")
    return [(c, list(c.panes.order_by("position"))) for c in found]


async def next_run_works(socket: Socket, user) -> None:
    await socket.send(**run_payload("And what about lakes?", PANES))
    await socket.receive_until(FINISHED, timeout=20)
    *_, (comparison, panes) = await comparisons_of(user)
    assert comparison.prompt == "And what about lakes?"
    assert [pane.state for pane in panes] == ["done", "done"]


def assert_kept_and_shown(
    socket: Socket, prompt: str, comparison: Comparison, panes: list[Pane], fault: Fault
) -> None:
    assert comparison.prompt == prompt, "the prompt is kept"
    for pane in panes:
        assert pane.state == fault.state
        swaps = [frame for frame in socket.frames if final_swap(pane.pk).search(frame)]
        assert len(swaps) == 1, "exactly one final state reached the page"
        assert fault.says in swaps[0] and "Retry" in swaps[0]
        assert pane.answer_html == shown_html(socket.frames, f"p{pane.pk}-c0-answer")
        assert bool(pane.answer) == fault.keeps_text, "what arrived is kept"


@pytest.mark.parametrize("fault", FAILURES, ids=str)
async def test_it_keeps_compare_usable_through_each_upstream_fault(
    make_user, faulty_upstream: ServedPlayground, settings, fault: Fault
) -> None:
    settings.UPSTREAM_TIMEOUT_SECONDS = 1.0  # the stall outlasts it
    user = await database_sync_to_async(make_user)()
    prompt = f"Tell me about rivers [emulator-fault:{fault.kind}]"
    async with Socket(user) as socket:
        await socket.send(**run_payload(prompt, PANES))
        await socket.receive_until(FINISHED, timeout=20)
        ((comparison, panes),) = await comparisons_of(user)
        assert_kept_and_shown(socket, prompt, comparison, panes, fault)

        await next_run_works(socket, user)


async def test_it_says_when_the_endpoint_refuses_connections_and_runs_again_after(
    make_user, faulty_upstream: ServedPlayground, settings
) -> None:
    settings.EMULATOR_BASE_URL = f"http://127.0.0.1:{free_port()}/emulator/v1beta/openai/"
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**run_payload("Rivers?", PANES))
        await socket.receive_until(FINISHED, timeout=20)
        ((comparison, panes),) = await comparisons_of(user)
        refused = Fault("refused", "error", REFUSED, keeps_text=False)
        assert_kept_and_shown(socket, "Rivers?", comparison, panes, refused)

        settings.EMULATOR_BASE_URL = faulty_upstream.emulator_url  # the endpoint is back
        await next_run_works(socket, user)


async def test_a_megabyte_in_one_chunk_reaches_every_pane_whole(
    make_user, faulty_upstream: ServedPlayground
) -> None:
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**run_payload("Rivers? [emulator-fault:big-chunk]", PANES))
        await socket.receive_until(FINISHED, timeout=30)
        ((_, panes),) = await comparisons_of(user)

    for pane in panes:
        assert pane.state == "done" and len(pane.answer) >= 1_000_000
        assert pane.answer_html == shown_html(socket.frames, f"p{pane.pk}-c0-answer")


async def test_a_slow_thinking_phase_longer_than_the_timeout_finishes_in_every_pane(
    make_user, faulty_upstream: ServedPlayground, settings
) -> None:
    settings.UPSTREAM_TIMEOUT_SECONDS = 1.0  # the whole thinking takes 2.4 s, each gap 0.3 s
    user = await database_sync_to_async(make_user)()
    panes = [{**pane, "reasoning_mode": "budget", "thinking_budget": 1024,
              "include_thoughts": "on"} for pane in PANES[:1]] * 2  # fmt: skip
    async with Socket(user) as socket:
        await socket.send(**run_payload("Why? [emulator-fault:slow-thinking]", panes))
        await socket.receive_until(FINISHED, timeout=30)
        ((_, saved),) = await comparisons_of(user)

    for pane in saved:
        thoughts = [f for f in socket.frames if f'id="p{pane.pk}-c0-thoughts" hx-swap' in f]
        assert pane.state == "done" and pane.answer and len(thoughts) >= 4
        assert "Still thinking, step 8." in pane.thoughts
