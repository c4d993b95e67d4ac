"""A request refused by the CSRF check, in Chromium: htmx swaps no 403, so playground.js shows the
notice at the foot of the page and leaves the request's own target as it was."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.servers import ServedPlayground

# An htmx post whose token no longer matches (a page left open across a restart with a new key).
STALE_TOKEN_POST = """() => {
  document.body.setAttribute('hx-headers', JSON.stringify({'X-CSRFToken': 'y'.repeat(64)}));
  htmx.ajax('POST', '/chat/branch/', {target: 'main', swap: 'innerHTML'});
}"""


def test_an_htmx_request_refused_by_the_csrf_check_says_so_at_the_foot_of_the_page(
    page: Page, served: ServedPlayground
) -> None:
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, served)
    page.goto(f"{served.base_url}/decks/")
    page.wait_for_load_state("load")

    page.evaluate(STALE_TOKEN_POST)

    notice = page.locator("#site-notice .csrf-notice")
    expect(notice).to_contain_text("Not sent.")
    expect(notice.get_by_role("link", name="Reload the page")).to_have_attribute("href", "/decks/")
    expect(page.get_by_role("heading", name="Decks", level=1)).to_be_visible()
    notice.get_by_role("button", name="Dismiss").click()
    expect(page.locator(".csrf-notice")).to_have_count(0)
    # Chromium's own line for the refused request is the only one.
    assert [error for error in errors if "status of 403" not in error] == []
