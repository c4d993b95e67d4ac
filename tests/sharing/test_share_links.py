from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from playground.chat.models import Conversation, ReplyState, Turn
from playground.sharing.models import ShareLink
from tests.compare.test_views import saved_comparison

pytestmark = pytest.mark.django_db

SECRET_KEY_SEEN_NOWHERE = "AIzaSy-test-key-that-must-never-show"


@pytest.fixture
def owner(make_user):
    return make_user("owner-with-a-private-name")


@pytest.fixture
def conversation(owner) -> Conversation:
    conversation = Conversation.objects.create(user=owner, title="River demo")
    prompt = Turn.objects.create(
        conversation=conversation, role="user", content="Name a long river"
    )
    Turn.objects.create(
        conversation=conversation, parent=prompt, role="assistant", content="The Nile.",
        state=ReplyState.DONE,
        run_spec={"model": "gemini-2.5-flash", "provider": "emulator"},
        candidates=[{"answer": "The Nile.", "html": "<p>The Nile.</p>", "thoughts": "Length.",
                     "thoughts_html": "<p>Length.</p>"}],
        ttft_ms=120, total_ms=900, prompt_tokens=5, completion_tokens=3, thinking_tokens=40,
    )  # fmt: skip
    Conversation.objects.create(user=owner, title="Salary negotiation notes")
    return conversation


def share(client: Client, kind: str, target_id: int) -> ShareLink:
    response = client.post(reverse("sharing:create"), {"kind": kind, "target": target_id})
    assert response.status_code == 302
    return ShareLink.objects.get(revoked_at__isnull=True, **{kind: target_id})


def test_the_owner_shares_a_conversation_and_a_stranger_reads_it(
    client, owner, conversation, settings
):
    settings.GEMINI_API_KEY = SECRET_KEY_SEEN_NOWHERE
    client.force_login(owner)
    link = share(client, "conversation", conversation.pk)

    stranger = Client()
    page = stranger.get(reverse("sharing:view", args=[link.token])).content.decode()

    assert "Name a long river" in page and "The Nile." in page and "Length." in page
    assert "Read-only share" in page
    for secret in ("owner-with-a-private-name", "Salary negotiation", SECRET_KEY_SEEN_NOWHERE,
                   "emulator-key", "Sign out"):  # fmt: skip
        assert secret not in page
    assert "ws-connect" not in page and 'method="post"' not in page, "nothing can be run"
    assert len(link.token) >= 32


def test_a_shared_comparison_shows_panes_summary_and_diff(client, owner):
    comparison = saved_comparison(owner)
    client.force_login(owner)
    link = share(client, "comparison", comparison.pk)
    stranger = Client()

    page = stranger.get(reverse("sharing:view", args=[link.token])).content.decode()
    diff = stranger.get(reverse("sharing:diff", args=[link.token]), {"a": 1, "b": 2})

    assert "Why is the sky blue?" in page and "Be brief." in page
    assert page.count('class="pane card" data-state="done"') == 2
    assert page.count('<figure class="chart') == 7, (
        "six range-bar charts (cost too) and the timeline"
    )
    assert "Send to chat" not in page and "Stop" not in page and 'method="post"' not in page
    assert reverse("sharing:diff", args=[link.token]) in page
    assert "<del>is</del><ins>looks</ins>" in diff.content.decode()


def test_the_presenter_view_has_no_sidebars_and_large_type(client, owner, conversation):
    client.force_login(owner)
    link = share(client, "conversation", conversation.pk)

    page = Client().get(reverse("sharing:present", args=[link.token])).content.decode()

    assert '<body class="presenter">' in page and "The Nile." in page
    assert "topbar" not in page and "sidebar" not in page and "<nav" not in page


def test_a_share_link_opens_exactly_one_thing(client, owner, conversation):
    client.force_login(owner)
    link = share(client, "conversation", conversation.pk)
    other = Conversation.objects.get(title="Salary negotiation notes")
    stranger = Client()

    assert stranger.get(reverse("chat:conversation", args=[other.pk])).status_code == 302
    assert stranger.get(reverse("chat:conversation", args=[conversation.pk])).status_code == 302
    assert stranger.get(reverse("sharing:diff", args=[link.token])).status_code == 404
    assert stranger.get(reverse("sharing:view", args=[link.token + "x"])).status_code == 404
    assert stranger.get(reverse("sharing:view", args=[link.token.upper()])).status_code == 404


def test_strangers_cannot_post_to_a_share_link(client, owner, conversation):
    client.force_login(owner)
    link = share(client, "conversation", conversation.pk)
    stranger = Client(enforce_csrf_checks=True)

    for name in ("sharing:view", "sharing:present", "sharing:diff"):
        response = stranger.post(reverse(name, args=[link.token]), {"prompt": "hi"})
        assert response.status_code in {403, 405}
    assert stranger.post(reverse("sharing:revoke", args=[link.pk])).status_code in {302, 403}
    assert ShareLink.objects.get(pk=link.pk).is_active
    assert Turn.objects.filter(conversation=conversation).count() == 2


