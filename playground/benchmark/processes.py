"""`manage.py serve` in a subprocess on a free loopback port: for tests and the benchmark."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from playground.benchmark.floor import READY_LINE

REPO = Path(__file__).resolve().parent.parent.parent
LINK_PATTERN = re.compile(r"(http://\S+/accounts/link/\S+/)")
OUTPUT_LINES_KEPT = 500
# The link `serve` prints is good for LOGIN_LINK_MINUTES (15 by default); after this long it is
# left unused, so it cannot run out between being handed over and being opened.
FIRST_LINK_SECONDS = 10 * 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServedPlayground:
    """A running `manage.py serve` with its own data folder."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[str] | None = None
    first_login_link: str = ""
    output: list[str] = field(default_factory=list)
    started_at: float = 0.0
    first_link_taken: bool = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def emulator_url(self) -> str:
        return f"{self.base_url}/emulator/v1beta/openai/"

    def process_env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GEMINI_", "DJANGO_", "EMULATOR_", "PYTEST"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="playground.settings",
            PLAYGROUND_DATA_DIR=str(self.data_dir),
            EMULATOR_TTFT_MS="0",
            EMULATOR_TOKENS_PER_SECOND="0",
            EMULATOR_RECORD_REQUESTS="true",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.env)
        return env

    def start(self, timeout: float = 120.0) -> ServedPlayground:
        self.started_at, self.first_login_link, self.first_link_taken = time.monotonic(), "", False
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(self.port)],
            cwd=REPO,
            env=self.process_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("serve exited early:\n" + "".join(self.output))
            self.output.append(line)
            if match := LINK_PATTERN.search(line):
                self.first_login_link = match.group(1)
            if "Serving on" in line:
                break
        # Keep reading: a server whose output pipe fills up stops answering.
        threading.Thread(target=self._drain, daemon=True).start()
        self._wait_for_port(deadline)
        return self

    def _drain(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            del self.output[:-OUTPUT_LINES_KEPT]

    def _wait_for_port(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("serve did not listen in time:\n" + "".join(self.output))

    def login_link(self, username: str = "") -> str:
        """A one-time link for the owner (or `username`): the one `serve` printed while nobody
        has taken it and it is young, else minted the way a user would, with `manage.py
        login_link` (a new process: seconds)."""
        first_link_fresh = time.monotonic() - self.started_at < FIRST_LINK_SECONDS
        if not username and self.first_login_link and not self.first_link_taken:
            self.first_link_taken = True
            if first_link_fresh:
                return self.first_login_link
        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "login_link",
                *([username] if username else []),
                "--base-url",
                self.base_url,
            ],
            cwd=REPO,
            env=self.process_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class FloorRelay:
    """The benchmark's minimal relay (`floor.py`) as its own process."""

    upstream: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def start(self) -> FloorRelay:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "playground.benchmark.floor", "--port", str(self.port),
             "--upstream", self.upstream],
            cwd=REPO, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if READY_LINE not in line:
            raise RuntimeError(f"the floor relay did not start: {line}")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
