from __future__ import annotations

import re
import time

import pytest
from channels.db import database_sync_to_async

from playground.chat.models import TurnState
from playground.compare.models import Comparison, Pane
from tests.compare.conftest import Socket, run_payload
from tests.fake_streams import scripted_stream
from tests.live_page import shown_text

pytestmark = pytest.mark.django_db(transaction=True)

FINISHED = "<h2>Summary</h2>"


def pane_final(state: str) -> str:
    return f'data-state="{state}" aria-labelledby'


@database_sync_to_async
def panes_of(user) -> list[Pane]:
    return list(Pane.objects.filter(comparison__user=user).order_by("position"))


@database_sync_to_async
def comparisons_of(user) -> list[Comparison]:
    return list(Comparison.objects.filter(user=user))


def script(pieces: list[str], delay: float, closed: list[str], fail_seed=None):
    """Each pane streams `pieces`; the pane with seed `fail_seed` fails after three."""

    def fake(spec):
        fail_after = 3 if spec.seed == fail_seed else None
        return scripted_stream(pieces, delay, closed, f"seed{spec.seed}", fail_after=fail_after)

    return fake


def fragments_of(frames: list[str], pane_id: int) -> list[int]:
    """Indexes of the frames that carry answer text for this pane."""
    marker = f'id="p{pane_id}-c0-answer" hx-swap-oob="beforeend"'
    return [index for index, frame in enumerate(frames) if marker in frame]


async def test_it_runs_every_pane_against_the_emulator_and_sums_them_up(make_user, emulator_url):
    user = await database_sync_to_async(make_user)()
    panes = [
        {"model": "gemini-2.5-flash", "reasoning_mode": "effort", "reasoning_effort": "none"},
        {"model": "gemini-2.5-flash", "reasoning_mode": "budget", "thinking_budget": 8192,
         "include_thoughts": "on"},
        {"model": "gemini-3-flash-preview", "reasoning_mode": "level", "thinking_level": "high",
         "include_thoughts": "on", "service_tier": "flex", "seed": 7, "temperature": 0.4},
    ]  # fmt: skip
    async with Socket(user) as socket:
        await socket.send(**run_payload("Why is the sky blue?", panes))
        started = await socket.receive_until('id="compare-results"')
        assert started.count('class="pane card" data-state="streaming"') == 3
        summary = await socket.receive_until(FINISHED)

    saved = await panes_of(user)
    assert [pane.state for pane in saved] == [TurnState.DONE] * 3
    assert all("sky" in pane.answer.lower() or pane.answer for pane in saved)
    off, budget, high = saved
    assert off.thinking_tokens == 0 and off.thoughts == ""
    assert budget.thoughts and budget.thinking_tokens > 0
    assert high.label == "gemini-3-flash-preview · level high · T 0.4 · seed 7 · flex"
    assert high.run_spec["service_tier"] == "flex" and high.run_spec["thinking_level"] == "high"
    for pane in saved:
        assert pane.ttft_ms is not None and pane.total_ms >= pane.first_answer_ms >= pane.ttft_ms
    assert budget.first_thought_ms is not None and budget.first_thought_ms <= budget.first_answer_ms
    (comparison,) = await comparisons_of(user)
    assert comparison.wall_ms >= max(pane.total_ms for pane in saved)
    assert summary.count('<figure class="chart') == 7, (
        "six range-bar charts (cost too) and the timeline"
    )
    assert "Time to first token" in summary and "Thinking tokens" in summary
    assert summary.count('figure-cost" data-sort-value=') == 3, "a cost for every pane"


async def test_panes_stream_side_by_side_not_one_after_another(make_user, monkeypatch):
    user = await database_sync_to_async(make_user)()
    closed: list[str] = []
    stream = script([f"w{i} " for i in range(30)], 0.01, closed)
    async with Socket(user, stream=stream) as socket:
        panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in (1, 2)]
        await socket.send(**run_payload("interleave", panes))
        await socket.receive_until(FINISHED)
    first, second = await panes_of(user)
    a, b = fragments_of(socket.frames, first.pk), fragments_of(socket.frames, second.pk)
    assert len(a) > 2 and len(b) > 2
    assert b[0] < a[-1] and a[0] < b[-1], "fragments of both panes alternate"
    assert first.answer == second.answer == "".join(f"w{i} " for i in range(30))
    for pane in (first, second):
        kinds = [kind for kind, _, _ in pane.timeline["fragments"]]
        assert kinds[0] == "thought" and "answer" in kinds and "usage" in kinds
        assert pane.timeline["end_ms"] >= pane.timeline["fragments"][-1][1]


