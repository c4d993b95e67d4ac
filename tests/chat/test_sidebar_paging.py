"""The conversation list comes a page at a time: the newest first, older ones as the person
scrolls (htmx fragments), the open conversation always listed, nobody else's ever."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from playground.chat.models import Conversation
from playground.chat.selectors import SIDEBAR_PAGE_SIZE, sidebar_conversations
from playground.chat.services import conversation_rename

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
MORE_LINK = re.compile(r'<li id="conversation-more"[^>]*>\s*<a href="([^"]+)"')
START = datetime(2026, 1, 1, tzinfo=UTC)


def conversations(user, count: int, prefix: str = "Chat") -> list[Conversation]:
    """`count` conversations, the last one made the most recently used."""
    made = []
    for number in range(count):
        conversation = Conversation.objects.create(user=user, title=f"{prefix} {number}")
        Conversation.objects.filter(pk=conversation.pk).update(
            updated_at=START + timedelta(minutes=number)
        )
        made.append(conversation)
    return made


def listed_titles(html: str) -> list[str]:
    return re.findall(
        r'<li id="conversation-\d+" class="conversation-item">\s*<a [^>]*>([^<]*)</a>', html
    )


def first_more_url(user) -> str:
    """The "More" address of the chat page's list (as the page draws it; quicker to get)."""
    return (
        reverse("chat:conversations") + "?" + sidebar_conversations(user, current=None).next_query
    )


def more_url(html: str) -> str | None:
    match = MORE_LINK.search(html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_page_lists_the_newest_conversations_and_a_link_to_more(signed_in, alice):
    conversations(alice, SIDEBAR_PAGE_SIZE + 5)
    html = signed_in.get(reverse("chat:index")).content.decode()
    titles = listed_titles(html)
    newest = SIDEBAR_PAGE_SIZE + 4
    assert titles == [f"Chat {number}" for number in range(newest, 4, -1)]
    assert 'hx-trigger="click, intersect once"' in html, "loads as it scrolls into view"
    assert more_url(html).startswith(reverse("chat:conversations") + "?before=")


def test_a_short_list_has_no_more_link(alice):
    conversations(alice, SIDEBAR_PAGE_SIZE)
    page = sidebar_conversations(alice, current=None)
    assert len(page.conversations) == SIDEBAR_PAGE_SIZE
    assert page.next_query == ""


def test_more_sends_the_next_page_as_a_fragment_until_the_oldest(signed_in, alice):
    conversations(alice, 2 * SIDEBAR_PAGE_SIZE + 3)
    second = signed_in.get(first_more_url(alice), **HTMX).content.decode()
    assert "<html" not in second, "only the entries are swapped in"
    assert len(listed_titles(second)) == SIDEBAR_PAGE_SIZE
    third = signed_in.get(more_url(second), **HTMX).content.decode()
    assert listed_titles(third) == ["Chat 2", "Chat 1", "Chat 0"]
    assert more_url(third) is None
    every = listed_titles(second) + listed_titles(third)
    assert len(every) == len(set(every)) == SIDEBAR_PAGE_SIZE + 3


def test_a_conversation_moved_to_the_top_meanwhile_is_neither_repeated_nor_makes_one_skipped(
    signed_in, alice
):
    made = conversations(alice, SIDEBAR_PAGE_SIZE + 2)
    url = first_more_url(alice)
    made[0].title = "Answered again"
    made[0].save()  # a new message: now the most recent
    older = signed_in.get(url, **HTMX).content.decode()
    assert listed_titles(older) == ["Chat 1"]


def test_the_open_conversation_is_listed_even_when_old_and_later_pages_leave_it_out(
    signed_in, alice
):
    made = conversations(alice, SIDEBAR_PAGE_SIZE + 3)
    oldest = made[0]
    html = signed_in.get(reverse("chat:conversation", args=[oldest.pk])).content.decode()
    titles = listed_titles(html)
    assert titles[-1] == "Chat 0" and len(titles) == SIDEBAR_PAGE_SIZE + 1
    entry = html.split(f'<li id="conversation-{oldest.pk}"')[1].split("</li>")[0]
    assert 'aria-current="page"' in entry
    rest = signed_in.get(more_url(html), **HTMX).content.decode()
    assert listed_titles(rest) == ["Chat 2", "Chat 1"], "not listed twice"


def test_another_persons_conversations_are_never_listed(signed_in, alice, make_user):
    conversations(alice, SIDEBAR_PAGE_SIZE + 1)
    conversations(make_user("bob"), 2 * SIDEBAR_PAGE_SIZE, prefix="Bob's")
    first = sidebar_conversations(alice, current=None).conversations
    rest = signed_in.get(first_more_url(alice), **HTMX).content.decode()
    assert all(item.user_id == alice.pk for item in first) and "Bob" not in rest
    assert listed_titles(rest) == ["Chat 0"]


def test_without_javascript_more_opens_a_page_of_its_own(signed_in, alice):
    conversations(alice, SIDEBAR_PAGE_SIZE + 2)
    page = signed_in.get(first_more_url(alice))
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    assert listed_titles(html) == ["Chat 1", "Chat 0"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?before=yesterday&before_id=3",
        "?before=2026-01-01T00:00:00%2B00:00&before_id=0",
        "?before=2026-01-01T00:00:00%2B00:00&before_id=x",
        "?before=2026-01-01T00:00:00%2B00:00&before_id=3&skip=-1",
        "?before=99999-01-01T00:00:00&before_id=3",
    ],
)
def test_a_bad_page_address_is_refused_with_a_message(signed_in, alice, query):
    response = signed_in.get(reverse("chat:conversations") + query, **HTMX)
    assert response.status_code == 400
    assert "does not name a page of the list" in response.content.decode()


def test_the_list_needs_signing_in(client):
    response = client.get(reverse("chat:conversations") + "?before=2026-01-01&before_id=1")
    assert response.status_code == 302


def test_the_list_kept_in_the_cache_shows_a_rename_and_which_one_is_open(signed_in, alice):
    first, second = conversations(alice, 2)
    html = signed_in.get(reverse("chat:conversation", args=[first.pk])).content.decode()
    assert listed_titles(html) == ["Chat 1", "Chat 0"]
    conversation_rename(conversation=second, title="Renamed")
    html = signed_in.get(reverse("chat:conversation", args=[second.pk])).content.decode()
    assert listed_titles(html) == ["Renamed", "Chat 0"]
    entry = html.split(f'<li id="conversation-{second.pk}"')[1].split("</li>")[0]
    assert 'aria-current="page"' in entry
