"""The conversation list: a menu per entry, rename in place, and the order of recent use."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from playground.chat.models import Conversation
from tests.chat.conftest import Socket, send_payload
from tests.fake_streams import fake_stream

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def rivers(db, make_user) -> Conversation:
    return Conversation.objects.create(user=make_user("alice"), title="Rivers")


@pytest.fixture
def browser(client, rivers):
    client.force_login(rivers.user)
    return client


def test_each_entry_has_a_menu_that_works_without_javascript(browser, rivers):
    page = browser.get(reverse("chat:conversation", args=[rivers.pk])).content.decode()
    entry = page.split(f'<li id="conversation-{rivers.pk}"')[1].split("</li>")[0]
    assert '<details class="item-menu"' in entry and 'role="menu"' in entry
    assert f'href="{reverse("chat:rename", args=[rivers.pk])}"' in entry
    assert f'href="{reverse("chat:delete", args=[rivers.pk])}"' in entry


def test_rename_in_place_opens_a_field_and_saves_the_entry(browser, rivers):
    url = reverse("chat:rename", args=[rivers.pk])
    opened = browser.get(url, **htmx_from_page(rivers)).content.decode()
    assert opened.lstrip().startswith(f'<li id="conversation-{rivers.pk}"')
    assert 'class="rename-inline"' in opened and 'value="Rivers"' in opened
    assert 'maxlength="200"' in opened and "autofocus" in opened
    assert "<html" not in opened, "only the entry is swapped"

    saved = browser.post(url, {"title": "  Big   rivers "}, **htmx_from_page(rivers))
    assert saved.status_code == 200
    html = saved.content.decode()
    assert ">Big rivers</a>" in html and "rename-inline" not in html
    assert 'aria-current="page"' in html, "still marked as the conversation open"
    assert 'id="chat-toolbar-title" hx-swap-oob="true">Big rivers<' in html, "and its title"
    rivers.refresh_from_db()
    assert rivers.title == "Big rivers"


@pytest.mark.parametrize(
    ("title", "message"), [("   ", "This field is required."), ("x" * 201, "at most 200")]
)
def test_a_bad_title_is_refused_beside_the_field_and_nothing_changes(
    browser, rivers, title, message
):
    response = browser.post(reverse("chat:rename", args=[rivers.pk]), {"title": title}, **HTMX)
    html = response.content.decode()
    assert 'class="rename-inline"' in html and 'aria-invalid="true"' in html
    assert message in html and 'role="alert"' in html
    rivers.refresh_from_db()
    assert rivers.title == "Rivers"


def htmx_from_page(conversation: Conversation) -> dict[str, str]:
    """htmx headers of a request made from the conversation's own page."""
    page = reverse("chat:conversation", args=[conversation.pk])
    return {**HTMX, "HTTP_HX_CURRENT_URL": f"http://testserver{page}"}


@pytest.mark.django_db(transaction=True)
async def test_a_new_message_moves_its_conversation_to_the_top_of_the_list(make_user):
    user = await database_sync_to_async(make_user)("alice")
    older = await database_sync_to_async(Conversation.objects.create)(user=user, title="Older")
    await database_sync_to_async(Conversation.objects.create)(user=user, title="Newer")

    async with Socket(user, stream=lambda spec: fake_stream(["Hi"], 0, [])) as socket:
        await socket.send(**send_payload("Back to this", conversation=str(older.pk)))
        started = await socket.receive_until('id="transcript"')
    moved = started.split(f'<li id="conversation-{older.pk}" hx-swap-oob="delete"></li>')
    assert len(moved) == 2, "its entry leaves its place…"
    top = moved[1].split('<ul id="conversation-list" hx-swap-oob="afterbegin">')[1]
    assert top.lstrip().startswith(f'<li id="conversation-{older.pk}"'), "…and comes first"
    assert 'aria-current="page"' in top.split("</li>")[0]
    titles = await database_sync_to_async(
        lambda: list(Conversation.objects.filter(user=user).values_list("title", flat=True))
    )()
    assert titles == ["Older", "Newer"], "a reload shows the same order"
