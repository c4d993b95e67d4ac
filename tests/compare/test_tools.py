"""Function tools on the compare page: one tools list for every pane, calls shown per pane."""

from __future__ import annotations

import json
import urllib.request

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.urls import reverse

from playground.chat.models import Conversation, Turn
from playground.compare.models import Comparison, Pane
from playground.llm.ready_examples import tool_examples
from tests.compare.conftest import Socket, run_payload

pytestmark = pytest.mark.django_db(transaction=True)

WEATHER = next(example.value for example in tool_examples() if example.key == "weather")
FINISHED = "<h2>Summary</h2>"
PANES = [
    {"model": "gemini-2.5-flash", "reasoning_mode": "effort", "reasoning_effort": "none"},
    {"model": "gemini-3-flash-preview", "reasoning_mode": "effort", "reasoning_effort": "low"},
]


def received(emulator_url: str) -> list[dict]:
    request = urllib.request.Request(
        emulator_url + "_received", headers={"Authorization": "Bearer test"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return [item["body"] for item in json.load(response)["data"]]


async def run(user, payload: dict, until: str, **injected: object) -> str:
    async with Socket(user, **injected) as socket:
        await socket.send(**payload)
        await socket.receive_until(until, timeout=30)
    return "\n".join(socket.frames)


def test_it_sends_the_tools_to_every_pane_and_shows_each_panes_calls(make_user, emulator_url):
    user = make_user("ann")
    payload = run_payload(
        "What's the weather in Seoul?",
        PANES,
        tools=[json.dumps(WEATHER, indent=2)],
        tool_choice="function:get_weather",
    )

    frames = async_to_sync(run)(user, payload, FINISHED)

    for body in received(emulator_url)[-2:]:
        assert [tool["function"]["name"] for tool in body["tools"]] == ["get_weather"]
        assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    panes = list(Pane.objects.filter(comparison__user=user).order_by("position"))
    for pane in panes:
        assert pane.state == "done" and pane.tool_calls
        assert pane.tool_calls[0]["function"]["name"] == "get_weather"
        assert "Seoul" in pane.tool_calls[0]["function"]["arguments"]
    assert frames.count('class="tool-call"') >= 2
    assert "send this pane to chat" in frames and "Continue" not in frames


def test_it_refuses_a_tool_choice_naming_no_tool_and_sends_nothing(make_user, no_model_list):
    user = make_user("ann")
    payload = run_payload(
        "Hi", PANES[:1], tools=json.dumps(WEATHER), tool_choice="function:get_time"
    )

    frames = async_to_sync(run)(user, payload, "Nothing was sent", model_ids=no_model_list)

    assert "get_time, which is not among the tools defined" in frames
    assert not Comparison.objects.exists()


def test_a_pane_sent_to_chat_keeps_its_calls_and_tools_to_answer_them(make_user, emulator_url):
    user = make_user("ann")
    payload = run_payload("Weather in Oslo?", PANES[:1], tools=json.dumps(WEATHER),
                          tool_choice="required")  # fmt: skip
    async_to_sync(run)(user, payload, FINISHED)
    comparison = Comparison.objects.get(user=user)
    client = Client()
    client.force_login(user)

    page = client.get(reverse("compare:detail", args=[comparison.pk])).content.decode()
    client.post(reverse("compare:send_to_chat", args=[comparison.pk, 1]))

    assert "get_weather" in page and 'form="compare-form"' in page  # the editor, ready to rerun
    conversation = Conversation.objects.get(user=user)
    assert [t["function"]["name"] for t in conversation.settings["tools"]] == ["get_weather"]
    reply = Turn.objects.get(conversation=conversation, role="assistant")
    assert reply.candidates[0]["tool_calls"][0]["function"]["name"] == "get_weather"
    chat = client.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert "Continue" in chat, "the calls can be answered in chat"
