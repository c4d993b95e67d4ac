from __future__ import annotations

import re
import time

import pytest
from channels.db import database_sync_to_async

from playground.chat import consumers
from playground.chat.models import Conversation, Turn, TurnState
from playground.chat.selectors import shown_turns
from tests.chat.conftest import Socket, send_payload
from tests.fake_streams import fake_stream
from tests.live_page import shown_text

pytestmark = pytest.mark.django_db(transaction=True)


async def no_model_list() -> list[str]:
    """A provider whose model list is unavailable: any model id is passed on."""
    return []


def final(state: str) -> str:
    """The marker of an assistant turn swapped in with its final state."""
    return f'turn-assistant" data-state="{state}" hx-swap-oob="outerHTML"'


ANSWER_SPAN = re.compile(r'<span id="t\d+-c0-answer" hx-swap-oob="beforeend">(.*?)</span>', re.S)


@database_sync_to_async
def turns_of(user) -> list[Turn]:
    return list(Turn.objects.filter(conversation__user=user).order_by("pk"))


async def test_it_streams_a_reply_and_stores_both_turns(make_user, emulator_url):
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload("What is the capital of France?"))
        started = await socket.receive_until('id="transcript"')
        assert "What is the capital of France?" in started
        assert 'data-state="streaming"' in started
        # The new conversation joins the sidebar without re-sending the whole list.
        assert '<ul id="conversation-list" hx-swap-oob="afterbegin">' in started
        assert "What is the capital of France?" in started.split("afterbegin")[1]
        # ...and its share and deck controls appear without a reload.
        tools = started.split('<div id="conversation-tools" hx-swap-oob="true">')[1]
        assert "Create share link" in tools and "Add to deck" in tools
        finished = await socket.receive_until('hx-swap-oob="outerHTML"')
        assert 'data-state="done"' in finished
        assert "TTFT" in finished

    user_turn, reply = await turns_of(user)
    assert user_turn.role == "user" and user_turn.content == "What is the capital of France?"
    assert reply.state == TurnState.DONE
    assert "capital of France" in reply.content
    assert reply.candidates[0]["thoughts"], "a thinking model asked for thoughts shows them"
    assert reply.prompt_tokens and reply.completion_tokens and reply.thinking_tokens
    assert reply.ttft_ms is not None and reply.total_ms >= reply.ttft_ms
    # The deltas streamed as escaped fragments before the final swap.
    assert any('hx-swap-oob="beforeend"' in frame for frame in socket.frames)


async def test_it_escapes_streamed_text(make_user, monkeypatch):
    user = await database_sync_to_async(make_user)()
    closed: list[float] = []
    async with Socket(
        user, stream=lambda spec: fake_stream(["<script>x</script>"], 0, closed)
    ) as socket:
        await socket.send(**send_payload("hi"))
        await socket.receive_until(final("done"))
    streamed = [f for f in socket.frames if 'hx-swap-oob="beforeend"' in f and "answer" in f]
    assert any("&lt;script&gt;x&lt;/script&gt;" in frame for frame in streamed)
    assert not any("<script>" in frame for frame in socket.frames)


async def test_stop_closes_the_stream_within_a_second_and_keeps_the_partial_reply(
    make_user, monkeypatch
):
    user = await database_sync_to_async(make_user)()
    closed: list[float] = []
    pieces = [f"word{i} " for i in range(400)]
    async with Socket(user, stream=lambda spec: fake_stream(pieces, 0.01, closed)) as socket:
        await socket.send(**send_payload("Tell me a long story"))
        await socket.receive_until("word3")
        stopped_at = time.monotonic()
        await socket.send(action="stop")
        await socket.receive_until(final("cancelled"), timeout=2)
        assert closed and closed[0] - stopped_at < 1.0
    reply = (await turns_of(user))[-1]
    assert reply.state == TurnState.CANCELLED
    assert reply.content.startswith("word0 word1 word2 word3")
    assert len(reply.content) < len("".join(pieces))


async def test_closing_the_tab_closes_the_stream_and_keeps_the_partial_reply(
    make_user, monkeypatch
):
    user = await database_sync_to_async(make_user)()
    closed: list[float] = []
    pieces = [f"word{i} " for i in range(400)]
    socket = await Socket(user, stream=lambda spec: fake_stream(pieces, 0.01, closed)).__aenter__()
    await socket.send(**send_payload("Tell me a long story"))
    await socket.receive_until("word3")
    gone_at = time.monotonic()
    await socket.communicator.disconnect()
    assert closed and closed[0] - gone_at < 1.0
    reply = (await turns_of(user))[-1]
    assert reply.state == TurnState.CANCELLED
    assert "word3" in reply.content


