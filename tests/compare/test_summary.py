from __future__ import annotations

from playground.compare.charts import summary_charts, timeline
from playground.compare.diff import word_diff
from playground.compare.models import Pane


def pane(position: int, **figures: int | None) -> Pane:
    return Pane(position=position, label=f"pane {position}", **figures)


def test_bars_are_as_long_as_their_share_of_the_largest_value():
    panes = [pane(0, ttft_ms=500, total_ms=1000, thinking_tokens=0),
             pane(1, ttft_ms=250, total_ms=4000, thinking_tokens=None)]  # fmt: skip
    ttft, total, thinking = summary_charts(panes)

    assert ttft.bars[1].width * 2 == ttft.bars[0].width
    assert total.bars[0].width * 4 == total.bars[1].width
    assert [bar.text for bar in thinking.bars] == ["0 tok", "—"]
    assert [bar.text for bar in total.bars] == ["1.00 s", "4.00 s"]


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
    assert [tick.text for tick in drawn.ticks] == ["0", "500 ms", "1 s", "1.5 s", "2 s"]


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
