"""Django's ASGI handler, with a sync view's whole request served in one thread hop.

Under ASGI Django builds one middleware chain for async: every sync-only step of it (each
middleware's `process_request` and `process_response`, then the view) is its own
`sync_to_async` call, a trip from the event loop to the request's thread and back. Ten
middleware made twenty trips for a redirect: 6 ms of CPU for `/favicon.ico`, more than the
chat page's queries (issue 15). Most views here are sync, so this handler keeps a second, sync
chain and serves a request whose view is sync in it with one trip; a request whose view is
async (the emulator's streams, the no-script send, image and video generation) goes through
Django's async chain, unchanged, so it never holds a thread while it awaits.

The chains are the same middleware in the same order. The sync one runs in a kept thread, as
under WSGI: Django gives every ASGI request a new thread, and so a new database connection
(connections belong to threads), 1.2 ms for each page before its first query. A kept thread
keeps its connection, closed or checked at each request's start and end as Django does at
`request_started` and `request_finished` (`CONN_MAX_AGE`, `CONN_HEALTH_CHECKS`). Views that wait
on a provider (the no-script compare run, embeddings) hold their thread meanwhile, so when every
kept thread is busy a request gets a thread of its own, as before, instead of queueing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponseBase
from django.middleware.common import CommonMiddleware
from django.middleware.gzip import GZipMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import Resolver404, get_resolver

SYNC, ASYNC, API = "sync", "async", "api"

AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


def view_kind(request: HttpRequest) -> str:
    """How the view this request resolves to is served: `API` for an endpoint SDKs call
    (marked `api_endpoint`), else `ASYNC` or `SYNC`. A path that resolves to no view is
    answered by the sync chain (CommonMiddleware's redirect, or the 404 page)."""
    try:
        match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
    except Resolver404:
        return SYNC
    if getattr(match.func, "api_endpoint", False):
        return API
    return ASYNC if iscoroutinefunction(match.func) else SYNC


class OnTheLoop:
    """One of Django's middleware whose hooks only compute (no database, no file, no wait),
    called on the event loop: Django's async chain would make each hook a thread trip."""

    def __init__(self, middleware: type[Any], get_response: AsyncGetResponse) -> None:
        hooks = middleware(get_response)
        self.process_request = getattr(hooks, "process_request", None)
        self.process_response = getattr(hooks, "process_response", None)
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.process_request(request) if self.process_request else None
        response = response or await self.get_response(request)
        if self.process_response:
            response = self.process_response(request, response)
        return response


class ApiHandler(BaseHandler):
    """The chain for endpoints SDKs call (the emulator's): an API, not a page, so none of
    sessions, CSRF, sign-in, messages, htmx or page headers; the same Host check (a rebound
    name gets a 400), Content-Length, security headers and compression as every response, on
    the event loop (7 ms of CPU a request through Django's chain, 20 thread trips, for the
    emulator's every reply)."""

    # Innermost first, in the order settings.MIDDLEWARE gives them.
    api_middleware = (CommonMiddleware, GZipMiddleware, SecurityMiddleware)

    def load_middleware(self, is_async: bool = True) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        handler = convert_exception_to_response(self._get_response_async)
        for middleware in self.api_middleware:
            handler = convert_exception_to_response(OnTheLoop(middleware, handler))
        self._middleware_chain = handler


class PlaygroundASGIHandler(ASGIHandler):
    # Enough for the pages a worker serves at once; each kept thread keeps one connection.
    kept_threads = 8

    def __init__(self) -> None:
        super().__init__()
        self.sync_handler = BaseHandler()
        self.sync_handler.load_middleware(is_async=False)
        self.api_handler = ApiHandler()
        self.api_handler.load_middleware()
        self.threads = ThreadPoolExecutor(self.kept_threads, thread_name_prefix="page")
        self.threads_busy = 0  # only read and written on the event loop

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        kind = view_kind(request)
        if kind == API:
            return await self.api_handler.get_response_async(request)
        if kind == ASYNC:
            return await super().get_response_async(request)
        if self.threads_busy >= self.kept_threads:
            return await sync_to_async(self.sync_handler.get_response)(request)
        self.threads_busy += 1
        try:
            return await sync_to_async(
                self.response_in_kept_thread, thread_sensitive=False, executor=self.threads
            )(request)
        finally:
            self.threads_busy -= 1

    def response_in_kept_thread(self, request: HttpRequest) -> HttpResponseBase:
        close_old_connections()
        try:
            return self.sync_handler.get_response(request)
        finally:
            close_old_connections()


def get_asgi_application() -> PlaygroundASGIHandler:
    """As `django.core.asgi.get_asgi_application`, with this handler."""
    import django

    django.setup(set_prefix=False)
    return PlaygroundASGIHandler()
