"""Chat as a person uses it day to day: versions of a message, the conversation menu, the
order of the conversation list, and the page on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

REPLY_MS = 30000


def send(page: Page, prompt: str) -> None:
    done = page.locator('.turn-assistant[data-state="done"]')
    before = done.count()
    page.get_by_label("Message").fill(prompt)
    page.get_by_label("Message").press("Enter")
    expect(done).to_have_count(before + 1, timeout=REPLY_MS)
    expect(page.locator("#send-button")).to_be_enabled()


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_versions_of_a_message_the_menu_and_the_list_order(logged_in_page: Page):
    page = logged_in_page
    page.set_viewport_size({"width": 1440, "height": 900})
    errors = console_errors(page)
    page.goto(re.sub(r"/chat/.*$", "/chat/", page.url))
    send(page, "Rivers of Europe")
    rivers_url = page.url
    page.get_by_role("link", name="New chat").first.click()
    send(page, "Mountains of Asia")
    items = page.locator("#conversation-list > li")
    expect(items.first).to_contain_text("Mountains of Asia")

    # A message in an older conversation moves it to the top, without a reload.
    page.goto(rivers_url)
    send(page, "And their lengths?")
    expect(items.first).to_contain_text("Rivers of Europe")
    expect(items.nth(1)).to_contain_text("Mountains of Asia")

    # Edit and resend: a new version, the old one a click away, one branch shown.
    first = page.locator(".turn-user").first
    first.get_by_role("button", name="Edit").click()
    first.get_by_role("textbox").fill("Rivers of Africa")
    first.get_by_role("button", name="Resend from here").click()
    expect(page.locator('.turn-assistant[data-state="done"]')).to_have_count(1, timeout=REPLY_MS)
    first = page.locator(".turn-user").first
    expect(first.locator(".branch-count")).to_have_text("2 / 2")
    expect(page.locator(".turn-user")).to_have_count(1)
    expect(page.locator("#transcript")).not_to_contain_text("Replaced")

    first.get_by_role("button", name="Previous version").click()
    expect(page.locator(".turn-user").first.locator(".branch-count")).to_have_text("1 / 2")
    expect(page.locator(".turn-user .bubble")).to_have_text(
        ["Rivers of Europe", "And their lengths?"]
    )
    expect(page.get_by_role("button", name="Next version")).to_be_focused()
    page.reload()
    expect(page.locator(".turn-user").first.locator(".branch-count")).to_have_text("1 / 2")
    expect(page.locator(".turn-user .bubble")).to_have_text(
        ["Rivers of Europe", "And their lengths?"]
    )

    # The "⋯" menu pops up over the list; Escape closes it; rename happens in place.
    item = items.first
    menu_button = item.get_by_label("Actions for Rivers of Europe")
    menu_button.click()
    rename = item.get_by_role("menuitem", name="Rename")
    expect(rename).to_be_focused()
    title_box = item.get_by_role("link", name="Rivers of Europe").bounding_box()
    assert title_box and title_box["width"] > 120, "the title keeps its room"
    page.keyboard.press("Escape")
    expect(rename).to_be_hidden()
    expect(menu_button).to_be_focused()
    menu_button.press("Enter")
    expect(rename).to_be_focused()  # the menu has opened and moved focus before the next key
    page.keyboard.press("Enter")  # Rename
    field = page.get_by_label("New title (Enter saves, Escape cancels)")
    expect(field).to_be_focused()
    field.press("Escape")
    expect(items.first.get_by_role("link")).to_have_text("Rivers of Europe")
    items.first.get_by_label("Actions for Rivers of Europe").click()
    items.first.get_by_role("menuitem", name="Rename").click()
    field.fill("European rivers")
    field.press("Enter")
    expect(items.first.get_by_role("link")).to_have_text("European rivers")
    assert page.url == rivers_url, "renamed without leaving the page"
    page.reload()
    expect(items.first.get_by_role("link")).to_have_text("European rivers")
    assert [e for e in errors if "favicon" not in e] == []


def test_on_a_phone_the_list_and_settings_are_drawers_and_the_composer_stays(
    logged_in_page: Page,
):
    page = logged_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    errors = console_errors(page)
    page.goto(re.sub(r"/chat/.*$", "/chat/", page.url))
    sidebar, settings = page.locator("#chat-sidebar"), page.locator("#composer-settings")
    expect(sidebar).to_be_hidden()
    expect(settings).to_be_hidden()
    for prompt in ("Tell me about tides", "And about waves", "And currents"):
        send(page, prompt)
    composer = page.locator("#composer").bounding_box()
    assert composer and composer["y"] + composer["height"] <= 844, "the composer is in view"
    assert page.evaluate("document.documentElement.scrollHeight") <= 844, "the page does not scroll"

    page.get_by_role("button", name="☰ Chats").click()
    expect(sidebar).to_be_visible()
    expect(sidebar.get_by_role("link", name="Tell me about tides")).to_be_visible()
    page.keyboard.press("Escape")
    expect(sidebar).to_be_hidden()
    expect(page.get_by_role("button", name="☰ Chats")).to_be_focused()

    page.get_by_role("toolbar").get_by_role("button", name="Settings").click()
    expect(settings).to_be_visible()
    expect(settings.get_by_label("Model")).to_be_visible()
    page.mouse.click(20, 420)  # the backdrop, beside the drawer
    expect(settings).to_be_hidden()
    assert [e for e in errors if "favicon" not in e] == []
