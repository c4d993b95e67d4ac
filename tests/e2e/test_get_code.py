""" "Get code" is one panel on every page: one language open at a time, each copyable."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.servers import ServedPlayground


def test_the_panel_opens_one_language_at_a_time_and_copies_it(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(served.base_url + "/batches/")

    page.get_by_text("Get code", exact=True).click()
    python = page.locator("#get-code code[data-language=python]")
    javascript = page.locator("#get-code code[data-language=javascript]")
    expect(python).to_contain_text('api_key=os.environ["GEMINI_API_KEY"]')
    expect(javascript).not_to_be_visible()

    page.locator("#get-code summary", has_text="JavaScript").click()
    expect(javascript).to_be_visible()
    expect(python).not_to_be_visible()
    page.get_by_role("button", name="Copy JavaScript code").click()
    expect(page.get_by_role("button", name="Copy JavaScript code")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith('import { GoogleGenAI } from "@google/genai";')
    assert "apiKey: process.env.GEMINI_API_KEY," in copied
