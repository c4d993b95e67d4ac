"""Outside debug, a playground served over HTTPS sends its cookies Secure (and the session
cookie HttpOnly, both SameSite=Lax); `check --deploy` is clean without forcing anything."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from tests.servers import REPO

SIGN_IN = """
import json, django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.test import Client
call_command("migrate", verbosity=0)
get_user_model().objects.create_user("ada", password="correct horse battery")
client = Client(HTTP_HOST="playground.example.com")
page = client.get("/accounts/login/", secure=True)
signed_in = client.post("/accounts/login/", {"username": "ada", "password": "correct horse battery",
                        "csrfmiddlewaretoken": page.cookies["csrftoken"].value}, secure=True)
cookies = {**page.cookies, **signed_in.cookies}
print(json.dumps({name: {key: str(morsel[key]) for key in ("secure", "httponly", "samesite")}
                  for name, morsel in cookies.items()}))
"""


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    inherited = {key: value for key, value in os.environ.items()
                 if not key.startswith(("DJANGO_", "PYTEST", "GEMINI_", "SECURE_", "DEBUG",
                                        "HTTPS", "BEHIND_"))}  # fmt: skip
    return {**inherited, "DJANGO_SETTINGS_MODULE": "playground.settings",
            "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "playground.example.com",
            "PLAYGROUND_DATA_DIR": str(tmp_path), "DATABASE_URL": "sqlite://",
            "REDIS_URL": "", **overrides}  # fmt: skip


def cookies_after_signing_in(tmp_path: Path, **env: str) -> dict[str, dict[str, str]]:
    env = production_env(tmp_path, **env)
    result = subprocess.run([sys.executable, "-c", SIGN_IN], cwd=REPO, capture_output=True,
                            text=True, timeout=120, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_behind_an_https_proxy_every_cookie_is_secure(tmp_path: Path) -> None:
    cookies = cookies_after_signing_in(tmp_path, BEHIND_HTTPS_PROXY="true")

    assert set(cookies) == {"sessionid", "csrftoken"}
    assert all(flags["secure"] == "True" for flags in cookies.values())
    assert cookies["sessionid"]["httponly"] == "True"
    assert {flags["samesite"] for flags in cookies.values()} == {"Lax"}


def test_debug_never_sets_secure_cookies(tmp_path: Path) -> None:
    cookies = cookies_after_signing_in(tmp_path, DEBUG="true", HTTPS="true")

    assert {flags["secure"] for flags in cookies.values()} == {""}


def test_the_deploy_check_passes_with_the_https_settings_alone(tmp_path: Path) -> None:
    env = production_env(tmp_path, BEHIND_HTTPS_PROXY="true", SECURE_SSL_REDIRECT="true",
                         SECURE_HSTS_SECONDS="31536000")  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
