"""Every upstream failure becomes one `UpstreamError` carrying what a person needs to read."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import httpx2
import openai

from playground.llm.providers import configured_providers

HTTP_TO_GEMINI_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
RETRY_IN_TEXT = re.compile(r"retry in ([0-9.]+)\s*s", re.IGNORECASE)

REDACTED = "[redacted]"
# A configured key shorter than this would redact ordinary words; real keys are far longer.
SHORTEST_KEY = 8
# Values that are keys by their place or shape, whichever provider they belong to: a header
# quoted back (`Authorization: Bearer ...`, `x-goog-api-key: ...`), a `key=` query parameter,
# a bare bearer token, Google's `AIza...` keys and OpenAI's `sk-...` keys.
KEY_SHAPES = [
    (
        re.compile(
            r"\b((?:proxy-)?authorization|x-goog-api-key|x-api-key|api[-_]?key)"
            r"([\"']?\s*[:=]\s*[\"']?)(?:(?:bearer|basic|token)\s+)?[^\s\"',;&]+",
            re.IGNORECASE,
        ),
        rf"\1\2{REDACTED}",
    ),
    (
        re.compile(r"\b(key|access_token|token|secret)=[^\s&\"',;]+", re.IGNORECASE),
        rf"\1={REDACTED}",
    ),
    (re.compile(r"\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE), rf"\1 {REDACTED}"),
    (re.compile(r"AIza[0-9A-Za-z_-]{35}"), REDACTED),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"), REDACTED),
]


def _configured_keys() -> list[str]:
    """Every key the playground may send, read now (a key file may have been rotated)."""
    keys = set()
    for provider in configured_providers():
        try:
            keys.add(provider.api_key)
        except ValueError:  # an unreadable key file: that provider sends nothing either
            continue
    # Longest first, so a key containing another is removed whole.
    return sorted((key for key in keys if len(key) >= SHORTEST_KEY), key=len, reverse=True)


def secrets_redact(text: str) -> str:
    """`text` without any configured key or key-shaped value, to store and show safely."""
    for key in _configured_keys():
        text = text.replace(key, REDACTED)
    for shape, replacement in KEY_SHAPES:
        text = shape.sub(replacement, text)
    return text


@dataclass(eq=False)
class UpstreamError(Exception):
    """A failed call to the model endpoint.

    `kind` is "http" (the endpoint answered with an error), "timeout", "connection" or
    "malformed" (the endpoint answered something that is not what the API promises).
    """

    message: str
    status_code: int | None = None
    gemini_status: str | None = None
    retry_after: float | None = None
    kind: str = "http"

    def __post_init__(self) -> None:
        # Here, not where errors are shown: every page, log line and stored row gets it.
        self.message = secrets_redact(self.message)
        super().__init__(self.message)

    def __str__(self) -> str:
        if self.status_code is None:
            return self.message
        status = f" {self.gemini_status}" if self.gemini_status else ""
        return f"{self.status_code}{status}: {self.message}"

    @property
    def is_retryable(self) -> bool:
        return self.kind in {"timeout", "connection"} or (self.status_code or 0) in {
            429,
            500,
            502,
            503,
            504,
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "status_code": self.status_code,
            "gemini_status": self.gemini_status,
            "retry_after": self.retry_after,
            "kind": self.kind,
        }


def _error_object(body: object) -> Mapping[str, object] | None:
    """Gemini wraps its error in a one-item list; OpenAI-style servers do not."""
    if isinstance(body, list) and body:
        body = body[0]
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping):
            return inner
    return None


def _retry_delay(error: Mapping[str, object], message: str) -> float | None:
    for detail in error.get("details") or []:
        if isinstance(detail, Mapping) and str(detail.get("@type", "")).endswith("RetryInfo"):
            delay = str(detail.get("retryDelay", "")).rstrip("s")
            try:
                return float(delay)
            except ValueError:
                pass
    if match := RETRY_IN_TEXT.search(message):
        return float(match.group(1))
    return None


def retry_delay_from_body(body: bytes | str) -> float | None:
    """The delay an error body asks for (RetryInfo, or "Please retry in 11.66s."), if any."""
    error = _error_object(_parsed_body(body))
    if error is None:
        return None
    return _retry_delay(error, str(error.get("message") or ""))


def _parsed_body(body: object) -> object:
    """JSON when the body is JSON; otherwise an error object wrapping its readable text."""
    if not isinstance(body, (str, bytes)):
        return body
    try:
        return json.loads(body)
    except ValueError:
        text = body.decode(errors="replace") if isinstance(body, bytes) else body
        text = " ".join(text.split())
        # An HTML error page (a proxy, a load balancer) says nothing a person can use here.
        if text.startswith("<"):
            text = ""
        return {"error": {"message": text[:500]}}


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    if not headers:
        return ""
    return next((value for key, value in headers.items() if key.lower() == name), "")


def error_from_body(
    status_code: int | None, body: object, *, headers: Mapping[str, str] | None = None
) -> UpstreamError:
    """Build the error from an HTTP status and a (parsed or raw) error body.

    `status_code` is None for an error sent inside a stream that had already started.
    """
    error = _error_object(_parsed_body(body)) or {}
    message = str(error.get("message") or "").strip()
    if not message:
        message = (
            f"The endpoint answered HTTP {status_code}."
            if status_code is not None
            else "The endpoint reported an error without a message."
        )
    gemini_status = error.get("status")
    retry_after = _retry_delay(error, message)
    if retry_after is None:
        try:
            retry_after = float(_header(headers, "retry-after"))
        except ValueError:
            retry_after = None
    return UpstreamError(
        message=message,
        status_code=status_code,
        gemini_status=str(gemini_status)
        if gemini_status
        else HTTP_TO_GEMINI_STATUS.get(status_code or 0),
        retry_after=retry_after,
    )


def upstream_error_from(exc: BaseException, *, endpoint: str = "") -> UpstreamError:
    """Map anything the SDK (or the network under it) raises to an `UpstreamError`.

    `endpoint` names the provider in words where several are configured ("Could not reach
    Ollama"): with two at once, which one is down is the first thing to know."""
    where = endpoint or "the model endpoint"
    if isinstance(exc, UpstreamError):
        return exc
    if isinstance(exc, openai.APIStatusError):
        return error_from_body(exc.status_code, exc.body, headers=exc.response.headers)
    if isinstance(exc, (openai.APITimeoutError, httpx2.TimeoutException, TimeoutError)):
        return UpstreamError(
            f"{where[0].upper()}{where[1:]} did not answer in time.", kind="timeout"
        )
    if isinstance(exc, (openai.APIConnectionError, httpx2.TransportError)):
        return UpstreamError(
            f"Could not reach {where} ({exc.__cause__ or exc}).", kind="connection"
        )
    if isinstance(exc, openai.APIResponseValidationError):
        return UpstreamError(
            f"The model endpoint sent a reply that could not be read ({exc}).", kind="malformed"
        )
    if isinstance(exc, openai.APIError) and exc.body is not None:
        # An error event inside a stream that had already started with HTTP 200; Gemini's
        # `code` is the HTTP status it would have answered with.
        code = exc.body.get("code") if isinstance(exc.body, Mapping) else None
        status = code if isinstance(code, int) and not isinstance(code, bool) else None
        return error_from_body(status, {"error": exc.body})
    if isinstance(exc, (ValueError, KeyError, TypeError)):
        return UpstreamError(
            f"The model endpoint sent a reply that could not be read ({exc}).", kind="malformed"
        )
    return UpstreamError(f"The model call failed: {exc}", kind="connection")
