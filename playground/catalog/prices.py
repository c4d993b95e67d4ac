"""What a model's tokens cost: the price table kept with the catalog, and its overrides.

The table is `gemini_prices.json` beside this file (Google's published prices, with their
source and date), or the file named by `PLAYGROUND_PRICES_FILE`; `PLAYGROUND_PRICES` (a JSON
object of model id -> prices, `null` to forget one) is laid over it. Both are checked when the
settings load (`price_table_load` raises `PriceTableError`), so a bad price stops start-up
rather than showing a wrong cost. A model missing from the table has no price: pages say
"price unknown", never $0.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from playground.llm import bare_model_id

BUILT_IN = Path(__file__).with_name("gemini_prices.json")
MAX_TABLE_BYTES = 1_000_000
OVERRIDE_SOURCE = "the PLAYGROUND_PRICES setting"
# What each service_tier value is billed as; nothing sent (or "default", "auto") is standard.
TIER_OF_SERVICE_TIER = {"": "standard", "default": "standard", "auto": "standard"}
RATE_NAMES = ("input", "output", "thinking", "cached_input")


class PriceTableError(ValueError):
    """A price table or override that cannot be used, said in words naming where."""


@dataclass(frozen=True, slots=True)
class Rates:
    """US dollars per million tokens. No output rate: the model bills no output (embeddings)."""

    input: Decimal
    output: Decimal | None = None
    thinking: Decimal | None = None  # Gemini bills thinking as output: the same rate
    cached_input: Decimal | None = None  # cached prompt tokens; the input rate when not known


@dataclass(frozen=True, slots=True)
class ModelPrice:
    model: str
    rates: Rates
    source: str
    as_of: str
    # Prompts longer than `long_context_above` tokens are billed at `long_context` rates.
    long_context: Rates | None = None
    long_context_above: int | None = None

    def rates_for(self, prompt_tokens: int) -> Rates:
        if self.long_context and self.long_context_above is not None:
            if prompt_tokens > self.long_context_above:
                return self.long_context
        return self.rates


@dataclass(frozen=True, slots=True)
class Tier:
    key: str
    factor: Decimal
    label: str


@dataclass(frozen=True, slots=True)
class PriceTable:
    source: str
    as_of: str
    currency: str
    note: str
    tiers: Mapping[str, Tier]
    models: Mapping[str, ModelPrice]

    def price_for(self, model: str) -> ModelPrice | None:
        return self.models.get(bare_model_id(model)) if model else None

    def tier_for(self, service_tier: str | None) -> Tier | None:
        """The billing tier of a request's `service_tier` (None: not a tier the table knows)."""
        key = TIER_OF_SERVICE_TIER.get(service_tier or "", service_tier or "")
        return self.tiers.get(key)