async def test_it_stops_a_real_upstream_stream(make_user, slow_emulator_url):
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload("Write a long essay about rivers", include_thoughts=""))
        await socket.receive_until('-c0-answer" hx-swap-oob="beforeend"')
        stopped_at = time.monotonic()
        await socket.send(action="stop")
        await socket.receive_until(final("cancelled"), timeout=2)
        assert time.monotonic() - stopped_at < 1.0
    reply = (await turns_of(user))[-1]
    assert reply.state == TurnState.CANCELLED and reply.content


async def test_it_shows_the_upstream_error_with_gemini_wording(
    make_user, emulator_url, monkeypatch
):
    user = await database_sync_to_async(make_user)()

    async with Socket(user, model_ids=no_model_list) as socket:
        await socket.send(**send_payload("hello", model="gemini-0-nonexistent"))
        finished = await socket.receive_until(final("error"))
    assert "404" in finished and "NOT_FOUND" in finished
    assert "models/gemini-0-nonexistent is not found" in finished
    assert "Retry" in finished
    user_turn, reply = await turns_of(user)
    assert user_turn.content == "hello"
    assert reply.state == TurnState.ERROR and reply.error["status_code"] == 404


async def test_a_second_prompt_while_streaming_is_refused_and_the_first_goes_on(
    make_user, monkeypatch
):
    user = await database_sync_to_async(make_user)()
    closed: list[float] = []
    pieces = [f"w{i} " for i in range(40)]
    async with Socket(user, stream=lambda spec: fake_stream(pieces, 0.01, closed)) as socket:
        await socket.send(**send_payload("first"))
        await socket.receive_until("w1 ")
        await socket.send(**send_payload("second"))
        notice = await socket.receive_until('id="chat-notice"')
        assert "still being generated" in notice
        await socket.receive_until(final("done"))
    turns = await turns_of(user)
    assert [t.content for t in turns if t.role == "user"] == ["first"]
    assert turns[-1].content == "".join(pieces)


async def test_an_invalid_composer_is_answered_with_errors_and_stores_nothing(
    make_user, emulator_url
):
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload("   ", temperature="7"))
        errors = await socket.receive_until('id="composer-errors"')
        assert 'hx-swap-oob="true"' in errors
        await socket.send(text_data="not json")  # unreadable frames get a notice, not a crash
    assert "Type a message first." in errors
    assert "less than or equal to 2" in errors
    assert await turns_of(user) == []


async def test_each_problem_gets_one_message_with_its_label_in_words(make_user, emulator_url):
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload("x" * 200_000))
        too_long = await socket.receive_until('id="composer-errors"')
        await socket.send(
            **send_payload("Plan it", response_format="json_schema", response_schema="{")
        )
        bad_schema = await socket.receive_until('id="composer-errors"')
    assert too_long.count("<li>") == 1, "a prompt refused for its length is not also missing"
    assert "<strong>Message</strong>: At most 100,000 characters" in too_long
    assert "200,000" in too_long and "Type a message first" not in too_long
    assert "<strong>JSON Schema</strong>:" in bad_schema and "Response_schema" not in bad_schema


async def test_a_send_that_starts_clears_an_earlier_upload_error(make_user, emulator_url):
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload("Hello"))
        started = await socket.receive_until('id="transcript"')
        await socket.receive_until(final("done"))
    assert '<div id="attachment-errors" hx-swap-oob="true"' in started


async def test_it_coalesces_deltas_and_writes_nothing_per_chunk(make_user, monkeypatch):
    from django.db.backends import utils

    user = await database_sync_to_async(make_user)()
    writes: list[str] = []
    original = utils.CursorWrapper.execute

    def counting_execute(self, sql, params=None):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(sql)
        return original(self, sql, params)

    monkeypatch.setattr(utils.CursorWrapper, "execute", counting_execute)
    closed: list[float] = []
    pieces = [f"t{i} " for i in range(300)]
    async with Socket(user, stream=lambda spec: fake_stream(pieces, 0.001, closed)) as socket:
        await socket.send(**send_payload("count"))
        await socket.receive_until(final("done"), timeout=15)
    delta_frames = [f for f in socket.frames if 'hx-swap-oob="beforeend"' in f and "answer" in f]
    assert 1 < len(delta_frames) < 300 / 5, "about 30 ms of deltas go out as one frame"
    target = re.search(r'id="(t\d+-c0-answer)"', delta_frames[0]).group(1)
    shown = shown_text(socket.frames, target)
    assert shown == "".join(pieces).strip() + "\n", "every chunk arrives once and in order"
    assert len(writes) < 10, f"{len(writes)} writes for 300 chunks"
    (_, reply) = await turns_of(user)
    answers = [f for f in reply.timeline["fragments"] if f[0] == "answer"]
    assert "".join(text for _, _, text in answers) == "".join(pieces), "the timeline is whole"
    assert len(answers) < 300 / 5, "chunks arriving within 30 ms are one fragment"
    assert [f[1] for f in answers] == sorted(f[1] for f in answers)