async def test_one_failing_pane_does_not_stop_the_others(make_user, monkeypatch):
    user = await database_sync_to_async(make_user)()
    closed: list[str] = []
    stream = script([f"w{i} " for i in range(10)], 0.005, closed, fail_seed=2)
    async with Socket(user, stream=stream) as socket:
        panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in (1, 2, 3)]
        await socket.send(**run_payload("one of us fails", panes))
        summary = await socket.receive_until(FINISHED)
    ok1, failed, ok3 = await panes_of(user)
    assert (ok1.state, failed.state, ok3.state) == ("done", "error", "done")
    assert failed.answer == "w0 w1 w2 ", "what arrived before the error is kept"
    assert failed.error["status_code"] == 429 and "exhausted" in failed.error["message"]
    assert ok1.answer == ok3.answer == "".join(f"w{i} " for i in range(10))
    assert any("429 RESOURCE_EXHAUSTED" in frame for frame in socket.frames)
    assert "Error" in summary


async def test_stop_ends_one_pane_and_the_others_go_on(make_user, monkeypatch):
    user = await database_sync_to_async(make_user)()
    closed: list[str] = []
    stream = script([f"w{i} " for i in range(60)], 0.01, closed)
    async with Socket(user, stream=stream) as socket:
        panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in (1, 2)]
        await socket.send(**run_payload("stop the first", panes))
        await socket.receive_until("w3 ")
        first, _ = await panes_of(user)
        stopped_at = time.monotonic()
        await socket.send(action="stop", pane=str(first.pk))
        await socket.receive_until(f'id="pane-{first.pk}" class="pane card" data-state="cancelled"')
        assert closed[0] == "seed1" and time.monotonic() - stopped_at < 1.0
        await socket.receive_until(FINISHED)
    first, second = await panes_of(user)
    assert first.state == TurnState.CANCELLED and first.answer.startswith("w0 w1 w2")
    assert len(first.answer) < len(second.answer)
    assert second.state == TurnState.DONE and second.answer.endswith("w59 ")


async def test_closing_the_tab_stops_every_pane_and_keeps_what_arrived(make_user, monkeypatch):
    user = await database_sync_to_async(make_user)()
    closed: list[str] = []
    stream = script([f"w{i} " for i in range(400)], 0.01, closed)
    socket = await Socket(user, stream=stream).__aenter__()
    panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in (1, 2, 3)]
    await socket.send(**run_payload("never finishes", panes))
    await socket.receive_until("w3 ")
    gone_at = time.monotonic()
    await socket.communicator.disconnect()
    assert sorted(closed) == ["seed1", "seed2", "seed3"]
    assert time.monotonic() - gone_at < 2.0
    saved = await panes_of(user)
    assert [pane.state for pane in saved] == [TurnState.CANCELLED] * 3
    assert all(pane.answer.startswith("w0 ") for pane in saved)
    (comparison,) = await comparisons_of(user)
    assert comparison.wall_ms is not None


async def test_an_invalid_run_is_answered_with_errors_and_stores_nothing(make_user, emulator_url):
    user = await database_sync_to_async(make_user)()
    panes = [
        {"model": "gemini-3-flash-preview", "reasoning_mode": "effort", "reasoning_effort": "none"},
        {"model": "gemini-2.5-pro", "reasoning_mode": "budget", "thinking_budget": 0},
        {"model": "gemini-2.5-flash", "service_tier": "turbo", "temperature": 9},
    ]
    async with Socket(user) as socket:
        await socket.send(**run_payload("   ", panes))
        errors = await socket.receive_until('id="compare-errors"')
        await socket.send(text_data="not json")  # an unreadable frame is a notice, not a crash
    assert "Type a prompt first." in errors
    assert "Pane 1, reasoning_effort:" in errors and "cannot turn thinking off" in errors
    assert "Pane 2, thinking_budget:" in errors and "(budget 0)" in errors
    assert "Pane 3, service_tier:" in errors and "Pane 3, temperature:" in errors
    assert 'id="pane-settings"' in errors, "the pane settings come back with the errors inline"
    assert await comparisons_of(user) == []


async def test_it_refuses_more_than_eight_panes(make_user, emulator_url):
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        panes = [{"model": "gemini-2.5-flash"}] * 9
        await socket.send(**run_payload("too many", panes))
        errors = await socket.receive_until('id="compare-errors"')
    assert "8" in errors and await comparisons_of(user) == []


async def test_a_second_run_while_one_runs_is_refused(make_user, monkeypatch):
    user = await database_sync_to_async(make_user)()
    closed: list[str] = []
    stream = script([f"w{i} " for i in range(40)], 0.01, closed)
    async with Socket(user, stream=stream) as socket:
        await socket.send(**run_payload("first", [{"model": "gemini-2.5-flash"}]))
        await socket.receive_until("w1 ")
        await socket.send(**run_payload("second", [{"model": "gemini-2.5-flash"}]))
        notice = await socket.receive_until('id="compare-notice"')
        await socket.receive_until(FINISHED)
    assert "still running" in notice
    assert [c.prompt for c in await comparisons_of(user)] == ["first"]


