"""The google-gemini cookbook's batch cells, recorded in tests/fixtures/gemini/."""

from __future__ import annotations

import re

from tests.llm.recordings import text_of

RECORDING = "batch_chat_cookbook_cells.txt"


def cookbook_input_lines() -> list[str]:
    """The JSONL the notebook wrote (cell 47)."""
    return [line for line in text_of(RECORDING).splitlines() if line.startswith('{"custom_id"')]


def cookbook_output_lines() -> list[str]:
    """The output lines the notebook printed (cell 56), without their line numbers."""
    return re.findall(r"^\d+ (\{.*\})$", text_of(RECORDING), re.M)
