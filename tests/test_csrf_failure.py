"""A form refused by the CSRF check (a page left open too long, a lost session, a post from
another site) gets the site's own page in plain words, or a short notice for htmx; the way back
links only to a page of this site, and Django's reason for the refusal shows only with DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from tests.test_error_pages import assert_site_page_with_a_way_back, page_of

CHAT = "http://testserver/chat/"


@pytest.fixture
def strict(make_user: Callable[[str], AbstractBaseUser]) -> Client:
    """Signed in, in a browser whose forms carry no valid token: the check is on, as on a
    server (Django's test client skips it otherwise)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("ada"))
    return client


def post_without_token(client: Client, **headers: str):
    return client.post(reverse("chat:branch"), {"turn": "1"}, headers=headers)


@pytest.mark.django_db
def test_it_answers_a_form_without_a_token_with_the_sites_page_in_plain_words(
    strict: Client,
) -> None:
    response = post_without_token(strict)

    page = page_of(response)
    assert response.status_code == 403
    assert_site_page_with_a_way_back(page)
    assert "This form was not sent" in page
    assert "Reload the page and send it again; if you were signed out, sign in again." in page
    assert "CSRF verification failed" not in page, "not Django's own page"
    assert " style=" not in page, "nothing the strict CSP would refuse"
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'src="/static/js/playground.js" nonce="{nonce}"' in page, "its scripts still run"
    assert strict.get(reverse("chat:index")).status_code == 200, "still signed in"


@pytest.mark.django_db
def test_a_sign_in_form_sent_without_the_cookie_gets_the_same_page_signed_out() -> None:
    """Cookies blocked, or a sign-in page left open across a restart."""
    response = Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"),
        {"username": "ada", "password": "x" * 12},
        headers={"Referer": "http://testserver/accounts/login/?next=/chat/"},
    )

    page = page_of(response)
    assert response.status_code == 403
    assert "This form was not sent" in page and "accepts cookies from this site" in page
    assert 'href="/accounts/login/?next=/chat/">Reload the page</a>' in page
    assert 'aria-label="Main"' not in page, "no navigation for a stranger"


@pytest.mark.django_db
def test_an_htmx_request_gets_a_short_notice_and_an_event_not_a_whole_page(
    strict: Client,
) -> None:
    response = post_without_token(strict, HX_Request="true", HX_Current_URL=CHAT)

    body = page_of(response)
    assert response.status_code == 403
    assert "csrf-failed" in response.headers["HX-Trigger"]
    assert body.startswith('<div class="csrf-notice" role="alert">')
    assert "<html" not in body and 'class="brand"' not in body
    assert '<a href="/chat/">Reload the page</a> and send it again.' in body


@pytest.mark.django_db
def test_the_page_a_form_came_from_on_this_site_is_the_way_back(strict: Client) -> None:
    response = post_without_token(strict, Referer="http://testserver/compare/7/?pane=2#runs")

    page = page_of(response)
    assert '<a class="button primary" href="/compare/7/?pane=2">Reload the page</a>' in page
    assert 'class="button" href="/">Back to the playground</a>' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/chat/",
        "//evil.example/chat/",
        "http://testserver.evil.example/chat/",
        "javascript:alert(1)",
    ],
)
def test_a_foreign_referer_is_never_a_link(strict: Client, referer: str) -> None:
    for response in (
        post_without_token(strict, Referer=referer),
        post_without_token(strict, HX_Request="true", HX_Current_URL=referer),
    ):
        page = page_of(response)
        assert response.status_code == 403
        assert "evil" not in page and "javascript:" not in page
        assert "Reload the page</a>" not in page, "told in words, not linked"
        assert "Reload the page" in page


@pytest.mark.django_db
def test_the_reason_stays_in_the_log_with_debug_off(
    strict: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = post_without_token(strict)

    page = page_of(response)
    assert "This form was not sent" in page
    assert "CSRF cookie not set" not in page and "DEBUG" not in page
    logged = [record for record in caplog.records if record.name == "django.security.csrf"]
    assert [(record.levelname, record.getMessage()) for record in logged] == [
        ("WARNING", "Forbidden (CSRF cookie not set.): /chat/branch/")
    ], "logged once, by Django"


@pytest.mark.django_db
def test_debug_shows_the_reason_on_the_page(strict: Client, settings) -> None:
    settings.DEBUG = True

    page = page_of(post_without_token(strict))

    assert "This form was not sent" in page
    assert "Shown because DEBUG is on: <code>CSRF cookie not set.</code>" in page
