"""A tool loop on the chat socket against the served emulator: the calls arrive as cards, the
results a person types go back with the calls exactly as they came, and the loop goes on."""

from __future__ import annotations

import json
import urllib.request

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from playground.chat.models import Conversation, Turn, TurnState
from playground.chat.selectors import shown_turns
from playground.llm.streaming import AnswerDelta, FinishEvent, SignatureEvent, ToolCallEvent
from playground.llm.tooling import tool_examples
from tests.chat.conftest import Socket, send_payload

pytestmark = pytest.mark.django_db(transaction=True)

WEATHER = next(example.value for example in tool_examples() if example.key == "weather")
CALCULATOR = next(example.value for example in tool_examples() if example.key == "calculator")
FINAL_DONE = 'turn-assistant" data-state="done" hx-swap-oob="outerHTML"'
FINAL_ERROR = 'turn-assistant" data-state="error" hx-swap-oob="outerHTML"'


def received(emulator_url: str) -> list[dict]:
    request = urllib.request.Request(
        emulator_url + "_received", headers={"Authorization": "Bearer test"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return [item["body"] for item in json.load(response)["data"]]


def with_tools(prompt: str, model: str, **overrides: object) -> dict[str, object]:
    return send_payload(
        prompt,
        model=model,
        tools=[json.dumps(WEATHER, indent=2), json.dumps(CALCULATOR)],
        tool_choice="auto",
        **overrides,
    )


def results_payload(conversation: int, turn: int, model: str, **fields: str) -> dict[str, object]:
    payload = with_tools("", model, action="tool_results")
    payload.update(conversation=str(conversation), turn=str(turn), **fields)
    return payload


@database_sync_to_async
def live_turns(user) -> list[Turn]:
    conversation = Conversation.objects.filter(user=user).first()
    return shown_turns(conversation) if conversation else []


@database_sync_to_async
def conversation_of(user) -> Conversation:
    return Conversation.objects.get(user=user)


@pytest.mark.parametrize("model", ["gemini-2.5-flash", "gemini-3-flash-preview"])
async def test_a_tool_loop_goes_two_rounds_and_sends_every_call_back_as_it_came(
    make_user, emulator_url, model
):
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**with_tools("What's the weather in Seoul and in Oslo?", model))
        calls_frame = await socket.receive_until(FINAL_DONE, timeout=20)
        assert calls_frame.count('class="tool-call"') == 2
        assert "get_weather" in calls_frame and "Continue" in calls_frame
        assert "&quot;location&quot;: &quot;Seoul&quot;" in calls_frame  # pretty arguments

        conversation = await conversation_of(user)
        asking = (await live_turns(user))[-1]
        calls = asking.candidates[0]["tool_calls"]
        assert [json.loads(c["function"]["arguments"]) for c in calls] == [
            {"location": "Seoul"},
            {"location": "Oslo"},
        ]
        if model.startswith("gemini-3"):
            assert calls[0]["extra_content"]["google"]["thought_signature"]
            assert "extra_content" not in calls[1], "with parallel calls only the first is signed"
            assert "signed</span>" in calls_frame

        await socket.send(
            **results_payload(
                conversation.pk, asking.pk, model,
                result_0="Sunny, 24 °C", result_1="station offline", error_1="on",
            )
        )  # fmt: skip
        answer_frame = await socket.receive_until(FINAL_DONE, timeout=20)
        assert "returned “Sunny, 24 °C”" in answer_frame
        assert "reported an error" in answer_frame

        sent = received(emulator_url)[-1]["messages"]
        assistant, seoul, oslo = sent[-3:]
        assert assistant["tool_calls"] == calls, "every call goes back exactly as received"
        assert assistant.get("extra_content") == asking.candidates[0]["extra_content"]
        assert seoul == {
            "role": "tool",
            "content": "Sunny, 24 °C",
            "tool_call_id": calls[0]["id"],
        }
        assert json.loads(oslo["content"]) == {"error": "station offline"}

        # Round two, further down the same conversation.
        await socket.send(
            **with_tools("And what is 12 * (3 + 4)?", model, conversation=str(conversation.pk))
        )
        await socket.receive_until(FINAL_DONE, timeout=20)
        second = (await live_turns(user))[-1]
        [call] = second.candidates[0]["tool_calls"]
        assert call["function"]["name"] == "calculate"
        await socket.send(**results_payload(conversation.pk, second.pk, model, result_0="84"))
        last_frame = await socket.receive_until(FINAL_DONE, timeout=20)
        assert "returned “84”" in last_frame

    roles = [turn.role for turn in await live_turns(user)]
    assert roles == ["user", "assistant", "tool", "assistant"] * 2
    last_request = received(emulator_url)[-1]["messages"]
    assert [m["role"] for m in last_request] == [
        "user", "assistant", "tool", "tool", "assistant",
        "user", "assistant", "tool",
    ]  # fmt: skip
    assert last_request[1]["tool_calls"] == calls, "earlier rounds keep their calls too"


async def test_a_dropped_signature_shows_geminis_400_with_a_retry(make_user, emulator_url):
    model = "gemini-3-flash-preview"
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**with_tools("What's the weather like in Chicago today?", model))
        await socket.receive_until(FINAL_DONE, timeout=20)
        conversation = await conversation_of(user)
        asking = (await live_turns(user))[-1]
        # What a client that loses signatures would send back.
        del asking.candidates[0]["tool_calls"][0]["extra_content"]
        await database_sync_to_async(asking.save)(update_fields=["candidates"])

        await socket.send(**results_payload(conversation.pk, asking.pk, model, result_0="Windy"))
        failed = await socket.receive_until(FINAL_ERROR, timeout=20)

    assert "400 INVALID_ARGUMENT:" in failed
    assert "Function call is missing a thought_signature in functionCall parts." in failed
    assert ">Retry</button>" in failed
    reply = (await live_turns(user))[-1]
    assert reply.state == TurnState.ERROR and reply.error["status_code"] == 400


