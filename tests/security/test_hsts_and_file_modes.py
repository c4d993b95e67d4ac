"""HSTS sends `includeSubDomains` and `preload` only when each is asked for; the data folder, the
SQLite database and media files are readable by the server's own user only (like the secret key),
whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from playground.environment import ImproperSetting
from tests.security.environment import security_settings_apply, settings_env, settings_read
from tests.servers import REPO

WRITE_EVERYTHING = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS note (text TEXT)")
    cursor.execute("INSERT INTO note VALUES ('written')")
print(default_storage.save("images/ada/picture.png", ContentFile(b"not really a png")))
"""


def run(code: str, env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, umask=0o022,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def hsts(settings, tmp_path: Path) -> Callable[..., str]:
    """The HSTS header a server started with these environment variables sends (a new client
    each time: middleware reads its settings when it is made)."""

    def sent(**env: str) -> str:
        security_settings_apply(settings, settings_env(tmp_path, SECURE_HSTS_SECONDS="31536000",
                                                       **env))  # fmt: skip
        response = Client().get("/accounts/login/", secure=True)
        return response.headers.get("Strict-Transport-Security", "")

    return sent


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_hsts_alone_does_not_claim_sub_domains_or_preload(hsts: Callable[..., str]) -> None:
    assert hsts() == "max-age=31536000"


def test_sub_domains_and_preload_are_separate_settings(hsts: Callable[..., str]) -> None:
    assert hsts(SECURE_HSTS_INCLUDE_SUBDOMAINS="true") == "max-age=31536000; includeSubDomains"
    assert hsts(SECURE_HSTS_PRELOAD="true") == "max-age=31536000; preload"
    both = hsts(SECURE_HSTS_INCLUDE_SUBDOMAINS="yes", SECURE_HSTS_PRELOAD="yes")
    assert both == "max-age=31536000; includeSubDomains; preload"


def test_the_data_folder_database_and_media_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    # Left empty, as `.env.example` leaves them: the defaults inside the data folder.
    env = settings_env(data_dir, PLAYGROUND_MEDIA_ROOT="", PLAYGROUND_STATIC_ROOT="")
    saved = run(WRITE_EVERYTHING, env)

    database = data_dir / "playground.sqlite3"
    media_file = data_dir / "media" / saved
    assert mode(data_dir) == "0o700"
    assert mode(data_dir / "secret_key") == "0o600"
    assert mode(database) == "0o600"
    # SQLite gives its write-ahead log and index the database file's mode.
    assert [mode(p) for p in data_dir.glob("playground.sqlite3-*")] in ([], ["0o600"] * 2)
    assert mode(data_dir / "media") == "0o700"
    assert mode(media_file.parent) == "0o700" and mode(media_file.parent.parent) == "0o700"
    assert mode(media_file) == "0o600"
    assert not (REPO / saved).exists()


def test_a_database_left_world_readable_by_an_older_version_is_made_private(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    (data_dir / "playground.sqlite3").touch(mode=0o644)
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / "playground.sqlite3", 0o644)

    run(WRITE_EVERYTHING, settings_env(data_dir))

    assert mode(data_dir) == "0o700"
    assert mode(data_dir / "playground.sqlite3") == "0o600"


def test_hsts_settings_are_read_from_the_environment_strictly(tmp_path: Path) -> None:
    with pytest.raises(ImproperSetting, match="SECURE_HSTS_PRELOAD='maybe' is not a boolean"):
        settings_read(settings_env(tmp_path, SECURE_HSTS_PRELOAD="maybe"))
