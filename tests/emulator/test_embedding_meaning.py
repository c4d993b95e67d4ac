"""The emulator's made-up vectors carry meaning a demo can show: shared words, word forms and
common synonyms score clearly higher than unrelated texts."""

from __future__ import annotations

import math
import time

import pytest

from playground.emulator.embedding_vectors import (
    MAX_TEXT_CHARS,
    embedding_vector,
    word_stem,
)
from playground.emulator.related_words import RELATED_WORD_GROUPS


def cosine(a: list[float], b: list[float]) -> float:
    return math.sumprod(a, b) / math.sqrt(math.sumprod(a, a) * math.sumprod(b, b))


def similarity(first: str, second: str, dimensions: int | None = None) -> float:
    return cosine(
        embedding_vector(first, size=3072, dimensions=dimensions),
        embedding_vector(second, size=3072, dimensions=dimensions),
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("cat", "kitten"),
        ("dog", "puppy"),
        ("car", "automobile"),
        ("happy", "joyful"),
        ("money", "profit"),
    ],
)
def test_common_synonyms_score_clearly_above_half(first: str, second: str) -> None:
    assert similarity(first, second) > 0.5


def test_sentences_about_the_same_thing_in_other_words_are_alike() -> None:
    kitten = similarity("A kitten was sleeping on the rug.", "The cat sat on the mat.")
    money = similarity("Quarterly revenue grew by five percent.", "The company's profits rose.")

    assert kitten > 0.4
    assert money > 0.3


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("The dogs barked loudly.", "A dog is barking."),
        ("She walked home slowly.", "He walks slow."),
        ("Companies report profits.", "The company reported a profit."),
    ],
)
def test_word_forms_count_as_the_same_word(first: str, second: str) -> None:
    assert similarity(first, second) > 0.5


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("cat", "profit"),
        ("dog", "car"),
        ("happy", "bread"),
        ("The cat sat on the mat.", "Quarterly revenue grew by five percent."),
        ("Dogs are loyal companions.", "The company's profits rose sharply."),
        ("How do I bake sourdough bread?", "The train left the station late."),
    ],
)
def test_unrelated_texts_score_near_zero(first: str, second: str) -> None:
    assert abs(similarity(first, second)) < 0.15


def test_dogs_are_loyal_is_nearest_to_the_dog_sentence() -> None:
    others = [
        "The company's profits rose sharply.",
        "A puppy is a faithful friend.",
        "The cat sat on the mat.",
        "Quarterly revenue grew by five percent.",
        "How do I bake sourdough bread?",
        "Companions on a long journey talk a lot.",
    ]

    scores = {other: similarity("Dogs are loyal companions.", other) for other in others}

    nearest = max(scores, key=scores.__getitem__)
    assert nearest == "A puppy is a faithful friend."
    assert scores[nearest] > 0.5
    # A sentence sharing one word ("companions") comes next; one merely spelt alike does not.
    assert scores["Companions on a long journey talk a lot."] > 0.2
    assert scores[nearest] > scores["Companions on a long journey talk a lot."] + 0.1
    assert abs(scores["The company's profits rose sharply."]) < 0.15


def test_meaning_survives_a_shorter_vector() -> None:
    for dimensions in (128, 768):
        assert similarity("cat", "kitten", dimensions) > 0.4
        assert abs(similarity("cat", "profit", dimensions)) < 0.25


def test_word_stems_follow_the_usual_endings() -> None:
    assert {word_stem(w) for w in ("dog", "dogs", "dog's", "dog\u2019s")} == {"dog"}
    assert len({word_stem(w) for w in ("walk", "walks", "walked", "walking")}) == 1
    assert len({word_stem(w) for w in ("company", "companies")}) == 1
    assert len({word_stem(w) for w in ("sit", "sitting")}) == 1
    assert len({word_stem(w) for w in ("quick", "quickly")}) == 1
    assert word_stem("glass") != word_stem("glas")
    assert word_stem("bus") == "bus"


def test_every_related_word_group_holds_several_distinct_stems() -> None:
    assert len(RELATED_WORD_GROUPS) >= 30
    for group in RELATED_WORD_GROUPS:
        assert len({word_stem(word) for word in group}) >= 2, group


def test_a_very_long_text_costs_no_more_than_its_start() -> None:
    start = "The quick brown fox jumps over the lazy dog. " * (MAX_TEXT_CHARS // 45 + 1)
    huge = start + "Completely different words about finance and money. " * 40_000

    began = time.perf_counter()
    vector = embedding_vector(huge, size=3072)
    seconds = time.perf_counter() - began

    assert vector == embedding_vector(start, size=3072)
    # Not a benchmark (the machine is shared): only "not proportional to a 2 MB text".
    assert seconds < 2
