"""Chat through every upstream fault: the prompt and what arrived are kept, the turn ends in
one final state with a message and a Retry, and the socket takes the next prompt."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async

from playground.chat.models import Turn
from tests.chat.conftest import Socket, send_payload
from tests.live_page import shown_html
from tests.reliability.faults import FAILURES, REFUSED, Fault
from tests.servers import ServedPlayground, free_port

pytestmark = pytest.mark.django_db(transaction=True)

PROMPT = "Tell me about rivers"


def final_swap(turn_id: int) -> re.Pattern[str]:
    return re.compile(rf'<article id="turn-{turn_id}" [^>]*hx-swap-oob="outerHTML"')


@database_sync_to_async
def turns_of(user) -> list[Turn]:
    return list(Turn.objects.filter(conversation__user=user).order_by("pk"))


async def next_prompt_works(socket: Socket, user, conversation_id: int) -> None:
    await socket.send(**send_payload("And what about lakes?", conversation=str(conversation_id)))
    await socket.receive_until('data-state="done" hx-swap-oob="outerHTML"', timeout=20)
    *_, question, answer = await turns_of(user)
    assert question.content == "And what about lakes?" and answer.state == "done"
    assert answer.conversation_id == conversation_id


def assert_kept_and_shown(socket: Socket, prompt: str, turns: list[Turn], fault: Fault) -> None:
    question, reply = turns
    assert question.role == "user" and question.content == prompt, "the prompt is kept"
    assert reply.state == fault.state
    swaps = [frame for frame in socket.frames if final_swap(reply.pk).search(frame)]
    assert len(swaps) == 1, "exactly one final state reached the page"
    assert fault.says in swaps[0] and "Retry" in swaps[0]
    assert reply.candidates[0]["html"] == shown_html(socket.frames, f"t{reply.pk}-c0-answer")
    assert bool(reply.content) == fault.keeps_text, "what arrived is kept"


@pytest.mark.parametrize("fault", FAILURES, ids=str)
async def test_it_keeps_the_chat_usable_through_each_upstream_fault(
    make_user, faulty_upstream: ServedPlayground, settings, fault: Fault
) -> None:
    settings.UPSTREAM_TIMEOUT_SECONDS = 1.0  # the stall outlasts it
    user = await database_sync_to_async(make_user)()
    prompt = f"{PROMPT} [emulator-fault:{fault.kind}]"
    async with Socket(user) as socket:
        await socket.send(**send_payload(prompt))
        await socket.receive_until(f'data-state="{fault.state}" hx-swap-oob="outerHTML"', 20)
        await socket.drain()
        turns = await turns_of(user)
        assert_kept_and_shown(socket, prompt, turns, fault)

        await next_prompt_works(socket, user, turns[0].conversation_id)


async def test_it_says_when_the_endpoint_refuses_connections_and_goes_on_after(
    make_user, faulty_upstream: ServedPlayground, settings
) -> None:
    settings.EMULATOR_BASE_URL = f"http://127.0.0.1:{free_port()}/emulator/v1beta/openai/"
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload(PROMPT))
        await socket.receive_until('data-state="error" hx-swap-oob="outerHTML"', 20)
        await socket.drain()
        turns = await turns_of(user)
        assert_kept_and_shown(socket, PROMPT, turns, Fault("refused", "error", REFUSED, False))

        settings.EMULATOR_BASE_URL = faulty_upstream.emulator_url  # the endpoint is back
        await next_prompt_works(socket, user, turns[0].conversation_id)


async def test_a_megabyte_in_one_chunk_arrives_whole(
    make_user, faulty_upstream: ServedPlayground
) -> None:
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload(f"{PROMPT} [emulator-fault:big-chunk]"))
        await socket.receive_until('data-state="done" hx-swap-oob="outerHTML"', 30)
        _, reply = await turns_of(user)

        assert len(reply.content) >= 1_000_000
        assert reply.candidates[0]["html"] == shown_html(socket.frames, f"t{reply.pk}-c0-answer")
        assert reply.candidates[0]["html"].count("<p>") >= 1
        await next_prompt_works(socket, user, reply.conversation_id)


async def test_a_slow_thinking_phase_longer_than_the_timeout_streams_and_finishes(
    make_user, faulty_upstream: ServedPlayground, settings
) -> None:
    settings.UPSTREAM_TIMEOUT_SECONDS = 1.0  # the whole thinking takes 2.4 s, each gap 0.3 s
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload("Why? [emulator-fault:slow-thinking]"))
        await socket.receive_until('data-state="done" hx-swap-oob="outerHTML"', 30)
        _, reply = await turns_of(user)

    thoughts = [f for f in socket.frames if f'id="t{reply.pk}-c0-thoughts" hx-swap' in f]
    answer = f'id="t{reply.pk}-c0-answer" hx-swap'
    first_answer = next(i for i, f in enumerate(socket.frames) if answer in f)
    assert len(thoughts) >= 4, "the thoughts were shown as they came"
    assert socket.frames.index(thoughts[3]) < first_answer
    assert "Still thinking, step 8." in reply.candidates[0]["thoughts"] and reply.content
