from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.environment import (
    ImproperSetting,
    database_from_url,
    envbool,
    envfloat,
    envint,
    envlist,
    envsecret,
    envstr,
)

REPO = Path(__file__).resolve().parent.parent


def test_it_reads_a_string_or_falls_back_to_the_default() -> None:
    assert envstr("NAME", "fallback", {"NAME": "value"}) == "value"
    assert envstr("NAME", "fallback", {}) == "fallback"


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "yes", "on", " True "])
def test_it_reads_true_words(word: str) -> None:
    assert envbool("DEBUG", False, {"DEBUG": word}) is True


@pytest.mark.parametrize("word", ["0", "false", "No", "off", ""])
def test_it_reads_false_words(word: str) -> None:
    assert envbool("DEBUG", True, {"DEBUG": word}) is False


def test_it_uses_the_boolean_default_when_unset() -> None:
    assert envbool("DEBUG", True, {}) is True
    assert envbool("DEBUG", False, {}) is False


def test_it_fails_loudly_on_a_word_that_is_not_a_boolean() -> None:
    with pytest.raises(ImproperSetting, match=r"DEBUG='maybe' is not a boolean"):
        envbool("DEBUG", False, {"DEBUG": "maybe"})


def test_it_reads_whole_numbers_with_underscores() -> None:
    assert envint("PORT", 1, {"PORT": " 8_000 "}) == 8000
    assert envint("PORT", 1, {"PORT": "  "}) == 1
    assert envint("PORT", 1, {}) == 1


def test_it_fails_loudly_on_a_number_that_is_not_whole() -> None:
    with pytest.raises(ImproperSetting, match=r"PORT='8.5' is not a whole number"):
        envint("PORT", 1, {"PORT": "8.5"})


def test_it_fails_loudly_below_the_minimum() -> None:
    with pytest.raises(ImproperSetting, match="LOGIN_LINK_MINUTES=0 is below the minimum of 1"):
        envint("LOGIN_LINK_MINUTES", 15, {"LOGIN_LINK_MINUTES": "0"}, minimum=1)
    with pytest.raises(ImproperSetting, match=r"TIMEOUT=0\.01 is below the minimum of 0\.1"):
        envfloat("TIMEOUT", 1.0, {"TIMEOUT": "0.01"}, minimum=0.1)


def test_it_reads_floats() -> None:
    assert envfloat("TIMEOUT", 1.0, {"TIMEOUT": "2.5"}) == 2.5
    assert envfloat("TIMEOUT", 1.0, {}) == 1.0
    with pytest.raises(ImproperSetting, match=r"TIMEOUT='soon' is not a number"):
        envfloat("TIMEOUT", 1.0, {"TIMEOUT": "soon"})


def test_it_reads_comma_separated_lists() -> None:
    assert envlist("HOSTS", ["x"], {"HOSTS": " a.example, b.example ,,"}) == [
        "a.example",
        "b.example",
    ]
    assert envlist("HOSTS", ["x"], {"HOSTS": ""}) == []
    assert envlist("HOSTS", ["x"], {}) == ["x"]


def test_it_returns_a_copy_of_the_default_list() -> None:
    default = ["x"]
    envlist("HOSTS", default, {}).append("y")

    assert default == ["x"]


def test_it_reads_a_secret_from_the_environment() -> None:
    assert envsecret("GEMINI_API_KEY", env={"GEMINI_API_KEY": " key \n"}) == "key"
    assert envsecret("GEMINI_API_KEY", env={}) == ""


def test_it_reads_a_secret_from_the_file_named_by_NAME_FILE(tmp_path: Path) -> None:
    secret = tmp_path / "gemini_key"
    secret.write_text("from-a-file\n", encoding="utf-8")

    assert envsecret("GEMINI_API_KEY", env={"GEMINI_API_KEY_FILE": str(secret)}) == "from-a-file"


def test_it_fails_loudly_when_the_secret_file_cannot_be_read(tmp_path: Path) -> None:
    missing = tmp_path / "nope"

    with pytest.raises(ImproperSetting, match=r"GEMINI_API_KEY_FILE=.*nope.* cannot be read"):
        envsecret("GEMINI_API_KEY", env={"GEMINI_API_KEY_FILE": str(missing)})


def test_it_refuses_a_secret_given_twice(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("a", encoding="utf-8")

    with pytest.raises(ImproperSetting, match="Set SECRET_KEY or SECRET_KEY_FILE, not both"):
        envsecret("SECRET_KEY", env={"SECRET_KEY": "b", "SECRET_KEY_FILE": str(secret)})


def test_it_puts_sqlite_in_the_data_folder_by_default(tmp_path: Path) -> None:
    database = database_from_url("sqlite://", data_dir=tmp_path)

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == tmp_path / "playground.sqlite3"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_it_reads_an_absolute_sqlite_path(tmp_path: Path) -> None:
    database = database_from_url("sqlite:////srv/play/db.sqlite3", data_dir=tmp_path)

    assert database["NAME"] == Path("/srv/play/db.sqlite3")


def test_it_reads_a_postgres_url_with_escaped_parts(tmp_path: Path) -> None:
    database = database_from_url(
        "postgres://play%40er:p%2Fss@db.internal:6543/play?sslmode=require", data_dir=tmp_path
    )

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "play",
        "play@er",
        "p/ss",
    )
    assert (database["HOST"], database["PORT"]) == ("db.internal", "6543")
    assert database["OPTIONS"] == {"sslmode": "require"}


def test_it_fails_loudly_on_a_postgres_url_without_a_database(tmp_path: Path) -> None:
    with pytest.raises(ImproperSetting, match="needs a database name"):
        database_from_url("postgres://user@db/", data_dir=tmp_path)


def test_it_fails_loudly_on_an_unknown_database_scheme(tmp_path: Path) -> None:
    with pytest.raises(ImproperSetting, match="scheme 'mysql' is not supported"):
        database_from_url("mysql://db/play", data_dir=tmp_path)


def test_it_reads_the_real_environment_when_none_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLAYGROUND_TEST_FLAG", "yes")

    assert envbool("PLAYGROUND_TEST_FLAG", False) is True


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "GEMINI_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "playground.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_site_refuses_to_start_with_a_setting_it_cannot_use(tmp_path: Path) -> None:
    result = run_check(PLAYGROUND_DATA_DIR=str(tmp_path), DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_the_site_refuses_to_start_with_an_unreadable_key_file(tmp_path: Path) -> None:
    result = run_check(
        PLAYGROUND_DATA_DIR=str(tmp_path), GEMINI_API_KEY_FILE=str(tmp_path / "missing")
    )

    assert result.returncode != 0
    assert "GEMINI_API_KEY_FILE=" in result.stderr
    assert "cannot be read" in result.stderr
