"""Structured output on the chat page: the reply shown as indented JSON with a badge saying
whether it fits the schema, and where it does not."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from playground.chat.models import Turn
from playground.llm.tooling import schema_examples
from tests.chat.conftest import Socket, send_payload
from tests.fake_streams import fake_stream

pytestmark = pytest.mark.django_db(transaction=True)

CALENDAR = next(example for example in schema_examples() if example.key == "calendar_event")
FINAL_DONE = 'turn-assistant" data-state="done" hx-swap-oob="outerHTML"'


def as_json_schema(prompt: str, **overrides: object) -> dict[str, object]:
    return send_payload(
        prompt,
        model="gemini-3-flash-preview",
        response_format="json_schema",
        response_schema=CALENDAR.pretty,
        response_schema_name="CalendarEvent",
        **overrides,
    )


async def a_reply(user, payload: dict[str, object], **injected: object) -> str:
    async with Socket(user, **injected) as socket:
        await socket.send(**payload)
        return await socket.receive_until(FINAL_DONE, timeout=20)


async def test_a_reply_that_fits_the_schema_is_shown_indented_and_valid(
    make_user, emulator_url, client
):
    user = await database_sync_to_async(make_user)()
    frame = await a_reply(user, as_json_schema(CALENDAR.prompt))

    assert "Valid against the schema" in frame
    reply = await database_sync_to_async(Turn.objects.filter(role="assistant").get)()
    event = json.loads(reply.content)
    assert set(event) == {"name", "date", "participants"}
    structured = reply.candidates[0]["structured"]
    assert structured["valid"] and structured["problems"] == []
    assert structured["pretty"] == json.dumps(event, indent=2, ensure_ascii=False)
    assert '<pre class="answer structured-json"><code>{\n  &quot;name&quot;' in frame

    await database_sync_to_async(client.force_login)(user)
    page = await database_sync_to_async(client.get)(
        reverse("chat:conversation", args=[reply.conversation_id])
    )
    assert "Valid against the schema" in page.content.decode(), "the badge survives a reload"


async def test_a_reply_that_does_not_fit_says_where(make_user, monkeypatch):
    user = await database_sync_to_async(make_user)()
    closed: list[float] = []
    answer = '{"name": "AI conference", "date": 5}'

    frame = await a_reply(
        user, as_json_schema(CALENDAR.prompt), stream=lambda spec: fake_stream([answer], 0, closed)
    )

    assert "Not valid against the schema" in frame
    assert "<li><code>/date</code>: 5 is not of type &#x27;string&#x27;</li>" in frame
    assert (
        "<li><code>(the whole reply)</code>: &#x27;participants&#x27; is a required property</li>"
        in frame
    )


async def test_json_object_replies_that_are_not_json_are_marked(make_user, monkeypatch):
    user = await database_sync_to_async(make_user)()
    closed: list[float] = []

    frame = await a_reply(
        user,
        send_payload("Give me JSON", response_format="json_object"),
        stream=lambda spec: fake_stream(["Sure! {oops"], 0, closed),
    )

    assert "Not a JSON object" in frame
    assert "Not JSON: Line 1, column 1: Expecting value." in frame


async def test_plain_text_replies_get_no_badge(make_user, emulator_url):
    user = await database_sync_to_async(make_user)()
    frame = await a_reply(user, send_payload("Say hello", response_schema=CALENDAR.pretty))
    assert "against the schema" not in frame and "structured-json" not in frame
