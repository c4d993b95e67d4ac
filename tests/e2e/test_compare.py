"""Compare and share in Chromium, against `manage.py serve` with an emulator at a watchable pace."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.signing import sign_in
from tests.servers import ServedPlayground

PROMPT = "Why is the sky blue? Answer in two short paragraphs."


@pytest.fixture
def compare_page(page: Page, served_slow: ServedPlayground) -> Page:
    sign_in(page, served_slow)
    page.goto(f"{served_slow.base_url}/compare/")
    expect(page.get_by_role("heading", name="Compare", exact=True)).to_be_visible()
    return page


def sweep_five_levels(page: Page) -> None:
    page.get_by_label("Preset").select_option("efforts")
    page.locator("#id_preset_model").select_option("gemini-2.5-flash")
    page.get_by_role("button", name="Apply preset").click()
    efforts = page.locator(".pane-fieldset select[name$='-reasoning_effort']")
    expect(efforts).to_have_count(5)
    assert [efforts.nth(i).input_value() for i in range(5)] == [
        "none", "minimal", "low", "medium", "high",
    ]  # fmt: skip


def test_a_five_level_sweep_streams_side_by_side_then_diffs_and_shares(
    compare_page: Page, browser: Browser
) -> None:
    page = compare_page
    sweep_five_levels(page)
    page.get_by_label("Prompt", exact=True).fill(PROMPT)
    page.get_by_role("button", name="Run", exact=True).click()

    streaming = page.locator('.pane[data-state="streaming"]')
    expect(streaming).to_have_count(5, timeout=5000)
    expect(page.get_by_role("button", name="Stop all")).to_be_enabled()
    live = page.locator(".pane .answer-live").first
    expect(live).to_contain_text("Emulator", timeout=10000)
    first_length = len(live.inner_text())
    page.wait_for_timeout(300)
    assert len(live.inner_text()) > first_length, "the pane keeps filling"

    expect(page.locator('.pane[data-state="done"]')).to_have_count(5, timeout=30000)
    expect(page).to_have_url(re.compile(r"/compare/\d+/$"))
    summary = page.locator("#compare-summary")
    expect(summary.get_by_role("heading", name="Summary")).to_be_visible()
    expect(summary.locator("figure.chart")).to_have_count(7)
    expect(summary.locator("tbody tr")).to_have_count(5)
    expect(page.locator(".pane").first.locator(".metrics")).to_contain_text("TTFT")

    page.get_by_label("Pane", exact=True).select_option("1")
    page.get_by_label("against pane").select_option("5")
    page.get_by_role("button", name="Show differences").click()
    diff = page.locator(".word-diff")
    expect(diff).to_be_visible()
    expect(diff.locator("ins").first).to_be_visible()
    expect(diff.locator("del").first).to_be_visible()

    page.get_by_role("button", name="Create share link").click()
    share_url = page.locator("#share-url")
    expect(share_url).to_have_value(re.compile(r"/share/[\w-]{32,}/$"))
    url = share_url.input_value()

    stranger = browser.new_context().new_page()
    stranger.goto(url)
    expect(stranger.get_by_text("Read-only share")).to_be_visible()
    expect(stranger.locator('.pane[data-state="done"]')).to_have_count(5)
    expect(stranger.locator(".shared-prompt")).to_contain_text(PROMPT)
    expect(stranger.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(stranger.get_by_role("button", name="Send to chat")).to_have_count(0)
    stranger.get_by_role("link", name="Presenter view").click()
    expect(stranger.locator("body.presenter .pane")).to_have_count(5)
    label_px = stranger.eval_on_selector(
        ".chart-label", "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert label_px >= 16, f"chart labels grow with the presenter's type ({label_px} px)"
    stranger.get_by_role("button", name="One pane at a time").click()
    stranger.keyboard.press("ArrowRight")
    expect(stranger.locator("#presenter-where")).to_have_text("Pane 2 of 5")
    expect(stranger.locator(".pane-column:visible")).to_have_count(1)
    stranger.context.close()

    page.get_by_role("button", name="Revoke link").click()
    expect(page.get_by_role("button", name="Create share link")).to_be_visible()
    gone = browser.new_context().new_page()
    assert gone.goto(url).status == 404
    gone.context.close()


def test_stopping_one_pane_leaves_the_other_running(compare_page: Page) -> None:
    page = compare_page
    page.get_by_label("Preset").select_option("budgets")
    page.locator("#id_preset_model").select_option("gemini-2.5-flash")
    page.get_by_role("button", name="Apply preset").click()
    expect(page.locator(".pane-fieldset")).to_have_count(4)
    expect(page.locator("#pane-summary-0")).to_contain_text("budget")  # the preset is in
    for _ in range(2):
        page.locator("#pane-column-2 summary").click()  # settings fold into the pane's header
        page.get_by_role("button", name="Remove pane 3").click()
        expect(page.locator(".pane-fieldset")).to_have_count(3 if _ == 0 else 2)
    page.get_by_label("Prompt", exact=True).fill("Write a long essay about rivers")
    page.get_by_label("Prompt", exact=True).press("Control+Enter")

    expect(page.locator(".pane .answer-live").first).to_contain_text("Emulator", timeout=10000)
    page.get_by_role("button", name="Stop pane 1").click()
    expect(page.locator(".pane").first).to_have_attribute("data-state", "cancelled", timeout=3000)
    expect(page.locator(".pane").nth(1)).to_have_attribute("data-state", "done", timeout=30000)
    expect(page.locator("#compare-summary tbody tr").first).to_contain_text("Stopped")


def inside(page: Page, selector: str, width: int) -> list[str]:
    """The elements matching `selector` whose box leaves the viewport's width or their card."""
    return page.eval_on_selector_all(
        selector,
        """(els, width) => els.filter(el => {
            const box = el.getBoundingClientRect();
            const card = el.closest('.chart, .table-scroll') || document.body;
            const outer = card.getBoundingClientRect();
            return box.right > Math.min(width, outer.right) + 1 || box.left < outer.left - 1;
        }).map(el => el.className.baseVal ?? el.className)""",
        width,
    )