async def test_regenerate_keeps_the_old_reply_as_another_version(make_user, emulator_url):
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        await socket.send(**send_payload("first question"))
        await socket.receive_until(final("done"))
        conversation = await database_sync_to_async(Conversation.objects.get)(user=user)
        reply = (await turns_of(user))[-1]
        await socket.send(
            action="regenerate",
            conversation=str(conversation.pk),
            turn=str(reply.pk),  # the reply clicked
            model="gemini-2.5-flash",
            n="1",
            stream="on",
            temperature="1.5",
        )
        await socket.receive_until('hx-swap-oob="innerHTML"')
        await socket.receive_until(final("done"))
    turns = await turns_of(user)
    assert [t.role for t in turns] == ["user", "assistant", "assistant"]
    assert not turns[1].is_chosen and turns[1].content
    assert turns[2].is_chosen and turns[2].state == TurnState.DONE
    assert turns[2].parent_id == turns[1].parent_id == turns[0].pk
    finished = [frame for frame in socket.frames if final("done") in frame][-1]
    assert '<span class="branch-count">2 / 2</span>' in finished


async def test_editing_an_earlier_turn_resends_from_there_and_keeps_the_rest(
    make_user, emulator_url
):
    user = await database_sync_to_async(make_user)()
    async with Socket(user) as socket:
        for prompt in ("one", "two"):
            await socket.send(**send_payload(prompt, conversation=await _conversation_id(user)))
            await socket.receive_until(final("done"))
        first_user_turn = (await turns_of(user))[0]
        await socket.send(
            action="edit",
            conversation=await _conversation_id(user),
            turn=str(first_user_turn.pk),
            prompt="one, edited",
            model="gemini-2.5-flash",
            n="1",
            stream="on",
        )
        await socket.receive_until(final("done"))
    turns = await turns_of(user)
    conversation = await database_sync_to_async(Conversation.objects.get)(user=user)
    live = await database_sync_to_async(shown_turns)(conversation)
    others = [t for t in turns if t not in live]
    assert [t.content for t in live if t.role == "user"] == ["one, edited"]
    assert [t.content for t in others if t.role == "user"] == ["one", "two"]
    assert "Turn 1" in live[-1].content or "one, edited" in live[-1].content


async def test_one_user_cannot_send_into_anothers_conversation(make_user, emulator_url):
    alice = await database_sync_to_async(make_user)("alice")
    mallory = await database_sync_to_async(make_user)("mallory")
    async with Socket(alice) as socket:
        await socket.send(**send_payload("secret plans"))
        await socket.receive_until(final("done"))
    conversation_id = await _conversation_id(alice)
    async with Socket(mallory) as socket:
        await socket.send(**send_payload("let me in", conversation=conversation_id))
        notice = await socket.receive_until('id="chat-notice"')
    assert "does not exist" in notice
    assert await turns_of(mallory) == []
    assert len(await turns_of(alice)) == 2


async def test_an_anonymous_socket_is_refused(db):
    from channels.testing import WebsocketCommunicator
    from django.contrib.auth.models import AnonymousUser

    communicator = WebsocketCommunicator(consumers.PlayConsumer.as_asgi(), "/ws/play/")
    communicator.scope["user"] = AnonymousUser()
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()


async def _conversation_id(user) -> str:
    conversation = await database_sync_to_async(Conversation.objects.filter(user=user).first)()
    return str(conversation.pk) if conversation else ""


async def test_every_run_ends_in_exactly_one_final_state(make_user, monkeypatch):
    """A stop arriving as the stream ends must not leave the turn streaming or set it twice."""
    user = await database_sync_to_async(make_user)()
    closed: list[float] = []
    async with Socket(
        user, stream=lambda spec: fake_stream(["a", "b"], 0, closed), model_ids=no_model_list
    ) as socket:
        await socket.send(**send_payload("quick"))
        await socket.send(action="stop")
        await socket.drain(quiet=1.0)
    reply = (await turns_of(user))[-1]
    assert reply.state in {TurnState.DONE, TurnState.CANCELLED}
    finals = [f for f in socket.frames if 'hx-swap-oob="outerHTML"' in f]
    assert len(finals) == 1
