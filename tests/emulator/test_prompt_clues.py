"""What made-up arguments borrow from a prompt: names, dates, numbers, expressions, patterns."""

from __future__ import annotations

import re

import pytest

from playground.emulator.pattern_text import text_matching
from playground.emulator.prompt_clues import prompt_clues


@pytest.mark.parametrize(
    ("prompt", "names"),
    [
        ("What's the weather like in Chicago today?", ("Chicago",)),
        ("Weather in Seoul and Oslo?", ("Seoul", "Oslo")),
        ("Compare New York City with San Francisco", ("New York City", "San Francisco")),
        ("Is it cold in Chicago, IL right now?", ("Chicago, IL",)),
        ("John and Susan are going to an AI conference on Friday.", ("John", "Susan")),
        ("Flights from NYC to LAX tomorrow", ("NYC", "LAX")),
        ("what is the weather in paris", ()),
    ],
)
def test_it_finds_the_names_a_prompt_mentions(prompt: str, names: tuple[str, ...]) -> None:
    assert prompt_clues(prompt).names == names


def test_it_finds_dates_numbers_and_phrases() -> None:
    clues = prompt_clues("Book a table for 4 at 7pm on 2026-05-01, or on Friday.")

    assert clues.dates == ("2026-05-01", "Friday")
    assert clues.numbers == (4, 7)
    assert clues.phrase == "table"


def test_it_finds_an_arithmetic_expression() -> None:
    assert prompt_clues("What is 12 * (3 + 4)?").expression == "12 * (3 + 4)"
    assert prompt_clues("Meet on 2026-05-01").expression == ""


def test_a_place_without_capitals_is_taken_after_in() -> None:
    assert prompt_clues("what is the weather in paris").place == "paris"


def test_enum_values_are_matched_as_whole_words() -> None:
    clues = prompt_clues("Show it in Fahrenheit please")

    assert clues.mentions("fahrenheit") and not clues.mentions("heit")


@pytest.mark.parametrize(
    "pattern",
    [r"^[0-9]+$", r"^[A-Z]{3}-\d{4}$", r"^(draft|final)_v\d+$", r"[^a-z]{2}", r"^\w+@\w+\.com$"],
)
def test_it_writes_text_matching_a_pattern(pattern: str) -> None:
    text = text_matching(pattern)

    assert text is not None and re.search(pattern, text)


def test_a_pattern_beyond_it_gives_no_text() -> None:
    assert text_matching(r"^(a)\1$") is None