async def test_it_writes_nothing_per_chunk(make_user, monkeypatch):
    from django.db.backends import utils

    user = await database_sync_to_async(make_user)()
    writes: list[str] = []
    original = utils.CursorWrapper.execute

    def counting_execute(self, sql, params=None):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(sql)
        return original(self, sql, params)

    monkeypatch.setattr(utils.CursorWrapper, "execute", counting_execute)
    closed: list[str] = []
    stream = script([f"t{i} " for i in range(200)], 0.001, closed)
    async with Socket(user, stream=stream) as socket:
        panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in (1, 2, 3, 4)]
        await socket.send(**run_payload("count", panes))
        await socket.receive_until(FINISHED, timeout=15)
    targets = set(re.findall(r'id="(p\d+-c0-answer)"', "".join(socket.frames)))
    shown = [shown_text(socket.frames, target) for target in sorted(targets)]
    assert shown == 4 * ["".join(f"t{i} " for i in range(200)).strip() + "\n"]
    assert len(writes) < 12, f"{len(writes)} writes for 4 panes of 200 chunks"


async def test_a_broken_stream_is_that_panes_error_and_the_rest_finish(make_user, monkeypatch):
    user = await database_sync_to_async(make_user)()
    closed: list[str] = []

    async def broken(spec):
        from playground.llm.streaming import AnswerDelta

        yield AnswerDelta(text="half ")
        raise RuntimeError("a bug, not an upstream error")

    def fake(spec):
        if spec.seed == 2:
            return broken(spec)
        return scripted_stream(["ok "], 0.001, closed, f"seed{spec.seed}")

    async with Socket(user, stream=fake) as socket:
        panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in (1, 2)]
        await socket.send(**run_payload("one bug", panes))
        await socket.receive_until(FINISHED)
    fine, broken_pane = await panes_of(user)
    assert fine.state == TurnState.DONE and fine.answer == "ok "
    assert broken_pane.state == TurnState.ERROR and broken_pane.answer == "half "
    assert "failed while relaying" in broken_pane.error["message"]


async def test_runs_per_pane_go_out_together_and_vary_unless_seeded(make_user, emulator_url):
    user = await database_sync_to_async(make_user)()
    panes = [{"model": "gemini-2.5-flash"}, {"model": "gemini-2.0-flash", "seed": 7}]
    async with Socket(user) as socket:
        await socket.send(**run_payload("Why is the sky blue?", panes, runs_per_pane="3"))
        started = await socket.receive_until('id="compare-results"')
        summary = await socket.receive_until(FINISHED)

    assert started.count('class="pane card" data-state="streaming"') == 6
    assert started.count('class="run-switcher"') == 2, "each pane switches between its runs"
    saved = await panes_of(user)
    assert [(pane.position, pane.run) for pane in saved] == [
        (0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2),
    ]  # fmt: skip
    unseeded, seeded = saved[:3], saved[3:]
    assert len({pane.answer for pane in unseeded}) == 3, "repeats differ, as a model's would"
    assert len({pane.answer for pane in seeded}) == 1, "one seed, one answer"
    (comparison,) = await comparisons_of(user)
    assert comparison.wall_ms < sum(pane.total_ms for pane in unseeded), "side by side"
    assert "All 3 done" in summary and "Each figure is the median" in summary
    assert 'class="chart-whisker"' in summary, "the thinking tokens of pane 1 spread"


async def test_runs_beyond_the_stream_limit_are_refused_before_anything_is_sent(
    make_user, emulator_url, settings
):
    settings.LIMIT_CONCURRENT_STREAMS = 4
    user = await database_sync_to_async(make_user)()
    panes = [{"model": "gemini-2.0-flash"}, {"model": "gemini-2.0-flash", "temperature": 5}]
    async with Socket(user) as socket:
        await socket.send(**run_payload("hi", panes, runs_per_pane="2"))
        bad_field = await socket.receive_until('id="compare-errors"')
        panes[1]["temperature"] = 0.5
        await socket.send(**run_payload("hi", panes, runs_per_pane="3"))
        too_many = await socket.receive_until('id="compare-errors"')
        await socket.send(**run_payload("hi", panes, runs_per_pane="2"))
        started = await socket.receive_until('id="compare-results"')
        await socket.receive_until(FINISHED)

    assert "Pane 2, temperature:" in bad_field, "a pane's error alone is listed too"
    assert "2 panes of 3 runs make 6 replies at once" in too_many
    # The fixed run redraws the panes as sent: the old field error is gone.
    assert "errorlist" not in started and "Nothing was sent" not in started
    assert len(await panes_of(user)) == 4


