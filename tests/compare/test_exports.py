from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from playground.compare.models import Comparison, Pane
from playground.llm.runspec import Message
from playground.runs.settings import RunSettings
from playground.runs.states import ReplyState

pytestmark = pytest.mark.django_db


def spec_of(model: str, tier: str | None) -> dict:
    settings = RunSettings(model=model, system_prompt="Be brief.", service_tier=tier,
                           reasoning_effort="low")  # fmt: skip
    return settings.to_spec(
        [Message(role="user", content="Why blue?")], provider="emulator"
    ).to_dict()


def exported_comparison(user) -> Comparison:
    """Pane 1: gemini-2.5-flash at flex, run twice; pane 2: a model without a price."""
    comparison = Comparison.objects.create(
        user=user, title="Sky | colour, why?", prompt="Why blue?", system_prompt="Be brief.",
        wall_ms=2100,
    )  # fmt: skip
    runs = [(0, 0, "gemini-2.5-flash", "flex", "=HYPERLINK(\"http://x\")", 1000),
            (0, 1, "gemini-2.5-flash", "flex", "Rayleigh scattering.", 3000),
            (1, 0, "llama3:8b", None, "-1 because | pipes", 500)]  # fmt: skip
    for position, run, model, tier, answer, tokens in runs:
        Pane.objects.create(
            comparison=comparison, position=position, run=run, label=f"{model} · effort low",
            run_spec=spec_of(model, tier), state=ReplyState.DONE, answer=answer,
            prompt_tokens=0, completion_tokens=tokens, thinking_tokens=0,
            ttft_ms=300, first_answer_ms=900, total_ms=2000 + position, offset_ms=1,
        )  # fmt: skip
    return comparison


@pytest.fixture
def owner(make_user):
    return make_user("owner")


@pytest.fixture
def comparison(owner) -> Comparison:
    return exported_comparison(owner)


def download(client: Client, url: str, kind: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{kind}"')
    return response.content.decode()


def test_the_csv_has_one_row_per_run_with_its_cost(client, owner, comparison):
    client.force_login(owner)
    text = download(client, reverse("compare:export", args=[comparison.pk, "csv"]), "csv")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [(row["pane"], row["run"]) for row in rows] == [("1", "1"), ("1", "2"), ("2", "1")]
    assert [row["answer_tokens"] for row in rows] == ["1000", "3000", "500"]
    assert len(rows[0]) == len(text.splitlines()[0].split(",")), "every column named once"
    # $2.50 per million answer tokens, half at flex: 1,000 tokens = $0.00125.
    assert [row["cost_usd"] for row in rows] == ["0.00125", "0.00375", ""]
    assert rows[0]["service_tier"] == "flex" and rows[0]["model"] == "gemini-2.5-flash"


def test_the_csv_never_starts_a_cell_with_a_formula(client, owner, comparison):
    client.force_login(owner)
    text = download(client, reverse("compare:export", args=[comparison.pk, "csv"]), "csv")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert rows[0]["answer"] == '\'=HYPERLINK("http://x")'
    assert rows[2]["answer"] == "'-1 because | pipes"


def test_the_json_holds_everything_and_each_request_as_sent(client, owner, comparison):
    client.force_login(owner)
    data = json.loads(
        download(client, reverse("compare:export", args=[comparison.pk, "json"]), "json")
    )

    assert data["comparison"]["prompt"] == "Why blue?"
    first, second = data["panes"]
    assert [run["answer"] for run in first["runs"]][1] == "Rayleigh scattering."
    request = first["runs"][0]["request"]
    assert request["url"].endswith("chat/completions")
    assert request["body"]["model"] == "gemini-2.5-flash"
    assert request["body"]["service_tier"] == "flex"
    assert request["body"]["messages"][-1] == {"role": "user", "content": "Why blue?"}
    assert first["runs"][0]["figures"]["cost_usd"] == "0.00125"
    assert second["runs"][0]["figures"]["cost_usd"] is None
    summary = {row["pane"]: row for row in data["summary"]}
    assert Decimal(summary[1]["figures"]["cost_usd"]["median"]) == Decimal("0.0025")
    assert summary[2]["figures"]["cost_usd"] is None
    assert data["prices"]["source"].startswith("https://ai.google.dev/")


def test_the_markdown_has_settings_answers_and_figures(client, owner, comparison):
    client.force_login(owner)
    text = download(client, reverse("compare:export", args=[comparison.pk, "md"]), "md")

    assert text.startswith("# Sky | colour, why?\n")
    assert "```text\nWhy blue?\n```" in text
    assert "| 2 | llama3:8b · effort low | Done |" in text
    assert "price unknown" in text and "$0.00250 ($0.00125 to $0.00375)" in text
    assert "### Run 2" in text and "Rayleigh scattering." in text
    assert "`service_tier` flex" in text
    assert "-1 because \\| pipes" not in text, "answers are kept as written, outside the table"


def test_an_export_names_its_file_after_the_comparison(client, owner, comparison):
    client.force_login(owner)
    response = client.get(reverse("compare:export", args=[comparison.pk, "json"]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="sky-colour-why-{comparison.pk}.json"'
    )
    assert response["Content-Type"] == "application/json"


def test_other_people_and_unknown_formats_get_404(client, make_user, comparison):
    client.force_login(make_user("mallory"))
    for fmt in ("md", "csv", "json"):
        assert client.get(reverse("compare:export", args=[comparison.pk, fmt])).status_code == 404
    client.force_login(comparison.user)
    assert client.get(f"/compare/{comparison.pk}/export.xlsx").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, comparison):
    response = client.get(reverse("compare:export", args=[comparison.pk, "csv"]))

    assert response.status_code == 302 and "login" in response["Location"]
