"""The API key never appears in a page, fragment, socket frame, log line, export, error
message or stored row: a whole session runs against a known fake key and everything it
produced is searched for it."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from django.core.management import call_command

from playground.llm.client import client_for
from playground.llm.providers import active_provider
from tests.chat.conftest import Socket, send_payload
from tests.compare.conftest import run_payload
from tests.reliability.serving import PageSocket, chat_payload, served_with_faults
from tests.security.browsing import Visitor
from tests.servers import ServedPlayground

KEY = "AIzaSyFAKE-canary-7c1e0b9d2f4a6e8b0c1d"
# A printed prefix or suffix of the key would leak it too.
PIECES = [KEY, KEY[:16], KEY[-16:]]
TURN_ID = re.compile(r'<article id="turn-(\d+)" class="turn turn-assistant')


def leaks(texts: list[str]) -> list[str]:
    return [text[:200] for text in texts if any(piece in text for piece in PIECES)]


@pytest.fixture(scope="module")
def gemini_at_the_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    """A playground whose Gemini provider (with the fake key) is its own emulator."""
    server = served_with_faults(tmp_path_factory.mktemp("keyed"))
    server.env.update(GEMINI_API_KEY=KEY, GEMINI_BASE_URL=server.emulator_url,
                      EMULATOR_ENABLED="true", LOG_LEVEL="DEBUG")  # fmt: skip
    server.start()
    yield server
    server.stop()


async def socket_session(server: ServedPlayground, cookie: str) -> list[str]:
    frames: list[str] = []
    async with PageSocket(server, cookie) as chat:
        for prompt in ("What is a river?", "Again [emulator-fault:500]",
                       "Wait [emulator-fault:429-retry-37]"):  # fmt: skip
            await chat.send(**chat_payload(prompt, conversation=chat.conversation_id()))
            await chat.receive_until('hx-swap-oob="outerHTML"', timeout=30)
        await chat.send(**chat_payload("Hi", model="no-such-model-anywhere"))
        await chat.receive_until('id="composer-errors"', timeout=30)
        frames += chat.frames
    async with PageSocket(server, cookie, "/ws/compare/") as compare:
        panes = [{"model": "gemini-2.5-flash", "seed": 1}, {"model": "gemini-2.0-flash"}]
        await compare.send(**run_payload("Why is the sky blue?", panes))
        await compare.receive_until("<h2>Summary</h2>", timeout=30)
        frames += compare.frames
    return frames


def http_session(server: ServedPlayground, visitor: Visitor, frames: list[str]) -> None:
    for path in ("/chat/", "/compare/", "/models/", "/models/gemini-2.5-flash/", "/images/",
                 "/video/", "/embeddings/", "/batches/", "/media/", "/compare/1/"):  # fmt: skip
        visitor.get(path)
    for turn in sorted(set(TURN_ID.findall("".join(frames)))):
        visitor.get(f"/chat/reply/{turn}/code/")  # Get code: Python, JavaScript, curl
    conversation = re.search(r'id="conversation-id" value="(\d+)"', "".join(frames))
    assert conversation is not None
    visitor.get(f"/chat/{conversation.group(1)}/")
    status, _ = visitor.post("/share/new/", {"kind": "conversation",
                                             "target": conversation.group(1)})  # fmt: skip
    token = re.search(r"/share/([\w-]{20,})/", "\n".join(visitor.seen))
    assert status == 200 and token is not None
    Visitor(server).get(f"/share/{token.group(1)}/")
    visitor.post("/embeddings/", {"model": "gemini-embedding-001", "texts": "river\nlake"})
    run = re.search(r"/embeddings/(\d+)/", "\n".join(visitor.seen))
    assert run is not None, "the embeddings run was made"
    for export in ("", "vectors.json", "vectors.csv"):
        visitor.get(f"/embeddings/{run.group(1)}/{export}")


def test_a_whole_session_never_shows_the_key(gemini_at_the_emulator: ServedPlayground) -> None:
    server = gemini_at_the_emulator
    # The link the server printed when it started: minting another costs a process.
    visitor = Visitor(server, server.first_login_link)
    frames = asyncio.run(socket_session(server, visitor.cookie_header))
    http_session(server, visitor, frames)
    # Every row of every table, as SQL (the server's own database, read directly).
    with closing(sqlite3.connect(server.data_dir / "playground.sqlite3")) as database:
        stored = "\n".join(database.iterdump())

    seen = "\n".join(visitor.seen)
    assert "Gemini" in seen and server.emulator_url in seen, "the keyed provider was used"
    assert "GEMINI_API_KEY" in seen, "exported code names the variable instead"
    assert "500 INTERNAL" in "".join(frames) and "retry in 37.0 s" in "".join(frames)
    assert leaks(frames) == [] and leaks(visitor.seen) == []
    assert leaks(server.output) == [], "the server's log"
    assert leaks([stored]) == [], "the database"
    assert any("DEBUG" in line for line in server.output), "the log was at its most talkative"


@pytest.mark.django_db(transaction=True)
async def test_nothing_in_this_process_logs_or_sends_the_key(
    gemini_at_the_emulator: ServedPlayground, settings, caplog, django_user_model
) -> None:
    settings.GEMINI_API_KEY = KEY
    settings.GEMINI_BASE_URL = gemini_at_the_emulator.emulator_url
    settings.EMULATOR_ENABLED = False
    settings.UPSTREAM_MAX_RETRIES = 1
    caplog.set_level(logging.DEBUG)
    for name in ("openai", "httpx2", "httpcore2", "httpcore"):  # restored after the test
        caplog.set_level(logging.DEBUG, logger=name)
    user = await database_sync_to_async(django_user_model.objects.create_user)("ada")
    async with Socket(user) as socket:
        for prompt in ("Tell me about rivers", "Now fail [emulator-fault:reset]",
                       "And again [emulator-fault:503]"):  # fmt: skip
            await socket.send(**send_payload(prompt))
            await socket.receive_until('hx-swap-oob="outerHTML"', timeout=30)
    stored = io.StringIO()
    await database_sync_to_async(call_command)("dumpdata", stdout=stored)

    assert client_for(active_provider()).api_key == KEY, "the key was the one sent"
    assert leaks(socket.frames) == [] and leaks([stored.getvalue()]) == []
    assert caplog.records and leaks([record.getMessage() for record in caplog.records]) == []
    assert leaks([caplog.text]) == []


def test_the_served_process_wrote_no_key_to_its_data_folder(
    gemini_at_the_emulator: ServedPlayground,
) -> None:
    files = [p for p in Path(gemini_at_the_emulator.data_dir).rglob("*") if p.is_file()]
    assert files
    holding = [p.name for p in files if any(x.encode() in p.read_bytes() for x in PIECES)]
    assert holding == [], "database, WAL, media and secret files"
