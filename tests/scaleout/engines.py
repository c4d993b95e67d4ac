"""Real PostgreSQL and Redis servers on loopback, in throwaway folders, for the scale-out tests.

Debian's `postgresql` and `redis-server` packages provide the binaries (the test run's
preflight, tests/preflight.py, installs them). PostgreSQL refuses to run as root, so as root the
cluster runs as the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.servers import free_port

INSTALL = "apt-get install postgresql redis-server (as root, `uv run pytest` does it)"


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError(f"PostgreSQL is not installed: {INSTALL}")
    return Path(initdb).parent


def _wait_for_port(port: int, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port}")


@dataclass
class Postgres:
    folder: Path
    port: int
    user: str | None  # run as this user (when we are root)

    @property
    def url(self) -> str:
        return self.url_of("playground")

    def url_of(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self._run(str(postgres_bin() / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "postgres", name)  # fmt: skip
        return self.url_of(name)

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    @classmethod
    def start(cls) -> Postgres:
        binaries = postgres_bin()
        folder = Path(tempfile.mkdtemp(prefix="playground-pg-"))
        user = "postgres" if os.geteuid() == 0 else None
        if user:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server = cls(folder, free_port(), user)
        data = folder / "data"
        server._run(str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync")  # fmt: skip
        options = (
            f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        server._run(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                    str(folder / "log"), "-w", "start")  # fmt: skip
        _wait_for_port(server.port, 30, "PostgreSQL")
        server.create_database("playground")
        return server

    def stop(self) -> None:
        subprocess.run(
            [*(["runuser", "-u", self.user, "--"] if self.user else []),
             str(postgres_bin() / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
             "stop"], capture_output=True, timeout=60,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class Redis:
    port: int
    process: subprocess.Popen[bytes]

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    @classmethod
    def start(cls) -> Redis:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(f"Redis is not installed: {INSTALL}")
        port = free_port()
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for_port(port, 30, "Redis")
        return cls(port, process)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