async def test_results_are_checked_and_nothing_is_stored_until_every_call_has_one(
    make_user, emulator_url
):
    model = "gemini-2.5-flash"
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**with_tools("What's the weather in Seoul and in Oslo?", model))
        await socket.receive_until(FINAL_DONE, timeout=20)
        conversation = await conversation_of(user)
        asking = (await live_turns(user))[-1]

        await socket.send(
            **results_payload(conversation.pk, asking.pk, model, result_0="Sunny", result_1=" ")
        )
        errors = await socket.receive_until('id="composer-errors"')
        assert "Type what get_weather returned (call 2)" in errors

        await socket.send(**results_payload(conversation.pk, asking.pk, model, result_0="Sunny"))
        errors = await socket.receive_until('id="composer-errors"')
        assert "No result was sent for call 2 (get_weather)." in errors
        assert len(await live_turns(user)) == 2

        await socket.send(
            **results_payload(conversation.pk, asking.pk, model, result_0="Sunny", result_1="Cold")
        )
        await socket.receive_until(FINAL_DONE, timeout=20)
        # The same calls cannot be answered twice.
        await socket.send(
            **results_payload(conversation.pk, asking.pk, model, result_0="Again", result_1="Again")
        )
        errors = await socket.receive_until('id="composer-errors"')
        assert "can no longer be answered" in errors
    assert [t.role for t in await live_turns(user)] == ["user", "assistant", "tool", "assistant"]


async def test_nobody_else_can_answer_the_calls(make_user, emulator_url):
    model = "gemini-2.5-flash"
    alice = await database_sync_to_async(make_user)("alice")
    mallory = await database_sync_to_async(make_user)("mallory")
    async with Socket(alice) as socket:
        await socket.send(**with_tools("What's the weather like in Chicago today?", model))
        await socket.receive_until(FINAL_DONE, timeout=20)
    conversation = await conversation_of(alice)
    asking = (await live_turns(alice))[-1]
    async with Socket(mallory) as socket:
        await socket.send(**results_payload(conversation.pk, asking.pk, model, result_0="Mine"))
        errors = await socket.receive_until('id="composer-errors"')
    assert "can no longer be answered" in errors
    assert len(await live_turns(alice)) == 2


async def test_calls_left_unanswered_are_not_sent_when_the_conversation_moves_on(
    make_user, emulator_url, client
):
    model = "gemini-3-flash-preview"
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**with_tools("What's the weather like in Chicago today?", model))
        await socket.receive_until(FINAL_DONE, timeout=20)
        conversation = await conversation_of(user)
        await socket.send(
            **send_payload("Never mind, say hello.", model=model, conversation=str(conversation.pk))
        )
        await socket.receive_until(FINAL_DONE, timeout=20)

    sent = received(emulator_url)[-1]["messages"]
    assert not any(message.get("tool_calls") for message in sent)
    assert sent[-1] == {"role": "user", "content": "Never mind, say hello."}
    await database_sync_to_async(client.force_login)(user)
    page = await database_sync_to_async(client.get)(
        reverse("chat:conversation", args=[conversation.pk])
    )
    html = page.content.decode()
    assert "Not answered: later requests leave these calls out." in html
    assert "Continue" not in html


