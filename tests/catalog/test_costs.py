from __future__ import annotations

from decimal import Decimal

import pytest

from playground.catalog.costs import Usage, cost_text, run_cost
from playground.catalog.prices import price_table_load

TABLE = price_table_load()


def cost(model: str, usage: Usage, tier: str | None = None) -> Decimal | None:
    return run_cost(model=model, usage=usage, service_tier=tier, table=TABLE)


def test_it_bills_prompt_answer_and_thinking_tokens() -> None:
    # gemini-2.5-flash: $0.30 in, $2.50 out (thinking too), per million tokens.
    amount = cost("gemini-2.5-flash", Usage(1_000_000, 1_000_000, 1_000_000))

    assert amount == Decimal("5.30")


@pytest.mark.parametrize(
    ("tier", "expected"),
    [(None, "2.80"), ("default", "2.80"), ("flex", "1.40"), ("batch", "1.40"),
     ("priority", "5.04")],
)  # fmt: skip
def test_the_service_tier_changes_the_cost(tier: str | None, expected: str) -> None:
    assert cost("gemini-2.5-flash", Usage(1_000_000, 1_000_000), tier) == Decimal(expected)


def test_cached_prompt_tokens_are_billed_at_the_cached_rate() -> None:
    amount = cost("gemini-2.5-flash", Usage(1_000_000, 0, 0, cached_tokens=1_000_000))

    assert amount == Decimal("0.03")


def test_a_long_prompt_is_billed_at_the_long_context_price() -> None:
    short = cost("gemini-2.5-pro", Usage(200_000, 0))
    long = cost("gemini-2.5-pro", Usage(200_001, 0))

    assert short == Decimal("0.25")
    assert long == Decimal("2.50") * 200_001 / 1_000_000


def test_an_unknown_model_or_tier_or_missing_usage_has_no_cost() -> None:
    assert cost("some-local-model", Usage(10, 10)) is None
    assert cost("gemini-2.5-flash", Usage(10, 10), "platinum") is None
    assert cost("gemini-2.5-flash", Usage(None)) is None


def test_an_embedding_bills_its_input_only() -> None:
    assert cost("gemini-embedding-001", Usage(1_000_000, 5)) == Decimal("0.15")


@pytest.mark.parametrize(
    ("amount", "text"),
    [(None, "price unknown"), (Decimal(0), "$0"), (Decimal("0.00064"), "$0.000640"),
     (Decimal("0.0123456"), "$0.0123"), (Decimal("12.345"), "$12.35"),
     (Decimal("0.5"), "$0.500"), (Decimal("0.002"), "$0.00200"),
     (Decimal("0.0000001"), "under $0.000001")],
)  # fmt: skip
def test_it_writes_a_cost_with_enough_digits(amount: Decimal | None, text: str) -> None:
    assert cost_text(amount) == text
