"""Browser tests: Debian's Chromium driven by Playwright against a real daphne server."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.servers import ServedPlayground

# Playwright's sync API runs an event loop in this thread; Django's guard against ORM calls
# from async code would fire on the fixtures that touch the test database.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright cannot download browsers here: use the system Chromium."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def logged_in_page(page: Page, served: ServedPlayground) -> Page:
    """A browser tab signed in the way a person signs in: by opening a one-time link."""
    page.goto(served.login_link())
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    return page
