"""The results as the workbench keeps them: in the order sent, answers shortened for the table."""

from __future__ import annotations

from playground.batches.results import ANSWER_CHARS, results_in_input_order
from playground.llm.batch_output import BatchResult


def test_results_follow_the_input_order_and_name_missing_ones() -> None:
    rows = [
        BatchResult("b", 200, answer="B"),
        BatchResult("a", 200, answer="A"),
        BatchResult("z", 200),
    ]

    ordered = results_in_input_order(rows, ["a", "b", "c"])

    assert [row.custom_id for row in ordered] == ["a", "b", "c", "z"]
    assert ordered[2].error == "No result in the output file."


def test_a_long_answer_is_shortened_for_the_table() -> None:
    rows = [
        BatchResult("a", 200, answer="word " * ANSWER_CHARS),
        BatchResult("b", 200, answer="Hi"),
    ]

    kept = results_in_input_order(rows, ["a", "b"])

    assert kept[0].answer.endswith("…") and len(kept[0].answer) <= ANSWER_CHARS + 1
    assert kept[1].answer == "Hi"
