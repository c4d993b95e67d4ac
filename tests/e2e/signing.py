"""Signing a browser tab in to a served playground.

A person signs in by opening a one-time link, and a few tests do exactly that. Minting a link
runs `manage.py login_link` in a new process (seconds: Django and every app load), so the other
tests sign in once per server and then carry that session's cookies into each new tab.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.servers import ServedPlayground

# Per server (its address and data folder): the session's cookies and where the link landed.
_signed_in: dict[tuple[str, str], tuple[list, str]] = {}


def sign_in(page: Page, server: ServedPlayground) -> Page:
    """The tab signed in as the server's owner, on the page a login link lands on."""
    key = (server.base_url, str(server.data_dir))
    if key in _signed_in:
        cookies, landing = _signed_in[key]
        page.context.add_cookies(cookies)
        page.goto(landing)
    else:
        page.goto(server.login_link())
    # Signed out, the page would be the sign-in form (the phone layout hides "Sign out").
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    if key not in _signed_in:
        _signed_in[key] = (page.context.cookies(server.base_url), page.url)
    return page