def test_a_revoked_link_is_not_found_and_a_new_share_gets_a_new_token(client, owner, conversation):
    client.force_login(owner)
    link = share(client, "conversation", conversation.pk)
    url = reverse("sharing:view", args=[link.token])
    assert Client().get(url).status_code == 200

    client.post(reverse("sharing:revoke", args=[link.pk]))

    assert Client().get(url).status_code == 404
    assert Client().get(reverse("sharing:present", args=[link.token])).status_code == 404
    again = share(client, "conversation", conversation.pk)
    assert again.token != link.token


def test_sharing_twice_gives_the_same_link(client, owner, conversation):
    client.force_login(owner)

    assert share(client, "conversation", conversation.pk) == share(
        client, "conversation", conversation.pk
    )
    assert ShareLink.objects.count() == 1


def test_nobody_can_share_or_revoke_what_is_not_theirs(client, owner, conversation, make_user):
    client.force_login(owner)
    link = share(client, "conversation", conversation.pk)
    comparison = saved_comparison(owner)
    client.force_login(make_user("mallory"))

    create = reverse("sharing:create")
    assert (
        client.post(create, {"kind": "conversation", "target": conversation.pk}).status_code == 404
    )
    assert client.post(create, {"kind": "comparison", "target": comparison.pk}).status_code == 404
    assert client.post(create, {"kind": "user", "target": 1}).status_code == 404
    assert client.post(reverse("sharing:revoke", args=[link.pk])).status_code == 404
    assert ShareLink.objects.get(pk=link.pk).is_active and ShareLink.objects.count() == 1


def test_the_share_control_on_the_chat_page_makes_and_revokes_a_link(client, owner, conversation):
    client.force_login(owner)
    chat_page = client.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert 'id="share-control"' in chat_page and "Create share link" in chat_page

    made = client.post(
        reverse("sharing:create"),
        {"kind": "conversation", "target": conversation.pk},
        headers={"HX-Request": "true"},
    ).content.decode()
    url = re.search(r'id="share-url"[^>]*value="([^"]+)"', made).group(1)
    assert url.startswith("http://testserver/share/") and "Revoke link" in made

    link = ShareLink.objects.get()
    revoked = client.post(reverse("sharing:revoke", args=[link.pk]), headers={"HX-Request": "true"})
    assert "Create share link" in revoked.content.decode()


def test_a_shared_conversation_shows_tool_calls_and_their_results(client, owner, conversation):
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"location": "Chicago"}'},
        "extra_content": {"google": {"thought_signature": "c2lnbmF0dXJl"}},
    }
    asking = Turn.objects.create(
        conversation=conversation, parent=conversation.turns.last(), role="assistant",
        state=ReplyState.DONE, run_spec={"model": "gemini-3-flash-preview"},
        candidates=[{"answer": "", "html": "", "tool_calls": [call]}],
    )  # fmt: skip
    Turn.objects.create(
        conversation=conversation, parent=asking, role="tool", state=ReplyState.DONE,
        tool_results=[{"call_id": "call_1", "name": "get_weather", "content": "Sunny, 21 C",
                       "is_error": False}],
    )  # fmt: skip
    client.force_login(owner)
    link = share(client, "conversation", conversation.pk)

    page = Client().get(reverse("sharing:view", args=[link.token])).content.decode()

    assert "get_weather" in page and "Chicago" in page and "Sunny, 21 C" in page
    assert "Continue" not in page and "ws-send" not in page


def test_a_shared_comparison_downloads_in_every_format_for_anyone_with_the_link(client, owner):
    from tests.compare.test_exports import exported_comparison

    comparison = exported_comparison(owner)
    client.force_login(owner)
    link = share(client, "comparison", comparison.pk)
    stranger = Client()

    page = stranger.get(reverse("sharing:view", args=[link.token])).content.decode()
    for fmt in ("md", "csv", "json"):
        url = reverse("sharing:export", args=[link.token, fmt])
        assert f'href="{url}"' in page
        response = stranger.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
    data = stranger.get(reverse("sharing:export", args=[link.token, "json"])).json()
    request = data["panes"][0]["runs"][0]["request"]
    assert request["body"]["model"] == "gemini-2.5-flash"
    assert "url" not in request, "the endpoint's address stays with the owner"
    assert "owner" not in json.dumps(data)


def test_a_revoked_or_conversation_link_downloads_nothing(client, owner, conversation):
    from tests.compare.test_exports import exported_comparison

    comparison = exported_comparison(owner)
    client.force_login(owner)
    shared_conversation = share(client, "conversation", conversation.pk)
    revoked = share(client, "comparison", comparison.pk)
    client.post(reverse("sharing:revoke", args=[revoked.pk]))
    stranger = Client()

    for token in (shared_conversation.token, revoked.token, "no-such-token"):
        assert stranger.get(reverse("sharing:export", args=[token, "csv"])).status_code == 404
