"""Browser tests: Debian's Chromium driven by Playwright against a real daphne server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.e2e.signing import sign_in
from tests.preflight import CHROMIUM
from tests.servers import ServedPlayground

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Playwright's sync API runs an event loop in the test thread, so Django's guard against
    ORM calls from async code would fire on the fixtures that touch the test database. The
    guard is off only while a browser test (its setup and teardown included) runs."""
    if item.get_closest_marker("e2e") is None:  # pytest calls this hook for every item
        return (yield)
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        return (yield)
    finally:
        if before is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = before


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright cannot download browsers here: use the system Chromium."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def logged_in_page(page: Page, served: ServedPlayground) -> Page:
    """A browser tab signed in as the served playground's owner (see `signing`)."""
    return sign_in(page, served)
