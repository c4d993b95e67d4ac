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
# Dollars from this amount up are shown to this step: cents, then hundredths of a cent, ...
PLACES = ((Decimal(1), Decimal("0.01")), (Decimal("0.01"), Decimal("0.0001")),
          (Decimal(0), Decimal("0.000001")))  # fmt: skip


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
    """ "$0.00123": enough digits to tell runs of a fraction of a cent apart."""
    if amount is None:
        return PRICE_UNKNOWN
    if amount == 0:
        return "$0"
    places = next(step for floor, step in PLACES if amount >= floor)
    shown = amount.quantize(places, rounding=ROUND_HALF_UP)
    if shown == 0:
        return "under $0.000001"
    return f"${shown}"


def tier_label(service_tier: str | None, table: PriceTable | None = None) -> str:
    tier = (table or price_table()).tier_for(service_tier)
    return tier.label if tier else f"tier {service_tier} (no price)"
