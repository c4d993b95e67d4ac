"""Typed readers for deploy-time settings: each one fails loudly on a value it cannot use."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ImproperSetting(ValueError):
    """A deploy-time value that cannot be used; the message names the variable."""


def envstr(name: str, default: str = "", env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return env.get(name, default)


def envbool(name: str, default: bool, env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    if name not in env:
        return default
    word = env[name].strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperSetting(f"{name}={env[name]!r} is not a boolean (use true/false, 1/0, yes/no).")


def envint(
    name: str,
    default: int,
    env: Mapping[str, str] | None = None,
    *,
    minimum: int | None = None,
) -> int:
    def whole(text: str) -> int:
        return int(text.strip().replace("_", ""))

    return _envnumber(name, default, env, minimum, parse=whole, kind="a whole number")


def envfloat(
    name: str,
    default: float,
    env: Mapping[str, str] | None = None,
    *,
    minimum: float | None = None,
) -> float:
    return _envnumber(name, default, env, minimum, parse=float, kind="a number")


def _envnumber[N: (int, float)](
    name: str,
    default: N,
    env: Mapping[str, str] | None,
    minimum: N | None,
    *,
    parse: Callable[[str], N],
    kind: str,
) -> N:
    env = os.environ if env is None else env
    if not env.get(name, "").strip():
        return default
    try:
        value = parse(env[name])
    except ValueError:
        raise ImproperSetting(f"{name}={env[name]!r} is not {kind}.") from None
    if minimum is not None and value < minimum:
        raise ImproperSetting(f"{name}={value} is below the minimum of {minimum}.")
    return value


def envlist(name: str, default: list[str], env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    if name not in env:
        return list(default)
    return [item.strip() for item in env[name].split(",") if item.strip()]


def envsecret(name: str, default: str = "", env: Mapping[str, str] | None = None) -> str:
    """Read NAME, or the file named by NAME_FILE (as Docker and systemd secrets provide)."""
    env = os.environ if env is None else env
    file_name = env.get(f"{name}_FILE", "").strip()
    if env.get(name) and file_name:
        raise ImproperSetting(f"Set {name} or {name}_FILE, not both.")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperSetting(f"{name}_FILE={file_name!r} cannot be read: {exc}.") from None
    return env.get(name, default).strip()


def kept_secret(name: str, *, path: Path, env: Mapping[str, str] | None = None) -> str:
    """NAME (or NAME_FILE) when given; else a random value made once into `path`, readable by
    this user only, so it survives restarts without anyone choosing it."""
    given = envsecret(name, env=env)
    if given:
        return given
    try:
        # Created and restricted in one step: the value is never readable by others.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w", encoding="utf-8") as made:
            made.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


def database_from_url(url: str, *, data_dir: Path) -> dict[str, object]:
    """Django DATABASES entry for sqlite:///path, sqlite:// (data folder) or postgres://."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        name = Path(path) if path else data_dir / "playground.sqlite3"
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                # WAL lets the page read while a stream's turn is being saved.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        if not parts.path.strip("/"):
            raise ImproperSetting("DATABASE_URL for PostgreSQL needs a database name.")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperSetting(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported (use sqlite:// or postgres://)."
    )


def private_folder(path: Path) -> Path:
    """Create `path` readable by this user only, and take the others' access away if it exists.

    The data folder holds the secret key, the database and people's files: other accounts on the
    machine have no business listing it, whatever the umask of the shell that started us.
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_sqlite_file(path: Path) -> None:
    """Make an SQLite database file (before SQLite would create it 0644) readable by us only.

    SQLite gives its `-wal` and `-shm` files the database file's mode when it creates them;
    ones left by an older run are tightened here too.
    """
    if str(path) == ":memory:" or str(path).startswith("file:") or not path.parent.is_dir():
        return
    path.touch(mode=0o600, exist_ok=True)
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            file.chmod(0o600)
