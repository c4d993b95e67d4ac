"""What the SDK's own retries do when the endpoint asks to wait: the one retry loop, tuned.

The openai SDK is the only place that retries a model call (`UPSTREAM_MAX_RETRIES`; nothing in
the playground loops around it, and the google-genai Files client used by batches retries
nothing). It retries 408, 409, 429, 5xx and broken connections with an exponential backoff
(0.5 s, 1 s, ... at most 8 s), and it waits what a `Retry-After` header asks, up to two minutes.

Two things in that would go wrong with Gemini:
- Gemini names its delay in the body (`google.rpc.RetryInfo.retryDelay`, "Please retry in
  37.2s."), which the SDK does not read: it would retry after half a second, be refused again,
  and use up its retries for nothing.
- A long delay, in a header or in the body, would be waited out in silence while the page shows
  nothing but "generating".

So before the SDK decides, this response hook reads the delay from the header or the body:
- longer than `UPSTREAM_RETRY_MAX_WAIT_SECONDS`: `x-should-retry: false` (a header the SDK
  obeys), and the error reaches the page at once, saying how long the endpoint asks to wait;
- otherwise the delay is written into `retry-after`, so the SDK waits what was asked.
A retryable error without any delay keeps the SDK's backoff.
"""

from __future__ import annotations

import httpx2
from django.conf import settings

from playground.llm.errors import retry_delay_from_body

RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
# Error bodies are small; a large one is not read here (the SDK reads it later anyway).
BODY_LIMIT_BYTES = 64 * 1024


def _header_delay(headers: httpx2.Headers) -> float | None:
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            return float(headers[name]) / divisor
        except (KeyError, ValueError):
            continue
    return None


async def _body_delay(response: httpx2.Response) -> float | None:
    try:
        size = int(response.headers.get("content-length", "0"))
    except ValueError:
        size = 0
    if size > BODY_LIMIT_BYTES:
        return None
    try:
        body = await response.aread()
    except httpx2.HTTPError:
        return None
    return retry_delay_from_body(body)


async def retry_wait_hook(response: httpx2.Response) -> None:
    """An httpx2 response hook: see the module's docstring."""
    if response.status_code not in RETRYABLE_STATUSES:
        return
    delay = _header_delay(response.headers)
    if delay is None:
        delay = await _body_delay(response)
    if delay is None:
        return
    if delay > settings.UPSTREAM_RETRY_MAX_WAIT_SECONDS:
        response.headers["x-should-retry"] = "false"
    else:
        response.headers["retry-after"] = f"{max(delay, 0.0):g}"