async def test_the_whole_loop_is_on_the_page_after_a_reload(make_user, emulator_url, client):
    model = "gemini-3-flash-preview"
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**with_tools("What's the weather like in Chicago today?", model))
        await socket.receive_until(FINAL_DONE, timeout=20)
        conversation = await conversation_of(user)
        asking = (await live_turns(user))[-1]
        page = await _page(client, user, conversation)
        assert 'name="result_0"' in page and ">Continue</button>" in page
        await socket.send(
            **results_payload(conversation.pk, asking.pk, model, result_0='{"sky": "<clear>"}')
        )
        await socket.receive_until(FINAL_DONE, timeout=20)

    page = await _page(client, user, conversation)
    assert page.count('class="tool-call"') == 1
    assert "&quot;location&quot;: &quot;Chicago&quot;" in page
    assert "Tool results" in page
    assert "{&quot;sky&quot;: &quot;&lt;clear&gt;&quot;}" in page, "results are shown escaped"
    assert 'returned “{"sky": "&lt;clear&gt;"}”' in page, "the answer used the result"
    assert 'name="result_0"' not in page, "answered calls take no more results"
    assert "get_weather: must call it" in page, "the tools stay with the conversation"


async def _page(client, user, conversation) -> str:
    await database_sync_to_async(client.force_login)(user)
    response = await database_sync_to_async(client.get)(
        reverse("chat:conversation", args=[conversation.pk])
    )
    return response.content.decode()


def scripted_upstream(*replies: list[object]):
    """Stands in for llm.stream_reply: answers each run with the next script, keeps the specs."""
    specs: list[object] = []

    def stream_reply(spec):
        specs.append(spec)
        events = replies[len(specs) - 1]

        async def events_of():
            for event in events:
                yield event

        return events_of()

    return specs, stream_reply


async def test_a_reply_that_calls_again_is_answered_again_and_everything_goes_back(
    make_user, monkeypatch
):
    signed_a = {"google": {"thought_signature": "c2lnLUE="}}
    signed_b = {"google": {"thought_signature": "c2lnLUI="}}
    message_signature = {"google": {"thought_signature": "bXNn"}}
    specs, fake = scripted_upstream(
        [
            ToolCallEvent(0, 0, "call-a", "get_weather", '{"location":"Oslo"}', signed_a),
            SignatureEvent(0, message_signature),
            FinishEvent(0, "tool_calls"),
        ],
        [
            ToolCallEvent(0, 0, "call-b", "calculate", '{"expression":"2+2"}', signed_b),
            FinishEvent(0, "tool_calls"),
        ],
        [AnswerDelta("Cold, and 4."), FinishEvent(0, "stop")],
    )
    model = "gemini-2.5-flash"
    user = await database_sync_to_async(make_user)()
    async with Socket(user, stream=fake) as socket:
        await socket.send(**with_tools("Weather in Oslo, then add 2 and 2", model))
        await socket.receive_until(FINAL_DONE)
        conversation = await conversation_of(user)
        for result in ("-3 °C", "4"):
            asking = (await live_turns(user))[-1]
            await socket.send(**results_payload(conversation.pk, asking.pk, model, result_0=result))
            await socket.receive_until(FINAL_DONE)

    last = specs[-1].request_body()["messages"]
    assert [m["role"] for m in last] == ["user", "assistant", "tool", "assistant", "tool"]
    assert last[1]["tool_calls"][0]["extra_content"] == signed_a
    assert last[1]["extra_content"] == message_signature
    assert last[3]["tool_calls"][0]["extra_content"] == signed_b
    assert "extra_content" not in last[3]
    assert [last[2]["content"], last[4]["content"]] == ["-3 °C", "4"]
    assert [last[2]["tool_call_id"], last[4]["tool_call_id"]] == ["call-a", "call-b"]
    roles = [turn.role for turn in await live_turns(user)]
    assert roles == ["user", "assistant", "tool", "assistant", "tool", "assistant"]
