"""The embeddings lab in a real browser: five texts in, a readable heatmap out."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.servers import ServedPlayground

TEXTS = [
    "The cat sat on the mat.",
    "A cat was sitting on the mat.",
    "Quarterly revenue grew by five percent.",
    "Revenue for the quarter grew 5%.",
    "How do I bake sourdough bread?",
]


def cell(page: Page, row: int, column: int) -> float:
    found = page.locator(f'#heatmap .hm-cell[data-row="{row}"][data-column="{column}"]')
    return float(found.get_attribute("data-value") or "nan")


def test_five_texts_give_a_heatmap_where_related_texts_are_warmer(
    logged_in_page: Page, served: ServedPlayground
):
    page = logged_in_page
    page.goto(served.base_url + "/embeddings/")
    expect(page.locator("#stand-in-note")).to_contain_text("Emulator vectors: a stand-in.")
    page.get_by_label("Texts, one per line").fill("\n".join(TEXTS))
    page.get_by_label("Output dimensions").select_option("768")
    page.get_by_role("button", name="Embed").click()

    expect(page).to_have_url(re.compile(r"/embeddings/\d+/$"), timeout=20000)
    heading = page.get_by_role("heading", name=re.compile("5 texts · gemini-embedding-001"))
    expect(heading).to_contain_text("768 dimensions")
    expect(page.locator("#heatmap .hm-cell")).to_have_count(25)
    expect(page.locator("#heatmap .hm-row-label").first).to_have_text("1. The cat sat on the mat.")
    assert cell(page, 1, 1) == 1.0
    assert cell(page, 1, 2) > cell(page, 1, 3) + 0.2
    assert cell(page, 3, 4) > cell(page, 3, 5) + 0.2
    expect(page.locator("#stand-in-note")).to_have_count(1)
    first_row = page.locator("#embedding-table tbody tr").first
    expect(first_row.locator(".neighbour strong")).to_have_text("#2")

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_text("Get code").click()
    expect(page.locator("#get-code code[data-language=python]")).to_contain_text("dimensions=768")
    page.locator("#get-code summary", has_text="curl").click()
    expect(page.locator("#get-code code[data-language=python]")).not_to_be_visible()
    page.get_by_role("button", name="Copy curl code").click()
    expect(page.get_by_role("button", name="Copy curl code")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("curl ") and "Bearer $GEMINI_API_KEY" in copied
    with page.expect_download() as download:
        page.get_by_role("link", name="Download JSON").click()
    payload = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert [item["text"] for item in payload["data"]] == TEXTS
    assert len(payload["data"][0]["embedding"]) == 768
