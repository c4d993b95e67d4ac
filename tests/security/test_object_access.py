"""Every object is reachable by its owner only (404 for anyone else, whatever the method), or
read-only through its share link; and every page carries a CSP without inline scripts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.markup import findings, page_nonce
from tests.security.objects import Owned, owned_by, png

pytestmark = pytest.mark.django_db

# Parameters that name no one's object: a model id, a login token, a file of the site; the
# emulator and the admin have their own keys and permissions (tests/test_access.py).
NOT_OBJECTS = {"catalog:model", "accounts:link", "static"}
ELSEWHERE = ("emulator", "admin")
SHARE_READ_ONLY = {"sharing:view", "sharing:present", "sharing:diff", "sharing:file",
                   "sharing:thumbnail", "sharing:export", "decks:shared"}  # fmt: skip
# What only a shared comparison has (the share here is a conversation's: tests/sharing).
COMPARISON_ONLY = {"sharing:diff", "sharing:export"}


@dataclass(frozen=True)
class Named:
    name: str
    parameters: tuple[str, ...]


def named_routes(patterns: list | None = None, namespace: str = "", outer=()) -> Iterator[Named]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        parameters = (*outer, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from named_routes(pattern.url_patterns, inner, parameters)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield Named(":".join(filter(None, [namespace, pattern.name])), parameters)


ROUTES = [r for r in named_routes() if not r.name.startswith(ELSEWHERE)]
OBJECT_ROUTES = [r for r in ROUTES if r.parameters and r.name not in NOT_OBJECTS]


@pytest.fixture
def people(django_user_model, emulator_url, settings, tmp_path) -> tuple[Owned, Client, Client]:
    settings.MEDIA_ROOT = tmp_path / "media"
    owner = django_user_model.objects.create_user("owner", password=None)
    other = django_user_model.objects.create_user("other", password=None)
    owner_client, other_client = Client(), Client()
    owner_client.force_login(owner)
    other_client.force_login(other)
    return owned_by(owner, owner_client), owner_client, other_client


def url_of(route: Named, objects: Owned) -> str:
    kwargs = objects.kwargs(route.name)
    assert kwargs is not None, f"name the object {route.name} reaches in tests/security/objects.py"
    return reverse(route.name, kwargs={name: kwargs[name] for name in route.parameters})


def test_someone_else_gets_404_for_every_object_url(people) -> None:
    objects, owner, other = people
    checked = []
    for route in OBJECT_ROUTES:
        if route.name in SHARE_READ_ONLY:
            continue
        url = url_of(route, objects)
        mine = owner.get(url).status_code
        assert mine in {200, 206, 405}, f"the owner cannot reach {url} ({mine})"
        answers = {other.get(url).status_code, other.post(url, {"confirm": "1"}).status_code}
        assert 404 in answers and answers <= {404, 405}, f"{url} answered {answers}"
        checked.append(route.name.partition(":")[0])
    assert set(checked) >= {"chat", "compare", "media", "images", "video", "batches",
                            "embeddings", "sharing", "decks"}  # fmt: skip
    assert len(checked) >= 25
    assert objects.conversation.turns.count() == 2, "nothing was deleted or changed"
    assert objects.batch.__class__.objects.filter(pk=objects.batch.pk, status="completed").exists()


def test_a_share_link_opens_read_only_for_anyone(people, django_user_model) -> None:
    objects, owner, other = people
    shared = [r for r in OBJECT_ROUTES if r.name in SHARE_READ_ONLY - COMPARISON_ONLY]
    for client in (other, Client()):
        for route in shared:
            url = url_of(route, objects)
            assert client.get(url).status_code == 200, url
            assert client.post(url, {"anything": "1"}).status_code in {403, 405}
    # A file of the owner's that the shared conversation was not sent with stays private.
    owner.post("/media/upload/", {"file": ContentFile(png((20, 20)), name="not-shared.png")})
    private = objects.attachment.__class__.objects.exclude(pk=objects.attachment.pk).get()
    url = reverse("sharing:file", kwargs={"token": objects.share.token, "pk": private.pk})
    assert Client().get(url).status_code == 404
    revoke = reverse("sharing:revoke", kwargs={"pk": objects.share.pk})
    assert other.post(revoke).status_code == 404
    objects.share.refresh_from_db()
    assert objects.share.revoked_at is None


def test_every_page_has_a_csp_without_inline_scripts_and_nothing_inline(people) -> None:
    objects, owner, _ = people
    pages = 0
    for route in ROUTES:
        if route.name in NOT_OBJECTS:
            continue
        url = url_of(route, objects) if route.parameters else reverse(route.name)
        response = owner.get(url)
        csp = response.get("Content-Security-Policy", "")
        # Files are served with their own, stricter policy: default-src 'none', sandboxed.
        scripts = re.search(r"script-src ([^;]*)", csp) or re.search(r"default-src ([^;]*)", csp)
        assert scripts, f"{url} has no policy for scripts"
        assert "unsafe-inline" not in scripts.group(1) and "unsafe-eval" not in csp, url
        html = response.get("Content-Type", "").startswith("text/html")
        if html and response.status_code == 200:
            assert findings(response.content.decode(), nonce=page_nonce(csp)) == [], url
            pages += 1
    assert pages >= 20
