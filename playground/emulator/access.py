"""What every emulator endpoint does first: be switched on, be public, want an API key."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from playground.emulator.errors import GeminiError, api_key_invalid

AsyncView = Callable[..., Awaitable[HttpResponseBase]]


def request_api_key(request: HttpRequest) -> str:
    """The key as the OpenAI SDKs send it; `x-goog-api-key` is what Google's own SDKs send."""
    authorization = request.headers.get("Authorization", "")
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return key.strip()
    return request.headers.get("x-goog-api-key", "").strip()


def key_owner(request: HttpRequest) -> str:
    """Who owns what this request makes or asks for: a digest of its key, never the key.

    Any key is accepted, but every file, batch and video belongs to the key that made it, and
    another key is told such an object does not exist.
    """
    return key_digest(request_api_key(request))


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def emulator_endpoint(*, methods: tuple[str, ...]) -> Callable[[AsyncView], AsyncView]:
    """Wraps an async view: 404 when the emulator is off, Gemini's errors for everything else.

    Any key is accepted, but a missing one fails as Gemini fails, so a client that forgets its
    key finds out against the emulator too; what a key makes only that key reaches (key_owner).
    Sessions and CSRF do not apply: this is an API called by SDKs, not a page.
    """

    def decorate(view: AsyncView) -> AsyncView:
        @wraps(view)
        async def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                if not settings.EMULATOR_ENABLED:
                    raise GeminiError(404, "The emulator is turned off (EMULATOR_ENABLED=false).")
                if request.method not in methods:
                    allowed = ", ".join(methods)
                    raise GeminiError(
                        404, f"Method not found: {request.method} {request.path} ({allowed} only)."
                    )
                if not request_api_key(request):
                    raise api_key_invalid()
                return await view(request, *args, **kwargs)
            except GeminiError as error:
                return error.response()

        # Served by the API chain (playground/handler.py), without the pages' middleware.
        endpoint.api_endpoint = True  # type: ignore[attr-defined]
        return csrf_exempt(login_not_required(endpoint))

    return decorate