async def test_every_panes_request_leaves_while_the_runs_frame_is_drawn(make_user, monkeypatch):
    """Drawing the run's frame took 16 ms for eight panes, on the event loop, before any pane's
    request left. The requests now leave first; the fragments still follow the frame."""
    import threading

    from playground.compare import consumers

    user = await database_sync_to_async(make_user)()
    seeds = (1, 2, 3)
    requested: list[int] = []
    all_requested = threading.Event()

    async def stream(spec):
        requested.append(spec.seed)
        if len(requested) == len(seeds):
            all_requested.set()
        async for event in scripted_stream(["a ", "b "], 0.0, [], f"seed{spec.seed}"):
            yield event

    seen_when_drawn: list[list[int]] = []
    render = consumers.render_to_string

    def drawing(template: str, context: dict) -> str:
        if template == "compare/_run_started.html":
            all_requested.wait(timeout=2.0)  # drawn off the event loop, which sends meanwhile
            seen_when_drawn.append(sorted(requested))
        return render(template, context)

    monkeypatch.setattr(consumers, "render_to_string", drawing)
    async with Socket(user, stream=stream) as socket:
        panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in seeds]
        await socket.send(**run_payload("all at once", panes))
        await socket.receive_until(FINISHED)

    assert seen_when_drawn == [list(seeds)]
    drawn = next(i for i, frame in enumerate(socket.frames) if 'id="compare-results"' in frame)
    for pane in await panes_of(user):
        assert fragments_of(socket.frames, pane.pk)[0] > drawn, "fragments follow the frame"
        assert pane.answer == "a b "


async def test_a_runs_requests_leave_before_the_comparison_is_stored(make_user, monkeypatch):
    """As a chat send's: admitted ahead, sent, then written (4 ms and a trip for eight panes)."""
    from playground.compare import runs

    user = await database_sync_to_async(make_user)()
    seeds = (1, 2)
    requested: list[int] = []

    async def stream(spec):
        requested.append(spec.seed)
        async for event in scripted_stream(["a "], 0.0, [], f"seed{spec.seed}"):
            yield event

    seen_when_stored: list[list[int]] = []
    start = runs.comparison_start

    def storing(**kwargs):
        seen_when_stored.append(sorted(requested))
        return start(**kwargs)

    monkeypatch.setattr(runs, "comparison_start", storing)
    async with Socket(user, stream=stream) as socket:
        panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in seeds]
        await socket.send(**run_payload("before storing", panes, runs_per_pane="2"))
        await socket.receive_until(FINISHED)

    assert seen_when_stored == [[1, 1, 2, 2]]
    saved = await panes_of(user)
    assert [(pane.position, pane.answer) for pane in saved] == [
        (0, "a "),
        (0, "a "),
        (1, "a "),
        (1, "a "),
    ]
    assert all(pane.run_spec["seed"] == seeds[pane.position] for pane in saved)


async def test_a_run_refused_as_it_is_stored_closes_its_requests_and_gives_them_back(
    make_user, monkeypatch, settings
):
    from playground.compare import services
    from playground.limits.admission import StreamRefused

    settings.LIMIT_REQUESTS_PER_MINUTE = 2
    user = await database_sync_to_async(make_user)()
    closed: list[str] = []
    stream = script(["a ", "b "], 0.05, closed)

    def refuse(**kwargs):
        raise StreamRefused("Another tab started replies meanwhile.")

    panes = [{"model": "gemini-2.5-flash", "seed": seed} for seed in (1, 2)]
    async with Socket(user, stream=stream) as socket:
        with monkeypatch.context() as patch:
            patch.setattr(services, "streams_admit", refuse)
            await socket.send(**run_payload("refused", panes))
            await socket.receive_until("Another tab started replies meanwhile.")
        assert sorted(closed) == ["seed1", "seed2"], "both requests closed"
        assert await comparisons_of(user) == [], "nothing stored"
        # The minute's two requests were given back: the same run goes out now.
        await socket.send(**run_payload("admitted", panes))
        await socket.receive_until(FINISHED)
    assert [pane.answer for pane in await panes_of(user)] == ["a b ", "a b "]


async def test_a_run_draws_the_saved_list_once(make_user):
    """The run's frame puts the comparison at the top of the saved list, as the current one;
    the summary leaves the list alone (it read and drew 100 items again: ~11 ms a run)."""
    user = await database_sync_to_async(make_user)()
    async with Socket(user, stream=script(["a "], 0.0, [])) as socket:
        await socket.send(**run_payload("listed", [{"model": "gemini-2.5-flash", "seed": 1}]))
        started = await socket.receive_until('id="compare-results"')
        summary = await socket.receive_until(FINISHED)
    (comparison,) = await comparisons_of(user)
    listed = started.split('id="saved-list"')[1].split("</ul>")[0]
    assert f'href="/compare/{comparison.pk}/" aria-current="page"' in listed
    assert 'id="saved-list"' not in summary
