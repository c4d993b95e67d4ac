"""Outside debug, a playground served over HTTPS sends its cookies Secure (and the session
cookie HttpOnly, both SameSite=Lax); `check --deploy` is clean without forcing anything.

Each test reads the settings module afresh from a production-like environment (see
`environment`) and signs in through the real login page with those settings in force."""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.security.environment import security_settings_apply, settings_env

HOST = "playground.example.com"
PASSWORD = "correct horse battery"


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return settings_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS=HOST,
                        **overrides)  # fmt: skip


@pytest.fixture
def cookies_after_signing_in(
    settings, tmp_path: Path, django_user_model
) -> Callable[..., dict[str, dict[str, str]]]:
    def signed_in(**env: str) -> dict[str, dict[str, str]]:
        security_settings_apply(settings, production_env(tmp_path, **env))
        django_user_model.objects.create_user("ada", password=PASSWORD)
        client = Client(HTTP_HOST=HOST, HTTP_ORIGIN=f"https://{HOST}", enforce_csrf_checks=True)
        page = client.get("/accounts/login/", secure=True)
        form = {"username": "ada", "password": PASSWORD,
                "csrfmiddlewaretoken": page.cookies["csrftoken"].value}  # fmt: skip
        signed_in = client.post("/accounts/login/", form, secure=True)
        assert signed_in.status_code == 302, "signed in"
        cookies = {**page.cookies, **signed_in.cookies}
        return {name: {key: str(morsel[key]) for key in ("secure", "httponly", "samesite")}
                for name, morsel in cookies.items()}  # fmt: skip

    return signed_in


@pytest.mark.django_db
def test_behind_an_https_proxy_every_cookie_is_secure(cookies_after_signing_in) -> None:
    cookies = cookies_after_signing_in(BEHIND_HTTPS_PROXY="true")

    assert set(cookies) == {"sessionid", "csrftoken"}
    assert all(flags["secure"] == "True" for flags in cookies.values())
    assert cookies["sessionid"]["httponly"] == "True"
    assert {flags["samesite"] for flags in cookies.values()} == {"Lax"}


@pytest.mark.django_db
def test_debug_never_sets_secure_cookies(cookies_after_signing_in) -> None:
    cookies = cookies_after_signing_in(DEBUG="true", HTTPS="true")

    assert set(cookies) == {"sessionid", "csrftoken"}
    assert {flags["secure"] for flags in cookies.values()} == {""}


def deploy_check(settings, env: dict[str, str]) -> str:
    """`manage.py check --deploy --fail-level WARNING` with the settings `env` makes."""
    security_settings_apply(settings, env)
    out = io.StringIO()
    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_deploy_check_passes_with_the_https_settings_alone(settings, tmp_path: Path) -> None:
    env = production_env(tmp_path, BEHIND_HTTPS_PROXY="true", SECURE_SSL_REDIRECT="true",
                         SECURE_HSTS_SECONDS="31536000")  # fmt: skip

    assert "System check identified no issues" in deploy_check(settings, env)


@pytest.mark.django_db
def test_a_production_like_configuration_passes_the_deploy_check(settings, tmp_path) -> None:
    env = production_env(tmp_path, DEBUG="false", SECURE_COOKIES="true",
                         SECURE_SSL_REDIRECT="true", SECURE_HSTS_SECONDS="31536000",
                         BEHIND_HTTPS_PROXY="true")  # fmt: skip

    assert "System check identified no issues" in deploy_check(settings, env)


@pytest.mark.django_db
def test_the_deploy_check_fails_on_plain_http_settings(settings, tmp_path: Path) -> None:
    """The check above can fail: left at their defaults, HTTPS settings are reported."""
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError, match=r"security\.W00[48]"):
        deploy_check(settings, production_env(tmp_path))
