from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.request
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from playground.accounts.models import LoginLink
from playground.accounts.services import login_link_create, login_link_redeem
from tests.servers import ServedPlayground

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(django_user_model) -> AbstractBaseUser:
    return django_user_model.objects.create_superuser("owner", email="", password=None)


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_a_link_signs_in_and_lands_on_the_home_page(owner: AbstractBaseUser) -> None:
    client = Client()

    response = client.get(login_link_create(user=owner))

    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_user_id(client) == str(owner.pk)


def test_a_link_works_only_once(owner: AbstractBaseUser) -> None:
    link = login_link_create(user=owner)
    Client().get(link)
    stranger = Client()

    response = stranger.get(link)

    assert response.status_code == 410
    assert "This login link no longer works" in response.text
    assert signed_in_user_id(stranger) is None


def test_a_made_up_link_does_not_sign_in(owner: AbstractBaseUser) -> None:
    client = Client()

    response = client.get("/accounts/link/not-a-real-token/")

    assert response.status_code == 410
    assert signed_in_user_id(client) is None


def test_a_link_expires_after_15_minutes(
    owner: AbstractBaseUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = token_of(login_link_create(user=owner))
    stale = token_of(login_link_create(user=owner))
    now = timezone.now()

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=14, seconds=50))
    assert login_link_redeem(token=fresh) == owner
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=15, seconds=10))
    assert login_link_redeem(token=stale) is None


def test_an_expired_link_shows_the_no_longer_works_page(owner: AbstractBaseUser) -> None:
    link = login_link_create(user=owner)
    LoginLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client().get(link)

    assert response.status_code == 410
    assert "no longer works" in response.text


def test_a_link_for_a_deactivated_user_does_not_sign_in(owner: AbstractBaseUser) -> None:
    link = login_link_create(user=owner)
    owner.is_active = False
    owner.save()
    client = Client()

    response = client.get(link)

    assert response.status_code == 410
    assert signed_in_user_id(client) is None


def test_only_a_hash_of_the_token_is_stored(owner: AbstractBaseUser) -> None:
    token = token_of(login_link_create(user=owner))

    stored = LoginLink.objects.get()

    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_a_link_cannot_be_redeemed_with_a_post(owner: AbstractBaseUser) -> None:
    link = login_link_create(user=owner)

    response = Client().post(link)

    assert response.status_code == 405
    assert login_link_redeem(token=token_of(link)) == owner


def test_the_command_prints_a_working_link_for_the_owner(owner: AbstractBaseUser) -> None:
    out = StringIO()

    call_command("login_link", "--base-url", "https://play.example/", stdout=out)
    printed = out.getvalue().strip()
    client = Client()
    client.get(printed.removeprefix("https://play.example"))

    assert printed.startswith("https://play.example/accounts/link/")
    assert signed_in_user_id(client) == str(owner.pk)


def test_the_command_prints_a_link_for_a_named_user(owner: AbstractBaseUser, django_user_model):
    ada = django_user_model.objects.create_user("ada", password=None)
    out = StringIO()

    call_command("login_link", "ada", stdout=out)
    client = Client()
    client.get(out.getvalue().strip().removeprefix("http://127.0.0.1:8000"))

    assert signed_in_user_id(client) == str(ada.pk)


def test_the_command_refuses_an_unknown_or_inactive_user(
    owner: AbstractBaseUser, django_user_model
) -> None:
    django_user_model.objects.create_user("gone", password=None, is_active=False)

    with pytest.raises(CommandError, match="No active user 'nobody'"):
        call_command("login_link", "nobody", stdout=StringIO())
    with pytest.raises(CommandError, match="No active user 'gone'"):
        call_command("login_link", "gone", stdout=StringIO())


def fetch(opener: urllib.request.OpenerDirector, url: str) -> tuple[int, str, str]:
    """Status, final address and body, after following redirects like a browser."""
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.url, error.read().decode()


def test_serve_prints_a_link_that_works_once(served: ServedPlayground) -> None:
    link = served.first_login_link
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    another_browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    first = fetch(browser, link)
    second = fetch(another_browser, link)

    assert link.startswith(f"{served.base_url}/accounts/link/")
    assert any("Open this link to sign in (one use, 15 minutes)" in line for line in served.output)
    assert first[0] == 200
    assert first[1].startswith(f"{served.base_url}/chat/")
    assert "Sign out" in first[2]
    assert second[0] == 410
    assert "This login link no longer works" in second[2]
