"""A long conversation's page costs a fixed, small number of queries: finished turns come from
the cache of their HTML without reading their rows, and the list is one page of entries."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from playground.chat.models import Conversation, ReplyState, Turn
from playground.chat.services import ReplyOutcome, turn_assistant_start, turn_finish
from playground.sharing.services import share_link_create

pytestmark = pytest.mark.django_db

TURNS = 50
# The session, the user, the conversation, its tree of turns (ids and states), one page of the
# list, the conversation's share link.
QUERIES_WITH_TURNS_CACHED = 6


def fifty_turns(user) -> Conversation:
    conversation = Conversation.objects.create(user=user, title="Long")
    reply = None
    for number in range(TURNS // 2):
        Turn.objects.create(
            conversation=conversation, role="user", content=f"Prompt {number}", parent=reply
        )
        reply = turn_assistant_start(
            conversation=conversation, run_spec={"model": "gemini-2.5-flash"}, n=1
        )
        outcome = ReplyOutcome(
            state=ReplyState.DONE,
            answers=[f"Answer **{number}**"],
            thoughts=[""],
            finish_reasons=["stop"],
        )
        turn_finish(turn_id=reply.pk, outcome=outcome)
    return conversation


@pytest.fixture
def long_page(client, make_user, settings):
    settings.EMULATOR_BASE_URL = "http://127.0.0.1:9/unreachable/"
    alice = make_user("alice")
    for number in range(40):
        Conversation.objects.create(user=alice, title=f"Other {number}")
    conversation = fifty_turns(alice)
    client.force_login(alice)
    return client, conversation


def test_a_fifty_turn_page_reads_its_turns_in_one_go_then_from_the_cache(
    long_page, django_assert_max_num_queries
):
    client, conversation = long_page
    url = reverse("chat:conversation", args=[conversation.pk])
    cache.clear()
    # Cold: plus the turns' rows and their attachments, two queries for all fifty.
    with django_assert_max_num_queries(QUERIES_WITH_TURNS_CACHED + 2):
        first = client.get(url).content.decode()
    with django_assert_max_num_queries(QUERIES_WITH_TURNS_CACHED):
        again = client.get(url).content.decode()
    transcript = again.split('id="transcript"')[1].split('id="branch-form"')[0]
    assert transcript == first.split('id="transcript"')[1].split('id="branch-form"')[0]
    assert transcript.count('<article id="turn-') == TURNS
    assert "Answer <strong>24</strong>" in transcript


def test_a_shared_page_reads_its_own_cached_turns(long_page, django_assert_max_num_queries):
    client, conversation = long_page
    link = share_link_create(user=conversation.user, target=conversation)
    url = reverse("sharing:view", args=[link.token])
    client.logout()
    first = client.get(url).content.decode()
    with django_assert_max_num_queries(3):  # the link, its conversation, the tree
        again = client.get(url).content.decode()
    transcript = again.split('class="transcript')[1]
    assert transcript == first.split('class="transcript')[1]
    assert transcript.count('<article id="turn-') == TURNS


def panel(html: str) -> str:
    return html.split('<aside class="chat-settings"')[1].split("</aside>")[0]


def test_the_settings_panel_kept_in_the_cache_follows_each_conversations_settings(long_page):
    client, conversation = long_page
    warm = Conversation.objects.create(
        user=conversation.user, title="Warm", settings={"temperature": 1.7}
    )
    url = reverse("chat:conversation", args=[conversation.pk])
    first = panel(client.get(url).content.decode())
    assert panel(client.get(url).content.decode()) == first
    other = panel(client.get(reverse("chat:conversation", args=[warm.pk])).content.decode())
    assert 'value="1.7"' in other and 'value="1.7"' not in first
