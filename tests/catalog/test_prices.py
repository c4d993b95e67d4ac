from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from playground.catalog.prices import (
    BUILT_IN,
    PriceTableError,
    price_for,
    price_overrides_from,
    price_table_load,
)

REPO = Path(__file__).resolve().parents[2]


def test_it_knows_the_gemini_models_with_their_source_and_date() -> None:
    table = price_table_load()

    assert table.source == "https://ai.google.dev/gemini-api/docs/pricing"
    assert table.as_of
    for model in ("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite",
                  "gemini-3-flash-preview", "gemini-3.1-pro-preview", "gemini-2.0-flash",
                  "gemini-embedding-001"):  # fmt: skip
        assert table.price_for(model) is not None, model


def test_it_bills_thinking_at_the_output_price_unless_told_otherwise() -> None:
    flash = price_table_load().price_for("models/gemini-2.5-flash")

    assert flash is not None
    assert flash.rates.input == Decimal("0.30")
    assert flash.rates.thinking == flash.rates.output == Decimal("2.50")


def test_it_has_the_tiers_discounts_and_uplift() -> None:
    tiers = price_table_load().tiers

    assert tiers["batch"].factor == tiers["flex"].factor == Decimal("0.5")
    assert tiers["priority"].factor > 1
    assert price_table_load().tier_for(None) == tiers["standard"]
    assert price_table_load().tier_for("default") == tiers["standard"]


def test_it_does_not_know_a_model_outside_the_table() -> None:
    assert price_table_load().price_for("gemini-2.5-flash-image") is None
    assert price_for("llama3:8b") is None


def test_an_override_adds_changes_and_forgets_models() -> None:
    overrides = json.dumps({
        "llama3:8b": {"input": 0, "output": "0"},
        "gemini-2.5-flash": {"input": 1, "output": 3, "thinking": 4},
        "gemini-2.0-flash": None,
    })  # fmt: skip

    table = price_table_load(overrides=overrides)

    assert table.price_for("llama3:8b").source == "the PLAYGROUND_PRICES setting"
    assert table.price_for("gemini-2.5-flash").rates.thinking == Decimal(4)
    assert table.price_for("gemini-2.0-flash") is None
    assert table.price_for("gemini-2.5-pro") is not None


def test_a_price_file_replaces_the_table(tmp_path: Path) -> None:
    data = json.loads(BUILT_IN.read_text())
    data["models"] = {"my-model": {"input": "1", "output": "2"}}
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(data))

    table = price_table_load(file=str(path))

    assert list(table.models) == ["my-model"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{nope", "PLAYGROUND_PRICES is not valid JSON"),
        ("[1]", "PLAYGROUND_PRICES must be a JSON object"),
        ('{"m": {"output": 1}}', "PLAYGROUND_PRICES: prices of m lacks an input price"),
        ('{"m": {"input": -1}}', "prices of m.input must be between 0 and 100000"),
        ('{"m": {"input": "cheap"}}', "prices of m.input must be a number of dollars"),
        ('{"m": {"input": 1, "ouput": 2}}', "unknown keys"),
        ('{"": {"input": 1}}', "is not a model id"),
    ],
)
def test_a_bad_override_is_refused_with_a_message_naming_it(text: str, message: str) -> None:
    with pytest.raises(PriceTableError, match=message):
        price_overrides_from(text)


def test_a_missing_price_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PriceTableError, match=r"PLAYGROUND_PRICES_FILE .* cannot be read"):
        price_table_load(file=str(tmp_path / "missing.json"))


def test_a_bad_price_setting_stops_start_up() -> None:
    env = {**os.environ, "PLAYGROUND_PRICES": '{"m": {"input": "free"}}'}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import playground.settings"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode != 0
    assert "ImproperSetting: PLAYGROUND_PRICES: prices of m.input" in result.stderr