def _amount(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PriceTableError(f"{where} must be a number of dollars, not {value!r}.")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise PriceTableError(f"{where} must be a number of dollars, not {value!r}.") from None
    if not amount.is_finite() or amount < 0 or amount > 100_000:
        raise PriceTableError(f"{where} must be between 0 and 100000, not {value!r}.")
    return amount


def _rates(data: object, where: str) -> Rates:
    if not isinstance(data, Mapping):
        raise PriceTableError(f"{where} must be an object of prices per million tokens.")
    unknown = set(data) - {*RATE_NAMES, "long_context", "above_prompt_tokens", "source", "as_of"}
    if unknown:
        raise PriceTableError(f"{where} has unknown keys {sorted(unknown)}; use {RATE_NAMES}.")
    if "input" not in data:
        raise PriceTableError(f"{where} lacks an input price.")
    found = {name: _amount(data[name], f"{where}.{name}") for name in RATE_NAMES if name in data}
    # Gemini bills thinking tokens at the output price unless a table says otherwise.
    found.setdefault("thinking", found.get("output"))
    return Rates(**found)


def _text(data: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or len(value) > 500:
        raise PriceTableError(f"{where}.{key} must be a short text.")
    return value


def model_price_from(model: str, data: object, *, source: str, as_of: str) -> ModelPrice:
    where = f"prices of {model}"
    rates = _rates(data, where)
    assert isinstance(data, Mapping)
    long_context = data.get("long_context")
    above = None
    if long_context is not None:
        if not isinstance(long_context, Mapping):
            raise PriceTableError(f"{where}.long_context must be an object.")
        above = long_context.get("above_prompt_tokens")
        if isinstance(above, bool) or not isinstance(above, int) or above < 1:
            raise PriceTableError(f"{where}.long_context.above_prompt_tokens must be a count.")
        long_context = _rates(long_context, f"{where}.long_context")
    return ModelPrice(
        model=model,
        rates=rates,
        source=_text(data, "source", where, source),
        as_of=_text(data, "as_of", where, as_of),
        long_context=long_context,
        long_context_above=above,
    )


def _model_id(model: object, where: str) -> str:
    if not isinstance(model, str) or not model.strip() or len(model) > 140:
        raise PriceTableError(f"{where}: {model!r} is not a model id.")
    return bare_model_id(model)


def _tiers(data: object) -> dict[str, Tier]:
    if not isinstance(data, Mapping) or "standard" not in data:
        raise PriceTableError("The price table's tiers must be an object with a standard tier.")
    tiers = {}
    for key, tier in data.items():
        if not isinstance(tier, Mapping):
            raise PriceTableError(f"Tier {key!r} must be an object with a factor.")
        factor = _amount(tier.get("factor"), f"tier {key}.factor")
        tiers[key] = Tier(key, factor, _text(tier, "label", f"tier {key}", key))
    return tiers


def price_table_from(data: object) -> PriceTable:
    if not isinstance(data, Mapping) or not isinstance(data.get("models"), Mapping):
        raise PriceTableError("A price table is a JSON object with a models object.")
    source = _text(data, "source", "the price table")
    as_of = _text(data, "as_of", "the price table")
    models = {
        _model_id(model, "the price table"): model_price_from(
            model, prices, source=source, as_of=as_of
        )
        for model, prices in data["models"].items()
    }
    return PriceTable(
        source=source,
        as_of=as_of,
        currency=_text(data, "currency", "the price table", "USD"),
        note=_text(data, "note", "the price table"),
        tiers=MappingProxyType(_tiers(data.get("tiers"))),
        models=MappingProxyType(models),
    )


def _json(text: str, where: str) -> Any:
    if len(text) > MAX_TABLE_BYTES:
        raise PriceTableError(f"{where} is larger than {MAX_TABLE_BYTES} bytes.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PriceTableError(f"{where} is not valid JSON: {exc}.") from None


def price_overrides_from(text: str) -> dict[str, ModelPrice | None]:
    """`PLAYGROUND_PRICES`: model id -> prices (or null: the model's price becomes unknown)."""
    if not text.strip():
        return {}
    data = _json(text, "PLAYGROUND_PRICES")
    if not isinstance(data, Mapping):
        raise PriceTableError(
            'PLAYGROUND_PRICES must be a JSON object: {"model-id": {"input": 0.3, "output": 2.5}}.'
        )
    try:
        return {
            _model_id(model, "PLAYGROUND_PRICES"): None
            if prices is None
            else model_price_from(model, prices, source=OVERRIDE_SOURCE, as_of="")
            for model, prices in data.items()
        }
    except PriceTableError as exc:
        message = str(exc)
        raise PriceTableError(
            message if message.startswith("PLAYGROUND_PRICES") else f"PLAYGROUND_PRICES: {message}"
        ) from None


@lru_cache(maxsize=4)
def price_table_load(*, file: str = "", overrides: str = "") -> PriceTable:
    """The table from `file` (the built-in one when empty) with `overrides` laid over it."""
    path = Path(file) if file else BUILT_IN
    where = f"PLAYGROUND_PRICES_FILE ({path})" if file else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PriceTableError(f"{where} cannot be read: {exc}.") from None
    try:
        table = price_table_from(_json(text, where))
    except PriceTableError as exc:
        raise PriceTableError(f"{where}: {exc}") from None
    changes = price_overrides_from(overrides)
    if not changes:
        return table
    models = {**table.models, **changes}
    kept = {model: price for model, price in models.items() if price is not None}
    return PriceTable(
        table.source, table.as_of, table.currency, table.note, table.tiers,
        MappingProxyType(kept),
    )  # fmt: skip


def price_table() -> PriceTable:
    from django.conf import settings

    return price_table_load(
        file=getattr(settings, "PLAYGROUND_PRICES_FILE", ""),
        overrides=getattr(settings, "PLAYGROUND_PRICES", ""),
    )


def price_for(model: str) -> ModelPrice | None:
    """The price of `model` (`models/x` or `x`); None when the table does not know it."""
    return price_table().price_for(model)