def test_eight_panes_stream_in_view_and_three_runs_show_their_spread_on_a_phone_too(
    compare_page: Page, browser: Browser, served_slow: ServedPlayground
) -> None:
    page = compare_page
    page.set_viewport_size({"width": 1440, "height": 900})
    sweep_five_levels(page)
    for count in (6, 7, 8):
        page.get_by_role("button", name="Add pane").click()
        expect(page.locator(".pane-column")).to_have_count(count)
    page.get_by_label("Prompt", exact=True).fill(PROMPT)
    page.get_by_role("button", name="Run", exact=True).click()

    live = page.locator(".pane .answer-live").first
    expect(live).to_contain_text("Emulator", timeout=10000)
    box = live.bounding_box()
    assert box and 0 <= box["y"] < 900 - 20, "the page brought the streaming panes into view"
    tops = {round(c.bounding_box()["y"]) for c in page.locator(".pane-column").all()}
    assert len(tops) == 1, "eight panes stand in one row"
    expect(page.locator('.pane[data-state="done"]')).to_have_count(8, timeout=60000)

    # Two panes, three runs each: one answer at a time, and a spread in the summary.
    page.goto(f"{served_slow.base_url}/compare/")
    page.get_by_label("Preset").select_option("models")
    page.get_by_role("checkbox", name="gemini-2.5-flash", exact=True).check()
    page.get_by_role("checkbox", name="gemini-2.0-flash", exact=True).check()
    page.get_by_role("button", name="Apply preset").click()
    expect(page.locator(".pane-column")).to_have_count(2)
    page.get_by_label("Prompt", exact=True).fill("Why is the sky blue?")
    page.get_by_label("Runs per pane").fill("3")
    page.get_by_role("button", name="Run", exact=True).click()
    first = page.locator("#pane-column-0")
    expect(first.locator('.pane[data-state="done"]')).to_have_count(3, timeout=60000)
    expect(page.locator("#compare-summary h2")).to_have_text("Summary", timeout=30000)
    answers = []
    for shown in (1, 2, 3):
        expect(first.locator(".run-shown")).to_have_text(f"Run {shown} / 3")
        expect(first.locator(".pane:visible")).to_have_count(1)
        answers.append(first.locator(".pane:visible .answer").inner_text())
        first.get_by_role("button", name="Next run of pane 1").click()
    assert len(set(answers)) == 3, "three different answers"
    row = page.locator("#compare-summary tbody tr").first
    expect(row).to_contain_text("All 3 done")
    expect(row).to_contain_text(re.compile(r"\(\d[\d,.]* (ms|s|tok) to \d"))
    expect(page.locator(".chart-whisker").first).to_be_attached()

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state()
    ).new_page()
    phone.goto(page.url)
    expect(phone.locator("#compare-summary h2")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"nothing makes the phone page scroll sideways ({width} px)"
    assert inside(phone, ".summary-table td, .summary-table th", 390) == []
    assert inside(phone, ".chart-track, .chart-value, .chart-label", 390) == []
    phone.context.close()


PASTE_PICTURE = """([data, name]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/png" }));
  document.getElementById("id_prompt").dispatchEvent(new ClipboardEvent(
    "paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
}"""


def test_a_pasted_picture_reaches_every_pane_and_the_share(
    logged_in_page: Page, served: ServedPlayground, browser: Browser
) -> None:
    import base64

    from tests.media import files

    page = logged_in_page
    page.goto(f"{served.base_url}/compare/")
    page.get_by_label("Preset").select_option("models")
    page.get_by_role("checkbox", name="gemini-2.5-flash", exact=True).check()
    page.get_by_role("checkbox", name="gemini-2.5-flash-lite", exact=True).check()
    page.get_by_role("button", name="Apply preset").click()
    expect(page.locator(".pane-fieldset")).to_have_count(2)

    picture = base64.b64encode(files.picture((300, 150))).decode()
    page.evaluate(PASTE_PICTURE, [picture, "pasted.png"])
    attached = page.locator("#compare-attachments .attachment-card")
    expect(attached).to_have_count(1)
    expect(attached).to_contain_text("300\u00d7150")
    page.get_by_label("Prompt", exact=True).fill("What is in this picture?")
    page.get_by_role("button", name="Run", exact=True).click()

    done = page.locator('.pane[data-state="done"]')
    expect(done).to_have_count(2, timeout=30000)
    for index in range(2):
        expect(done.nth(index).locator(".answer")).to_contain_text("300\u00d7150")
    expect(page.locator("#compare-results .turn-attachments img")).to_have_count(1)

    page.get_by_role("button", name="Create share link").click()
    share_url = page.locator("#share-url")
    expect(share_url).to_have_value(re.compile(r"/share/[\w-]{32,}/$"))
    stranger = browser.new_context().new_page()
    stranger.goto(share_url.input_value())
    image = stranger.locator(".shared-prompt img")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0, "the thumbnail loads for a stranger"
    stranger.context.close()
