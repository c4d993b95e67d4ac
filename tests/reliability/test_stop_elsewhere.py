"""A reply sent without JavaScript runs in its own request; the page stops it from elsewhere."""

from __future__ import annotations

import re
import threading
import time

from tests.reliability.serving import chat_payload, fault_log, fault_tag
from tests.security.browsing import Visitor
from tests.servers import ServedPlayground

STOP_FORM = re.compile(r'action="/chat/reply/(\d+)/stop/"')


def test_a_reply_sent_without_javascript_is_stopped_from_another_tab(
    served_faulty: ServedPlayground,
) -> None:
    sender = Visitor(served_faulty, served_faulty.login_link())
    other_tab = Visitor(served_faulty, jar=sender.jar)  # the same person, a second tab
    tag = fault_tag()
    fields = chat_payload(f"Count slowly [emulator-fault:slow:{tag}]", model="gemini-2.0-flash")
    fields.pop("action")
    answered: dict[str, object] = {}

    def send() -> None:
        answered["status"], answered["page"] = sender.post("/chat/send/", fields)
        answered["at"] = time.monotonic()

    sending = threading.Thread(target=send, daemon=True)
    sending.start()
    deadline = time.monotonic() + 30
    while not fault_log(served_faulty, tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # a few pieces arrive
    _, listing = other_tab.get("/chat/")
    conversation = re.search(r'href="/chat/(\d+)/"', listing).group(1)
    _, page = other_tab.get(f"/chat/{conversation}/")
    stop = STOP_FORM.search(page)
    assert stop is not None, "a reply still being written elsewhere offers its own Stop"

    stopped_at = time.monotonic()
    other_tab.post(f"/chat/reply/{stop.group(1)}/stop/", {})
    sending.join(timeout=10)

    assert not sending.is_alive(), "the sending request ended when the reply was stopped"
    assert answered["at"] - stopped_at < 3.0
    assert answered["status"] == 200  # redirected back to the conversation
    page = str(answered["page"])
    assert re.search(r'turn-assistant" data-state="cancelled"', page), "kept as stopped"
    assert "w1 w2" in page, "what arrived is kept"
    assert STOP_FORM.search(page) is None
    entry = fault_log(served_faulty, tag)[0]
    assert entry["closed_at"] and entry["ended"] == "client-left", "the upstream was closed"
