"""Test-only: the emulator remembers the request bodies it received, to compare with the sender.

Off unless EMULATOR_RECORD_REQUESTS is set in the server's environment; nothing a user sends can
switch it on.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from playground.emulator.access import emulator_endpoint
from playground.emulator.errors import GeminiError, json_response
from playground.emulator.json_body import json_read

RECEIVED: deque[dict[str, Any]] = deque(maxlen=100)


def request_record(path: str, raw: bytes) -> None:
    if not settings.EMULATOR_RECORD_REQUESTS:
        return
    try:
        body: Any = json_read(raw)
    except ValueError:
        body = raw.decode("utf-8", errors="replace")
    RECEIVED.append({"path": path, "body": body})


@emulator_endpoint(methods=("GET",))
async def received_requests(request: HttpRequest) -> HttpResponse:
    if not settings.EMULATOR_RECORD_REQUESTS:
        raise GeminiError(404, "Request recording is off (EMULATOR_RECORD_REQUESTS).")
    return json_response({"data": list(RECEIVED)})
