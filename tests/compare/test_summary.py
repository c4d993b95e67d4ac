from __future__ import annotations

from playground.compare.charts import Spread, summary_charts, timeline
from playground.compare.columns import pane_columns
from playground.compare.diff import word_diff
from playground.compare.models import Pane
from playground.compare.selectors import summary_rows
from playground.runs.states import ReplyState


def pane(position: int, run: int = 0, model: str = "", **figures: object) -> Pane:
    return Pane(
        position=position, run=run, label=f"pane {position}", state=ReplyState.DONE,
        run_spec={"model": model, **figures.pop("spec", {})}, **figures,
    )  # fmt: skip


def test_bars_are_as_long_as_their_share_of_the_largest_value():
    panes = [pane(0, ttft_ms=500, total_ms=1000, thinking_tokens=0),
             pane(1, ttft_ms=250, total_ms=4000, thinking_tokens=None)]  # fmt: skip
    ttft, _first_answer, total, _cost, thinking, _answer = summary_charts(pane_columns(panes))

    assert ttft.bars[1].median * 2 == ttft.bars[0].median
    assert total.bars[0].median * 4 == total.bars[1].median
    assert [bar.text for bar in thinking.bars] == ["0 tok", "not reported"]
    assert [bar.text for bar in total.bars] == ["1.00 s", "4.00 s"]


def test_repeats_draw_the_median_and_the_range_of_their_runs():
    panes = [
        pane(0, run, total_ms=ms, thinking_tokens=t)
        for run, (ms, t) in enumerate([(1000, 100), (3000, 300), (2000, 200)])
    ]
    panes.append(pane(1, total_ms=4000, thinking_tokens=50))  # fmt: skip
    columns = pane_columns(panes)
    total = summary_charts(columns)[2]
    row = summary_rows(columns)[0]

    assert [len(column.runs) for column in columns] == [3, 1]
    assert (total.bars[0].median, total.bars[0].low, total.bars[0].high) == (50.0, 25.0, 75.0)
    assert total.bars[0].varies and not total.bars[1].varies
    assert total.bars[0].text == "2.00 s (1.00 s to 3.00 s)"
    thinking = next(cell for cell in row.cells if cell.key == "thinking")
    assert thinking.spread == Spread(200, 100, 300, 3)
    assert columns[0].state_text == "All 3 done"


def test_a_pane_stopped_before_it_began_says_so_instead_of_dashes():
    stopped = Pane(position=0, run=0, label="p", state=ReplyState.CANCELLED)
    failed = Pane(position=1, run=0, label="q", state=ReplyState.ERROR,
                  error={"message": "429 quota exhausted"})  # fmt: skip
    columns = pane_columns([stopped, failed])
    rows = summary_rows(columns)
    ttft = summary_charts(columns)[0]

    assert columns[0].story == "Stopped before anything arrived."
    assert columns[1].story == "Failed: 429 quota exhausted"
    assert [bar.text for bar in ttft.bars] == [columns[0].story, columns[1].story]
    assert all("—" not in cell.text for row in rows for cell in row.cells)


def test_the_timeline_shows_waiting_thinking_and_answering_on_one_axis():
    panes = [
        pane(0, offset_ms=0, first_thought_ms=200, first_answer_ms=1000, total_ms=2000),
        pane(1, offset_ms=0, first_answer_ms=500, total_ms=1000),  # no thoughts shown
    ]
    drawn = timeline(panes)
    thinker, quiet = drawn.rows

    assert [s.kind for s in thinker.segments] == ["wait", "think", "answer"]
    assert [s.kind for s in quiet.segments] == ["wait", "answer"]
    # Both panes answer at the same scale: pane 1 ends where pane 0 is half done.
    assert quiet.segments[-1].x + quiet.segments[-1].width == thinker.segments[-1].x
    assert drawn.ticks == ("0", "500 ms", "1 s", "1.5 s", "2 s")
    assert drawn.ticks_x == (0.0, 25.0, 50.0, 75.0, 100.0)


def test_the_diff_marks_words_and_gives_the_text_back_whole():
    diff = word_diff(
        "The sky is blue.\nIt scatters light.", "The sky looks blue.\nIt scatters light."
    )

    assert [(p.kind, p.text) for p in diff.pieces if p.kind != "same"] == [
        ("removed", "is"), ("added", "looks"),
    ]  # fmt: skip
    assert "".join(p.text for p in diff.pieces if p.kind != "added").startswith(
        "The sky is blue.\n"
    )
    assert (diff.removed_words, diff.added_words) == (1, 1)
    assert word_diff("same words", "same words").identical


def test_each_pane_has_a_cost_the_median_of_its_runs():
    # gemini-2.5-flash, $2.50 per million answer tokens: 400, 800 and 1,200 tokens.
    panes = [pane(0, run, "gemini-2.5-flash", prompt_tokens=0, completion_tokens=tokens)
             for run, tokens in enumerate([400, 1200, 800])]  # fmt: skip
    columns = pane_columns(panes)
    cost = next(cell for cell in summary_rows(columns)[0].cells if cell.key == "cost")
    chart = next(chart for chart in summary_charts(columns) if chart.key == "cost")

    assert cost.text == "$0.00200 ($0.00100 to $0.00300)"
    assert chart.bars[0].text == cost.text
    assert (chart.bars[0].low, chart.bars[0].median, chart.bars[0].high) == (33.33, 66.67, 100.0)


def test_a_pane_without_a_price_says_price_unknown_not_zero():
    panes = [pane(0, 0, "llama3:8b", prompt_tokens=10, completion_tokens=10, total_ms=500),
             pane(1, 0, "gemini-2.5-flash", total_ms=500)]  # fmt: skip
    columns = pane_columns(panes)
    rows = summary_rows(columns)
    chart = next(chart for chart in summary_charts(columns) if chart.key == "cost")

    costs = [next(cell.text for cell in row.cells if cell.key == "cost") for row in rows]
    assert costs == ["price unknown", "not reported"]
    assert chart.bars[0].text == "price unknown"


def test_the_cheapest_and_the_fastest_panes_are_marked():
    panes = [
        pane(0, 0, "gemini-2.5-pro", prompt_tokens=100, completion_tokens=100, total_ms=900),
        pane(1, 0, "gemini-2.5-flash", prompt_tokens=100, completion_tokens=100, total_ms=1500),
        pane(2, 0, "gemini-2.5-flash", prompt_tokens=100, completion_tokens=100, total_ms=1200,
             spec={"service_tier": "flex"}),
    ]  # fmt: skip
    rows = summary_rows(pane_columns(panes))

    assert [row.marks for row in rows] == [("fastest",), (), ("cheapest",)]


def test_no_pane_is_marked_when_all_are_alike():
    panes = [pane(p, 0, "gemini-2.5-flash", prompt_tokens=1, total_ms=900) for p in range(2)]

    assert [row.marks for row in summary_rows(pane_columns(panes))] == [(), ()]
