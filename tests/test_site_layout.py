"""The frame of every page (templates/base.html): icon, navigation, theme script, shortcut list."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

SCRIPTS = Path(settings.BASE_DIR) / "static" / "js"
# How the shortcut list writes the modifiers the scripts test for. Alt is only ever checked to be
# up (so "?" typed with AltGr is not a shortcut); a handler that wants it down must list it.
KEY_LABELS = {"ctrlKey": "Ctrl", "metaKey": "⌘", "shiftKey": "Shift", "altKey": None}


class HeadScripts(HTMLParser):
    """The <script> and stylesheet tags of <head>, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = True
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_head = False
        if self.in_head and (tag == "script" or (tag == "link" and ("rel", "stylesheet") in attrs)):
            self.tags.append((tag, dict(attrs)))


def test_the_icon_is_named_and_favicon_ico_leads_to_it(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    icon = client.get("/static/img/favicon.svg")
    legacy = client.get("/favicon.ico")

    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in icon.content
    assert legacy.status_code == 301 and legacy["Location"] == "/static/img/favicon.svg"


def test_the_navigation_leads_to_attachments(signed_in: Client) -> None:
    page = signed_in.get("/media/").content.decode()

    nav = page.split('aria-label="Main"')[1].split("</nav>")[0]
    assert '<a href="/media/" aria-current="page">Attachments</a>' in nav
    assert re.findall(r">(\w+)</a>", nav) == [
        "Chat", "Compare", "Decks", "Images", "Video", "Embeddings", "Batches", "Attachments",
        "Models",
    ]  # fmt: skip


def test_the_theme_is_applied_before_anything_is_drawn(client: Client) -> None:
    """theme.js comes first and blocks (no defer, no async), so a remembered dark theme never
    shows a light page first; every other script waits for the page."""
    response = client.get("/accounts/login/")
    parser = HeadScripts()
    parser.feed(response.content.decode())
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]

    first_tag, first = parser.tags[0]
    assert first_tag == "script" and first["src"] == "/static/js/theme.js"
    assert "defer" not in first and "async" not in first
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert all(attrs["nonce"] == nonce for attrs in scripts), "the CSP lets them all run"
    assert all("defer" in attrs for attrs in scripts[1:])


def scripted_keys() -> set[str]:
    """Every key and modifier a keydown handler in static/js tests for."""
    keys: set[str] = set()
    for script in SCRIPTS.glob("*.js"):
        source = script.read_text()
        keys |= set(re.findall(r"event\.key === \"([^\"]+)\"", source))
        modifiers = re.findall(r"event\.(\w+Key)\b", source)
        keys |= {label for name in modifiers if (label := KEY_LABELS[name]) is not None}
    return keys


def test_the_shortcut_list_names_every_key_the_scripts_handle(signed_in: Client) -> None:
    page = signed_in.get("/compare/").content.decode()
    dialog = page.split('<dialog id="shortcuts"')[1].split("</dialog>")[0]
    listed = set(re.findall(r"<kbd>([^<]+)</kbd>", dialog))

    keys = scripted_keys()
    assert {"?", "Escape", "Enter", "Ctrl", "Shift"} <= keys, "the scan finds the handlers"
    assert keys <= listed, f"not in the list: {sorted(keys - listed)}"
