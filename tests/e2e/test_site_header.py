"""The header every page shares, in Chromium: one row on a phone with the navigation behind a
menu button, a remembered theme that never flashes, and the shortcut list behind `?`."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.servers import ServedPlayground

# Notes the theme when <body> first exists, before anything of the page can be drawn.
THEME_AT_FIRST_PAINT = """
new MutationObserver((changes, observer) => {
  if (!document.body) return;
  window.themeAtBody = document.documentElement.dataset.theme || "auto";
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""


def test_the_header_is_one_row_on_a_phone_and_remembers_the_theme(
    page: Page, served: ServedPlayground
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.add_init_script(THEME_AT_FIRST_PAINT)
    sign_in(page, served)
    header = page.locator("header.topbar")
    nav = page.get_by_role("navigation", name="Main")

    box = header.bounding_box()
    assert box is not None and box["height"] < 60, "one row, not three"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(nav).to_be_hidden()
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav.get_by_role("link", name="Attachments").click()
    expect(page).to_have_url(f"{served.base_url}/media/")
    expect(nav).to_be_hidden()

    # The menu button works once the page's deferred scripts have run (the load event).
    page.wait_for_load_state("load")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_label("Theme").select_option("dark")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 20, 24)", "dark, although the browser asks for light"

    page.reload()
    assert page.evaluate("window.themeAtBody") == "dark", "dark before the first paint"
    expect(page.get_by_label("Theme")).to_have_value("dark")
    page.get_by_role("button", name="Menu").click()
    page.get_by_label("Theme").select_option("auto")
    page.reload()
    assert page.evaluate("window.themeAtBody") == "auto"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(247, 248, 250)"


def test_question_mark_lists_the_shortcuts_except_while_typing(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")

    page.get_by_label("Message").fill("Why")
    page.get_by_label("Message").press("?")
    expect(page.get_by_label("Message")).to_have_value("Why?")
    expect(shortcuts).to_be_hidden()

    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("?")
    expect(shortcuts).to_be_visible()
    expect(shortcuts).to_contain_text("Send the message")
    expect(shortcuts).to_contain_text("Run every pane")
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()
    expect(page.get_by_label("Message")).to_have_value("Why?")
