"""Two server processes on one PostgreSQL and one Redis: what one starts, the other follows and
finishes; links and conversations open on both; a socket on either works; limits are shared."""

from __future__ import annotations

import asyncio
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.compare.conftest import run_payload
from tests.reliability.serving import PageSocket, chat_payload
from tests.scaleout.engines import Postgres, Redis
from tests.security.browsing import Visitor
from tests.servers import REPO, ServedPlayground

JOB = re.compile(r'id="job-(\d+)-status"')


@pytest.fixture(scope="module")
def workers(
    postgres: Postgres, redis: Redis, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServedPlayground, ServedPlayground]]:
    shared = {
        "DATABASE_URL": postgres.url, "REDIS_URL": redis.url(0),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "EMULATOR_API_KEY": secrets.token_urlsafe(50),
        "PLAYGROUND_MEDIA_ROOT": str(tmp_path_factory.mktemp("shared-media")),
        "EMULATOR_VIDEO_SECONDS": "1", "LIMIT_LOGIN_FAILURES": "2",
    }  # fmt: skip
    first = ServedPlayground(data_dir=tmp_path_factory.mktemp("worker-a"), env=shared).start()
    second = ServedPlayground(data_dir=tmp_path_factory.mktemp("worker-b"), env=shared)
    try:
        second.start()
        yield first, second
    finally:
        second.stop()
        first.stop()


@pytest.fixture(scope="module")
def person(workers: tuple[ServedPlayground, ServedPlayground]) -> Visitor:
    """Signed in through the first worker; the session lives in PostgreSQL."""
    return Visitor(workers[0], workers[0].login_link())


def on(server: ServedPlayground, person: Visitor) -> Visitor:
    """The same person (the same cookies) visiting another worker."""
    return Visitor(server, jar=person.jar)


async def chat_on(server: ServedPlayground, cookie: str, prompt: str) -> str:
    async with PageSocket(server, cookie) as socket:
        await socket.send(**chat_payload(prompt))
        await socket.receive_until('data-state="done" hx-swap-oob="outerHTML"', timeout=30)
        return socket.conversation_id()


def test_a_conversation_and_its_share_link_open_on_both_workers(workers, person) -> None:
    first, second = workers
    conversation = asyncio.run(chat_on(first, person.cookie_header, "Name three rivers"))

    status, page = on(second, person).get(f"/chat/{conversation}/")
    shared, control = on(second, person).post("/share/new/", {"kind": "conversation",
                                                               "target": conversation})  # fmt: skip
    link = re.search(r"/share/([\w-]{20,})/", control)

    assert status == 200 and "Name three rivers" in page and 'data-state="done"' in page
    assert shared == 200 and link is not None
    for server in workers:
        status, read = Visitor(server).get(f"/share/{link.group(1)}/")
        assert status == 200 and "Name three rivers" in read


def test_a_socket_on_either_worker_streams(workers, person) -> None:
    cookie = person.cookie_header

    async def compare_on(server: ServedPlayground) -> str:
        async with PageSocket(server, cookie, "/ws/compare/") as socket:
            panes = [{"model": "gemini-2.5-flash", "seed": 1}, {"model": "gemini-2.0-flash"}]
            await socket.send(**run_payload("Why is the sky blue?", panes))
            return await socket.receive_until("<h2>Summary</h2>", timeout=30)

    for server in workers:
        assert asyncio.run(chat_on(server, cookie, "Hello"))
        assert "Time to first token" in asyncio.run(compare_on(server))


def test_a_video_started_on_one_worker_is_followed_and_finished_on_the_other(
    workers, person
) -> None:
    first, second = workers
    starter = on(first, person)
    starter.get("/video/")
    status, page = starter.post("/video/", {"model": "veo-3.1-generate-preview",
                                            "prompt": "A waterfall at dawn"})  # fmt: skip
    job = JOB.findall(page)
    assert status == 200 and job, "the job was created"

    follower = on(second, person)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, card = follower.get(f"/video/{job[0]}/status/")
        if 'data-status="completed"' in card:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"the job never finished: {card}")

    for server in workers:
        status, _ = on(server, person).get(f"/video/{job[0]}/file/")
        assert status == 200, "the file is in the shared media storage"


def test_sign_in_limits_are_shared_through_redis(workers) -> None:
    first, second = workers
    for _ in range(2):
        guest = Visitor(first)
        guest.get("/accounts/login/")
        guest.post("/accounts/login/", {"username": "mallory", "password": "guess"})

    other = Visitor(second)
    other.get("/accounts/login/")
    _, page = other.post("/accounts/login/", {"username": "mallory", "password": "guess"})

    assert "Too many failed sign-in attempts" in page


CHECK_ENGINES = """
import asyncio, django
django.setup()
from django.core.cache import caches
from django.db import connection
from channels.layers import get_channel_layer
layer = get_channel_layer()
asyncio.run(layer.send("scaleout-check", {"type": "hello", "text": "from another process"}))
print(connection.vendor, type(caches["default"]).__name__, type(layer).__name__)
"""


def test_the_urls_switch_the_engines_and_nothing_else(postgres: Postgres, redis: Redis) -> None:
    from channels_redis.core import RedisChannelLayer

    env = {**ServedPlayground(data_dir=REPO / ".playground-data").process_env(),
           "DATABASE_URL": postgres.url, "REDIS_URL": redis.url(2)}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", CHECK_ENGINES], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    received = asyncio.run(RedisChannelLayer(hosts=[redis.url(2)]).receive("scaleout-check"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgresql", "RedisCache", "RedisChannelLayer"]
    assert received == {"type": "hello", "text": "from another process"}
