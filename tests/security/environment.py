"""The settings module read afresh from a given environment, in this process.

Running `playground/settings.py` again with another environment gives exactly the values a
server started with that environment would have, without paying for a new Python process
(seconds each: Django and every app load). The values that decide cookies and HTTPS headers can
then be laid over the test's settings, and a request shows what such a server sends.
"""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any
from unittest import mock

from tests.servers import REPO

SETTINGS_FILE = REPO / "playground" / "settings.py"
# What decides the cookies' flags and the HTTPS headers (and which host may ask).
SECURITY_SETTINGS = ("DEBUG", "ALLOWED_HOSTS", "SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_",
                     "SILENCED_SYSTEM_CHECKS", "SECRET_KEY")  # fmt: skip
# Variables a developer's shell may set that would change what is read.
UNINHERITED = ("DJANGO_", "PYTEST", "GEMINI_", "SECURE_", "DEBUG", "HTTPS", "BEHIND_",
               "PLAYGROUND_", "DATABASE_URL")  # fmt: skip


def settings_env(data_dir: Path, **overrides: str) -> dict[str, str]:
    """This machine's environment without the playground's variables, and `overrides`."""
    inherited = {key: value for key, value in os.environ.items()
                 if not key.startswith(UNINHERITED)}  # fmt: skip
    return {**inherited, "DJANGO_SETTINGS_MODULE": "playground.settings",
            "PLAYGROUND_DATA_DIR": str(data_dir), "DATABASE_URL": "sqlite://", "REDIS_URL": "",
            "ALLOWED_HOSTS": "testserver", **overrides}  # fmt: skip


def settings_read(env: dict[str, str]) -> dict[str, Any]:
    """Every setting the module defines when the process environment is exactly `env`."""
    with mock.patch.dict(os.environ, env, clear=True):
        values = runpy.run_path(str(SETTINGS_FILE))
    return {name: value for name, value in values.items() if name.isupper()}


def security_settings_apply(settings: Any, env: dict[str, str]) -> None:
    """Lays the security settings read from `env` over pytest-django's `settings` fixture."""
    for name, value in settings_read(env).items():
        if name.startswith(SECURITY_SETTINGS):
            setattr(settings, name, value)
