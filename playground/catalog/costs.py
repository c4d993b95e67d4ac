"""What one run cost: its token counts, its model's prices and its service tier.

Gemini reports thinking tokens apart from the answer's (`completion_tokens` is the answer
only) and bills them at the output price; cached prompt tokens, when known, are part of the
prompt count and billed at the cached rate instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from playground.catalog.prices import PriceTable, price_table

MILLION = Decimal(1_000_000)
PRICE_UNKNOWN = "price unknown"
SMALLEST_SHOWN = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None
    completion_tokens: int | None = None
    thinking_tokens: int | None = None
    cached_tokens: int | None = None


def run_cost(
    *, model: str, usage: Usage, service_tier: str | None, table: PriceTable | None = None
) -> Decimal | None:
    """Dollars, or None when the model's price or the tier is unknown, or no usage came back."""
    table = table or price_table()
    price = table.price_for(model)
    tier = table.tier_for(service_tier)
    if price is None or tier is None or usage.prompt_tokens is None:
        return None
    prompt = usage.prompt_tokens
    cached = min(usage.cached_tokens or 0, prompt)
    rates = price.rates_for(prompt)
    output_rate = rates.output or Decimal(0)
    thinking_rate = rates.thinking if rates.thinking is not None else output_rate
    cached_rate = rates.cached_input if rates.cached_input is not None else rates.input
    per_million = (
        (prompt - cached) * rates.input
        + cached * cached_rate
        + (usage.completion_tokens or 0) * output_rate
        + (usage.thinking_tokens or 0) * thinking_rate
    )
    return per_million / MILLION * tier.factor


def cost_text(amount: Decimal | None) -> str:
    """ "$1.25" from a dollar up; below, three significant digits ("$0.0103", "$0.000640"), so
    runs costing fractions of a cent can be told apart."""
    if amount is None:
        return PRICE_UNKNOWN
    if amount == 0:
        return "$0"
    if amount < SMALLEST_SHOWN:
        return f"under ${SMALLEST_SHOWN}"
    step = Decimal("0.01") if amount >= 1 else Decimal(1).scaleb(amount.adjusted() - 2)
    return f"${amount.quantize(step, rounding=ROUND_HALF_UP)}"


def tier_label(service_tier: str | None, table: PriceTable | None = None) -> str:
    tier = (table or price_table()).tier_for(service_tier)
    return f"{tier.key} ({tier.label})" if tier else f"{service_tier} (no price)"
