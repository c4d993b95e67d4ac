"""A server killed mid-reply (kill -9): after a restart the reply shows as interrupted, never as
generating; and a worker that starts while another streams leaves that stream alone."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.request import Request, urlopen

from tests.compare.conftest import run_payload
from tests.reliability.serving import PageSocket, chat_payload, served_with_faults
from tests.servers import ServedPlayground

SLOW = "[emulator-fault:slow]"
COMPARE_ID = re.compile(r'id="comparison-id" hidden data-url="/compare/(\d+)/"')


def page(server: ServedPlayground, path: str, cookie: str) -> str:
    with urlopen(Request(server.base_url + path, headers={"Cookie": cookie}), timeout=30) as r:
        return r.read().decode()


def states(html: str) -> list[str]:
    return re.findall(r'class="(?:turn turn-assistant|pane card)" data-state="(\w+)"', html)


async def stream_then_kill(first: ServedPlayground, data: Path, cookie: str) -> tuple[str, str]:
    """Replies streaming on the first worker; a second worker starts; the first is killed."""
    chat = await PageSocket(first, cookie).__aenter__()
    compare = await PageSocket(first, cookie, "/ws/compare/").__aenter__()
    await chat.send(**chat_payload(f"Count slowly {SLOW}", model="gemini-2.0-flash"))
    panes = [{"model": "gemini-2.0-flash", "seed": seed} for seed in (1, 2)]
    await compare.send(**run_payload(f"Count slowly {SLOW}", panes))
    await chat.receive_until("w3 ", timeout=20)
    await compare.receive_until("w3 ", timeout=20)

    second = await asyncio.to_thread(served_with_faults(data).start)
    # The second worker's start-up sweep left the first worker's replies alone.
    assert not any("Marked" in line for line in second.output), second.output
    await chat.receive_until("w40 ", timeout=20)

    first.process.kill()  # kill -9: no chance to save anything
    first.process.wait()
    conversation = chat.conversation_id()
    comparison = next(m.group(1) for f in compare.frames if (m := COMPARE_ID.search(f)))
    for socket in (chat, compare):
        socket.socket.transport.abort()
    second.stop()
    return conversation, comparison


def test_replies_cut_off_by_a_killed_worker_show_as_interrupted(tmp_path: Path) -> None:
    data = tmp_path / "site"
    first = served_with_faults(data).start()
    try:
        cookie = PageSocket.signed_in_cookie(first)
        conversation, comparison = asyncio.run(stream_then_kill(first, data, cookie))
    finally:
        first.stop()

    restarted = served_with_faults(data).start()
    try:
        chat = page(restarted, f"/chat/{conversation}/", cookie)
        compare = page(restarted, f"/compare/{comparison}/", cookie)
    finally:
        restarted.stop()

    assert any("Marked 3 reply(ies)" in line for line in restarted.output), restarted.output
    assert states(chat) == ["interrupted"] and states(compare) == ["interrupted"] * 2
    assert "The server stopped while this reply was being generated." in chat
    assert "Generating" not in chat and "Retry" in chat
    assert compare.count("The server stopped while this pane was being generated.") == 2
    assert "Count slowly" in chat, "the prompt is kept"
