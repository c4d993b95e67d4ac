"""A long conversation list in Chromium: the newest page first, older ones as it scrolls."""

from __future__ import annotations

import re
import subprocess
import sys

from playwright.sync_api import Page, expect

from playground.chat.selectors import SIDEBAR_PAGE_SIZE
from tests.e2e.test_chat_branches import console_errors
from tests.servers import REPO, ServedPlayground

SEEDED = 2 * SIDEBAR_PAGE_SIZE + 10
# Long ago, so they come after whatever other tests made on this server.
SEED = f"""
from datetime import UTC, datetime, timedelta
from django.contrib.auth import get_user_model
from playground.chat.models import Conversation
owner = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
start = datetime(2020, 1, 1, tzinfo=UTC)
for number in range({SEEDED}):
    made = Conversation.objects.create(user=owner, title=f"Seeded {{number:02d}}")
    Conversation.objects.filter(pk=made.pk).update(updated_at=start + timedelta(minutes=number))
"""
SHOTS = "/work/shots/page"


def seed_conversations(server: ServedPlayground) -> None:
    command = [sys.executable, "manage.py", "shell", "-c", SEED]
    subprocess.run(command, cwd=REPO, env=server.process_env(), check=True, capture_output=True)


def test_the_list_loads_older_conversations_as_it_scrolls(logged_in_page: Page, served):
    page = logged_in_page
    seed_conversations(served)
    errors = console_errors(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(re.sub(r"/chat/.*$", "/chat/", page.url))
    assert "{#" not in page.locator("#composer-settings").inner_text()
    entries = page.locator("#conversation-list li.conversation-item")
    expect(entries).to_have_count(SIDEBAR_PAGE_SIZE)
    page.screenshot(path=f"{SHOTS}/sidebar-1440.png")

    more = page.get_by_role("link", name="More conversations")
    more.scroll_into_view_if_needed()  # in view: the next page comes by itself
    expect(entries).to_have_count(2 * SIDEBAR_PAGE_SIZE)
    page.get_by_role("link", name="More conversations").click()  # or on a click
    expect(page.locator("#conversation-list")).to_contain_text("Seeded 00")
    expect(more).to_have_count(0)
    ids = entries.evaluate_all("items => items.map(item => item.id)")
    assert len(ids) == len(set(ids)) >= SEEDED, "every conversation once"
    page.locator("#conversation-list").get_by_text("Seeded 00").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/sidebar-1440-end.png")

    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(reduced_motion="reduce")  # the drawer opens without sliding
    page.reload()
    page.get_by_role("button", name="☰ Chats").click()
    expect(entries).to_have_count(SIDEBAR_PAGE_SIZE)
    page.screenshot(path=f"{SHOTS}/sidebar-390.png")
    page.get_by_role("link", name="More conversations").scroll_into_view_if_needed()
    expect(entries).to_have_count(2 * SIDEBAR_PAGE_SIZE)
    page.screenshot(path=f"{SHOTS}/sidebar-390-more.png")
    assert errors == []
