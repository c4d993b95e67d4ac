"""Error pages in the site's layout, each with a way back, for signed-in people and strangers.

The 403 and 500 pages are reached through views that fail on purpose, added to the site's own
URLs by this module (DEBUG is off in tests, as on a server).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from playground.urls import handler403, handler404, handler500
from playground.urls import urlpatterns as site_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@login_not_required
def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal reason nobody should read")


urlpatterns = [path("fails/", fails), path("refuses/", refuses), *site_urlpatterns]

pytestmark = pytest.mark.urls(__name__)


def page_of(response) -> str:
    return response.content.decode()


def assert_site_page_with_a_way_back(page: str) -> None:
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert 'class="brand"' in page, "the site's header"
    assert 'class="button primary" href="/"' in page, "a way back"


@pytest.mark.django_db
@pytest.mark.parametrize("signed", [True, False], ids=["signed-in", "stranger"])
def test_it_answers_an_unknown_address_with_the_sites_404(make_user, signed: bool) -> None:
    client = Client()
    if signed:
        client.force_login(make_user("ada"))

    response = client.get("/no-such-page/")

    page = page_of(response)
    assert response.status_code == 404
    assert_site_page_with_a_way_back(page)
    assert "Page not found" in page and "There is no page at this address." in page
    assert ('aria-label="Main"' in page) is signed, "navigation only for the signed-in"
    assert ("Sign out" in page) is signed


@pytest.mark.django_db
def test_it_says_in_the_views_words_what_is_missing(signed_in: Client) -> None:
    response = signed_in.get(reverse("chat:conversation", args=[999999]))

    assert response.status_code == 404
    assert "No such conversation." in page_of(response)


@pytest.mark.django_db
def test_it_says_when_a_share_link_was_revoked_or_never_made(client: Client, make_user) -> None:
    from playground.chat.models import Conversation
    from playground.sharing.services import share_link_create, share_link_revoke

    owner = make_user("owner")
    link = share_link_create(
        user=owner, target=Conversation.objects.create(user=owner, title="Demo")
    )
    share_link_revoke(link=link)

    for url in (
        reverse("sharing:view", args=[link.token]),
        reverse("sharing:present", args=[link.token]),
        reverse("sharing:view", args=["never-made"]),
    ):
        response = client.get(url)
        page = page_of(response)
        assert response.status_code == 404, url
        assert "This share link does not open anything" in page, url
        assert "Ask the person who sent it for a new link." in page
        assert 'class="button primary" href="/"' in page


@pytest.mark.django_db
def test_it_answers_a_refusal_with_the_sites_403(signed_in: Client) -> None:
    response = signed_in.get("/refuses/")

    page = page_of(response)
    assert response.status_code == 403
    assert_site_page_with_a_way_back(page)
    assert "You cannot open this page" in page
    assert "internal reason" not in page


def test_a_failing_view_gets_the_sites_500_without_any_context_processor(monkeypatch) -> None:
    """No database here (the test has no `db`), and a context processor that would fail: the
    500 page needs neither."""

    def broken(*args: object) -> object:
        raise AssertionError("the 500 page ran a context processor")

    monkeypatch.setattr("playground.context_processors.active_provider", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/fails/")

    page = page_of(response)
    assert response.status_code == 500
    assert_site_page_with_a_way_back(page)
    assert "Something went wrong on our side" in page
    assert "a bug" not in page and "Traceback" not in page
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'src="/static/js/theme.js" nonce="{nonce}"' in page, "its scripts still run"
