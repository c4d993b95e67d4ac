"""A batch's results as the workbench keeps them: one row per request, in the order sent.

Reading the output file is the upstream layer's job (`playground.llm.batch_output`); here the
typed results are matched to the requests and shortened for the table.
"""

from __future__ import annotations

from dataclasses import replace

from playground.llm import BatchResult

# The table shows the start of each answer; the output JSONL has them whole.
ANSWER_CHARS = 1_500


def _shortened(result: BatchResult) -> BatchResult:
    if len(result.answer) <= ANSWER_CHARS:
        return result
    return replace(result, answer=result.answer[:ANSWER_CHARS].rstrip() + "…")


def results_in_input_order(
    results: tuple[BatchResult, ...] | list[BatchResult], custom_ids: list[str]
) -> list[BatchResult]:
    """One row per request as submitted; requests without an output line say so. Answers are
    shortened for the table."""
    by_id = {result.custom_id: _shortened(result) for result in results}
    ordered = [
        by_id.pop(custom_id, None) or BatchResult(custom_id, error="No result in the output file.")
        for custom_id in custom_ids
    ]
    return ordered + list(by_id.values())
