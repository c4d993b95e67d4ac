"""Model output is untrusted: whatever a reply contains (HTML, markdown links, `javascript:`
URLs, images, script tags), nothing executable, no event handler and no remote image reaches
the page, in the streamed fragments, the finished turn or pane, or the share pages."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from django.template.loader import render_to_string
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.chat.models import Conversation, Turn
from playground.chat.services import turn_assistant_start, turn_finish
from playground.compare.models import Comparison, Pane
from playground.compare.services import pane_finish
from playground.llm.events import AnswerDelta, FinishEvent, ThoughtDelta
from playground.runs.markdown import render_markdown
from playground.runs.relay import ReplyRelay
from playground.sharing.models import ShareLink
from tests.live_page import shown_html
from tests.security.markup import findings, page_nonce

pytestmark = pytest.mark.django_db

NASTY = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<img src='https://evil.example/p.png'>", "![tracker](https://evil.example/t.png)",
    "![inline](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[click](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x]( java\tscript:alert(1))",
    '<a href="javascript:alert(1)">a</a>', "[ref]\n\n[ref]: javascript:alert(1)",
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>", "<object data=x></object>", "<embed src=x>",
    '<div hx-get="/accounts/logout/" hx-trigger="load">x</div>', '<a ws-send hx-vals="{}">y</a>',
    "<form action=https://evil.example><button formaction=javascript:x>go</button></form>",
    "<style>body{display:none}</style>", '<p style="background:url(https://evil.example)">s</p>',
    "<meta http-equiv=refresh content='0;url=https://evil.example'>", "<base href=//evil.example/>",
    "<details open ontoggle=alert(1)>", '<a id="run-status" data-state="streaming">x</a>',
    "<input autofocus onfocus=alert(1)>", "```html\n<script>alert(1)</script>\n```",
    "<!-- <script>x</script> -->", "<<script>script>alert(1)<</script>/script>", "&lt;b&gt;",
    "| a | <img src=//evil.example/x> |\n|---|---|\n| <script>x</script> | [l](javascript:x) |",
    "<https://evil.example/autolink>", "[ok](https://example.org/page)", "`<b>code</b>`",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>", "</span><script>x</script>",
    '"><img src=x onerror=alert(1)>', "</thought><script>x</script>", "javascript:alert(1)",
]  # fmt: skip
pieces_of_reply = st.one_of(st.sampled_from(NASTY), st.text(max_size=30))
replies = st.lists(pieces_of_reply, min_size=1, max_size=6).map("\n\n".join)
cut_points = st.lists(st.integers(min_value=1, max_value=60), max_size=8)


def split(text: str, cuts: list[int]) -> list[str]:
    """The text in stream-sized pieces, cut anywhere (through tags and entities too)."""
    pieces, start = [], 0
    for size in cuts:
        if start >= len(text):
            break
        pieces.append(text[start : start + size])
        start += size
    return [*pieces, text[start:]] if start < len(text) else pieces


async def events(thoughts: list[str], answer: list[str]) -> AsyncIterator[object]:
    for piece in thoughts:
        yield ThoughtDelta(text=piece)
    for piece in answer:
        yield AnswerDelta(text=piece)
    yield FinishEvent(choice=0, reason="stop")


def relayed(dom_prefix: str, row_id: int, thoughts: list[str], answer: list[str]):
    fragments: list[str] = []

    async def send(fragment: str) -> None:
        fragments.append(fragment)

    relay = ReplyRelay(dom_prefix=dom_prefix, n=1, send=send, interval=0)
    outcome = asyncio.run(relay.run(events(thoughts, answer)))
    return fragments, outcome


def assert_clean_page(response) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert findings(html, nonce=page_nonce(response["Content-Security-Policy"])) == []


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("owner", password=None)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answer=replies, thoughts=replies, cuts=cut_points)
def test_model_output_never_becomes_live_markup_where_it_is_served(
    owner, emulator_url, answer: str, thoughts: str, cuts: list[int]
) -> None:  # fmt: skip
    answer_pieces, thought_pieces = split(answer, cuts), split(thoughts, cuts)
    conversation = Conversation.objects.create(user=owner, title="<b>Hostile</b> reply")
    Turn.objects.create(conversation=conversation, role="user", content="Say something nasty")
    turn = turn_assistant_start(conversation=conversation, run_spec={"model": "m"}, n=1)
    comparison = Comparison.objects.create(user=owner, prompt="Say something nasty")
    pane = Pane.objects.create(comparison=comparison, position=0, label="m")

    for prefix, row_id in ((f"t{turn.pk}", turn.pk), (f"p{pane.pk}", pane.pk)):
        fragments, outcome = relayed(prefix, row_id, thought_pieces, answer_pieces)
        assert [f for fragment in fragments for f in findings(fragment, fragment=True)] == []
        shown = shown_html(fragments, f"{prefix}-c0-answer")
        assert shown == render_markdown(answer), "shown as the finished reply shows it"
        assert shown_html(fragments, f"{prefix}-c0-thoughts") == render_markdown(thoughts)
    finished = turn_finish(turn_id=turn.pk, outcome=outcome)
    pane = pane_finish(pane_id=pane.pk, outcome=outcome)

    swapped = render_to_string("chat/page.html#run-finished", {"turn": finished})
    pane_swap = render_to_string("compare/_pane.html", {"pane": pane, "oob": True})
    assert findings(swapped, fragment=True) == [] and findings(pane_swap, fragment=True) == []

    links = [ShareLink.objects.create(owner=owner, conversation=conversation),
             ShareLink.objects.create(owner=owner, comparison=comparison)]  # fmt: skip
    stranger, signed_in = Client(), Client()
    signed_in.force_login(owner)
    for link in links:
        assert_clean_page(stranger.get(f"/share/{link.token}/"))
        assert_clean_page(stranger.get(f"/share/{link.token}/present/"))
    assert_clean_page(signed_in.get(f"/chat/{conversation.pk}/"))
    assert_clean_page(signed_in.get(f"/compare/{comparison.pk}/"))


@pytest.mark.parametrize(
    "markup",
    ['<img src="https://evil.example/x.png">', '<a href="javascript:alert(1)">x</a>',
     "<script>alert(1)</script>", '<div class="markdown"><span hx-get="/x">y</span></div>',
     '<button onclick="x()">b</button>', '<script src="/static/js/playground.js"></script>'],
)  # fmt: skip
def test_the_checker_itself_spots_live_markup(markup: str) -> None:
    assert findings(markup, nonce="n") != []
