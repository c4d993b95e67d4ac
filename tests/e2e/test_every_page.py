"""Every page of the site in Chromium, one story: nothing may log an error or fail to load.

The story signs in, sends a chat message, runs a comparison, shares the conversation and opens
each page once. Every console error, uncaught page error, failed request and response of 400 or
more fails the test, except the one 404 it asks for on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

from tests.servers import ServedPlayground

PROVOKED_404 = "/no-such-page/"


@dataclass
class Problems:
    """What went wrong in the browser, as lines a person can read in the failure."""

    allowed_urls: set[str] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.lines.append(f"page error: {error}"))
        page.on("requestfailed", self.on_request_failed)
        page.on("response", self.on_response)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "")
        if location in self.allowed_urls and "status of 404" in message.text:
            return  # the browser's own line about the 404 asked for on purpose
        self.lines.append(f"console error on {message.page and message.page.url}: {message.text}")

    def on_request_failed(self, request: Request) -> None:
        self.lines.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def on_response(self, response: Response) -> None:
        if response.status >= 400 and response.url not in self.allowed_urls:
            self.lines.append(f"{response.status} for {response.request.method} {response.url}")


def settled(page: Page, url: str) -> None:
    """Open a page and wait until its own requests are done."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_every_page_loads_without_a_console_error_or_failed_request(
    page: Page, served: ServedPlayground
) -> None:
    base = served.base_url
    problems = Problems(allowed_urls={base + PROVOKED_404})
    problems.watch(page)

    settled(page, base + "/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(served.login_link())
    expect(page).to_have_url(f"{base}/chat/")

    # Chat: one message, its code, then the conversation's share page and presenter view.
    page.get_by_label("Message").fill("Name three rivers in a markdown list")
    page.get_by_label("Message").press("Enter")
    expect(page.locator('.turn-assistant[data-state="done"]')).to_have_count(1, timeout=20000)
    expect(page).to_have_url(re.compile(r"/chat/\d+/$"))
    page.get_by_role("button", name="Get code").click()
    expect(page.locator(".code-snippet pre").first).to_contain_text("chat.completions.create")
    page.reload()
    page.get_by_role("button", name="Create share link").click()
    share_url = page.locator("#share-url")
    expect(share_url).to_have_value(re.compile(r"/share/[\w-]{32,}/$"))
    shared = share_url.input_value()
    settled(page, shared)
    expect(page.get_by_text("Read-only share")).to_be_visible()
    settled(page, shared + "present/")
    expect(page.locator("body.presenter .turn-assistant")).to_have_count(1)

    # Compare: one run of the default panes to the end.
    settled(page, base + "/compare/")
    page.get_by_label("Prompt", exact=True).fill("Why is the sky blue?")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page).to_have_url(re.compile(r"/compare/\d+/$"), timeout=20000)
    expect(page.locator("#compare-summary").get_by_role("heading", name="Summary")).to_be_visible(
        timeout=20000
    )
    expect(page.locator('.pane:not([data-state="done"])')).to_have_count(0)

    for path, heading in [
        ("/images/", "Images"),
        ("/video/", "Video"),
        ("/embeddings/", "Embeddings"),
        ("/batches/", "Batches"),
        ("/models/", "Models"),
        ("/models/gemini-2.5-flash/", "gemini-2.5-flash"),
        ("/media/", "Attachments"),
    ]:
        settled(page, base + path)
        expect(page.get_by_role("heading", level=1).first).to_contain_text(heading)

    response = page.goto(base + PROVOKED_404)
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")

    assert problems.lines == []
