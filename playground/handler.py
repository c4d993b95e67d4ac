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

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, get_resolver


def view_is_async(request: HttpRequest) -> bool:
    """Whether the view this request resolves to is async; a path that resolves to none is
    answered by the sync chain (CommonMiddleware's redirect, or the 404 page)."""
    try:
        match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)


class PlaygroundASGIHandler(ASGIHandler):
    # Enough for the pages a worker serves at once; each kept thread keeps one connection.
    kept_threads = 8

    def __init__(self) -> None:
        super().__init__()
        self.sync_handler = BaseHandler()
        self.sync_handler.load_middleware(is_async=False)
        self.threads = ThreadPoolExecutor(self.kept_threads, thread_name_prefix="page")
        self.threads_busy = 0  # only read and written on the event loop

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        if view_is_async(request):
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
