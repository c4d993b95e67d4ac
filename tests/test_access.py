"""Every page and socket needs a signed-in user, except the few that must not.

The routes are read from the URL resolver and the socket router at test time, so a route added
later is checked without anyone touching this file.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter

from playground.asgi import application
from playground.routing import websocket_urlpatterns

# Sample values for path converters; a custom converter needs an entry here.
SAMPLES = {
    IntConverter: "1",
    SlugConverter: "sample-slug",
    UUIDConverter: str(uuid.UUID(int=1)),
    PathConverter: "models/sample",
}
DEFAULT_SAMPLE = "sample"
# Candidates tried, in order, for a regex group; the first the group accepts wins.
REGEX_SAMPLES = ("1", "sample", "auth", "models/sample", str(uuid.UUID(int=1)), "x")
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    path: str
    name: str
    namespace: str

    @property
    def full_name(self) -> str:
        return f"{self.namespace}:{self.name}" if self.namespace else self.name


def _group_end(regex: str, start: int) -> int:
    """Index just past the parenthesis that closes the group opened at `start`."""
    depth = 0
    index = start
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError(f"Unbalanced group in {regex!r}")


def _regex_sample(regex: str) -> str:
    """A path the regex accepts: each named group filled with the first sample it takes."""
    regex = regex.removeprefix("^").removesuffix("\\Z").removesuffix("$")
    while match := NAMED_GROUP.search(regex):
        end = _group_end(regex, match.start())
        inner = regex[match.end() : end - 1]
        sample = next(
            (candidate for candidate in REGEX_SAMPLES if re.fullmatch(inner, candidate)), None
        )
        if sample is None:
            raise AssertionError(f"Add a sample for the URL group {match.group(0)} in {regex!r}")
        regex = regex[: match.start()] + sample + regex[end:]
    return re.sub(r"\\(.)", r"\1", regex)


def _pattern_sample(pattern: URLPattern | URLResolver) -> str:
    route = getattr(pattern.pattern, "_route", None)
    if route is None:
        return _regex_sample(pattern.pattern.regex.pattern)
    converters = pattern.pattern.converters

    def fill(match: re.Match[str]) -> str:
        converter = converters[match.group("name")]
        return SAMPLES.get(type(converter), DEFAULT_SAMPLE)

    return ROUTE_PARAMETER.sub(fill, route)


def walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    for pattern in patterns:
        path = prefix + _pattern_sample(pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from walk(pattern.url_patterns, path, inner)
        else:
            yield Route(path="/" + path, name=pattern.name or "", namespace=namespace)


ROUTES = list(walk(get_resolver().url_patterns))
LOGIN_PAGES = {"accounts:login", "admin:login"}
# Pages that must answer strangers: signing in, the one-time link that signs them in, and the
# stylesheets, scripts and icon of those pages.
PUBLIC = LOGIN_PAGES | {"accounts:link", "static", "favicon"}
# Read-only share links open without signing in; tests/sharing opens a real one.
SHARE_READ_ONLY = {"sharing:view", "sharing:present", "sharing:diff", "sharing:file",
                   "sharing:thumbnail", "sharing:export", "decks:shared"}  # fmt: skip


def in_namespace(route: Route, namespace: str) -> bool:
    return route.namespace.split(":")[0] == namespace


PAGE_ROUTES = [
    r
    for r in ROUTES
    if r.full_name not in PUBLIC | SHARE_READ_ONLY and not in_namespace(r, "emulator")
]
SHARE_ROUTES = [r for r in ROUTES if r.full_name in SHARE_READ_ONLY]
EMULATOR_ROUTES = [r for r in ROUTES if in_namespace(r, "emulator")]


def login_paths() -> set[str]:
    return {reverse(name) for name in LOGIN_PAGES}


def test_the_walk_finds_the_playgrounds_pages() -> None:
    names = {route.full_name for route in ROUTES}

    assert {"home", "accounts:login", "accounts:link", "catalog:index", "catalog:model"} <= names


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda route: f"{route.full_name}:{route.path}")
@pytest.mark.django_db
def test_it_sends_strangers_to_sign_in(client: Client, route: Route) -> None:
    match = resolve(route.path)
    first = client.get(route.path)
    followed = client.get(route.path, follow=True)

    assert match.view_name == route.full_name or not route.name
    assert first.status_code == 302, f"GET {route.path} answered {first.status_code}"
    assert followed.request["PATH_INFO"] in login_paths(), (
        f"GET {route.path} ended at {followed.request['PATH_INFO']}"
    )
    assert followed.status_code == 200


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda route: f"{route.full_name}:{route.path}")
@pytest.mark.django_db
def test_it_refuses_posts_from_strangers(route: Route) -> None:
    for client in (Client(), Client(enforce_csrf_checks=True)):
        response = client.post(route.path, {"anything": "1"})

        assert response.status_code in {302, 403}, f"POST {route.path}: {response.status_code}"
        if response.status_code == 302:
            assert response.url.split("?")[0] in login_paths() | {"/admin/"}


@pytest.mark.parametrize("route", SHARE_ROUTES, ids=lambda route: f"{route.full_name}:{route.path}")
@pytest.mark.django_db
def test_share_links_answer_strangers_but_take_no_posts(route: Route) -> None:
    assert {r.full_name for r in SHARE_ROUTES} == SHARE_READ_ONLY
    assert Client().get(route.path).status_code == 404, "an unknown token is simply not found"
    for client in (Client(), Client(enforce_csrf_checks=True)):
        response = client.post(route.path, {"anything": "1"})

        assert response.status_code in {403, 405}, f"POST {route.path}: {response.status_code}"


@pytest.mark.parametrize(
    "route", EMULATOR_ROUTES, ids=lambda route: f"{route.full_name}:{route.path}"
)
@pytest.mark.django_db
def test_the_emulator_wants_a_key_not_a_session(client: Client, route: Route) -> None:
    answers = {method: getattr(client, method)(route.path) for method in ("get", "post")}

    for method, response in answers.items():
        body = json.loads(response.content)
        assert response.status_code in {400, 404}, f"{method.upper()} {route.path}"
        assert isinstance(body, list) and "error" in body[0]
    assert any(
        response.status_code == 400 and b"API_KEY_INVALID" in response.content
        for response in answers.values()
    ), f"{route.path} did not ask for an API key"


@pytest.mark.django_db
def test_the_sign_in_pages_answer_strangers(client: Client) -> None:
    for path in login_paths():
        assert client.get(path).status_code == 200


def socket_paths() -> list[str]:
    return ["/" + _pattern_sample(route) for route in websocket_urlpatterns]


def test_the_playground_has_sockets_to_check() -> None:
    assert socket_paths()


async def connects(path: str, headers: list[tuple[bytes, bytes]]) -> bool:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    try:
        connected, _ = await communicator.connect(timeout=3)
        return connected
    finally:
        await communicator.disconnect()


LOCAL = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
FOREIGN = [(b"origin", b"http://evil.example"), (b"host", b"127.0.0.1")]


@sync_to_async
def session_cookie(django_user_model) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(django_user_model.objects.create_user("ada", password=None))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())


@pytest.mark.django_db(transaction=True)
async def test_every_socket_refuses_a_stranger() -> None:
    for path in socket_paths():
        assert not await connects(path, LOCAL), f"{path} accepted an anonymous socket"


@pytest.mark.django_db(transaction=True)
async def test_every_socket_refuses_a_foreign_origin_even_when_signed_in(
    django_user_model,
) -> None:
    cookie = await session_cookie(django_user_model)

    for path in socket_paths():
        assert not await connects(path, [*FOREIGN, cookie]), f"{path} accepted evil.example"
        assert not await connects(path, FOREIGN), f"{path} accepted evil.example"


@pytest.mark.django_db(transaction=True)
async def test_every_socket_lets_a_signed_in_user_in_from_the_sites_own_origin(
    django_user_model,
) -> None:
    """The refusals above come from the checks, not from a socket that refuses everyone."""
    cookie = await session_cookie(django_user_model)

    for path in socket_paths():
        assert await connects(path, [*LOCAL, cookie]), f"{path} refused its own user"
