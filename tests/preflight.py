"""Before the first test: install what the suite needs from outside Python, or stop and say what.

The suite runs real programs: Debian's Chromium for the browser tests, PostgreSQL and Redis for
the scale-out tests, curl and node for the exported code, and the `openai` and `zod` npm packages
that the exported JavaScript imports. `uv run pytest` brings the Python side; this module brings
the rest, once per run in the controlling process (tests/conftest.py calls `preflight_session`):

- as root on a machine with apt-get, one `apt-get install` for the Debian packages that are
  missing, then one `npm install` into a cache folder for the node packages;
- anywhere it cannot (not root, no apt-get, no registry, an install that fails), it stops before
  the first test with one message naming what is missing and the command that installs it.

The decisions are plain functions of injected probes and a command runner, so each case is
tested without touching the machine (tests/test_preflight.py).
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Exit code when the machine lacks what the tests need: pytest's "usage error", not a test failure.
EXIT_CODE = pytest.ExitCode.USAGE_ERROR
# The major versions the exported-code tests were written against.
NODE_PACKAGES = {"openai": "7", "zod": "4"}
APT_TIMEOUT_SECONDS = 1200
NPM_TIMEOUT_SECONDS = 600
OUTPUT_LINES_SHOWN = 15


@dataclass(frozen=True)
class Probes:
    """What the preflight asks of the machine; tests pass their own answers."""

    which: Callable[[str], str | None] = shutil.which
    exists: Callable[[str], bool] = os.path.exists
    glob: Callable[[str], list[str]] = glob.glob
    is_root: Callable[[], bool] = lambda: os.geteuid() == 0
    read_text: Callable[[Path], str] = lambda path: path.read_text()


@dataclass(frozen=True)
class SystemNeed:
    """A program the tests run, and the Debian package that provides it."""

    package: str
    purpose: str
    present: Callable[[Probes], bool]


SYSTEM_NEEDS = (
    SystemNeed("chromium", "browser tests", lambda probes: probes.exists(CHROMIUM)),
    SystemNeed(
        "postgresql",
        "scale-out tests",
        lambda probes: (
            bool(probes.glob("/usr/lib/postgresql/*/bin/initdb"))
            or probes.which("initdb") is not None
        ),
    ),
    SystemNeed("redis-server", "scale-out tests", lambda p: p.which("redis-server") is not None),
    SystemNeed("curl", "exported curl code", lambda probes: probes.which("curl") is not None),
    SystemNeed("nodejs", "exported JavaScript", lambda probes: probes.which("node") is not None),
    SystemNeed("npm", "node packages", lambda probes: probes.which("npm") is not None),
)


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def last_lines(self) -> str:
        return "\n".join(self.output.strip().splitlines()[-OUTPUT_LINES_SHOWN:])


Runner = Callable[[list[str], float], CommandResult]


def run_command(command: list[str], timeout: float) -> CommandResult:
    """Runs an install command with its output kept for the message, never for ever."""
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=environment, check=False
        )
    except FileNotFoundError as error:
        return CommandResult(127, str(error))
    except subprocess.TimeoutExpired:
        return CommandResult(124, f"{command[0]} did not finish within {timeout:.0f} s")
    return CommandResult(done.returncode, done.stdout + done.stderr)


def node_folder() -> Path:
    """Where the node packages are kept between runs (per user, outside the work tree)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "gemini-playground" / "node"


def missing_debian_packages(*, probes: Probes) -> list[str]:
    return [need.package for need in SYSTEM_NEEDS if not need.present(probes)]


def missing_node_packages(*, folder: Path, probes: Probes) -> list[str]:
    """`name@major` for each node package not installed in `folder` at the wanted major."""
    missing = []
    for name, major in NODE_PACKAGES.items():
        try:
            manifest = json.loads(probes.read_text(folder / "node_modules" / name / "package.json"))
            installed = str(manifest.get("version", ""))
        except (OSError, ValueError, AttributeError):
            installed = ""
        if installed.split(".")[0] != major:
            missing.append(f"{name}@{major}")
    return missing


def apt_refusal(*, probes: Probes) -> str | None:
    """Why apt-get cannot be used here, or None when it can."""
    if probes.which("apt-get") is None:
        return "apt-get is not available (this is not a Debian machine)"
    if not probes.is_root():
        return "installing Debian packages needs root"
    return None


def apt_commands(packages: list[str]) -> list[list[str]]:
    # Another apt-get may be running (an upgrade, another checkout's tests): wait for its lock
    # instead of failing on it.
    wait = ["-o", "DPkg::Lock::Timeout=300"]
    return [
        ["apt-get", "update", "-q", *wait],
        ["apt-get", "install", "-y", "-q", *wait, *packages],
    ]


def npm_command(packages: list[str], folder: Path) -> list[str]:
    return [
        "npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund",
        "--loglevel=error", *packages,
    ]  # fmt: skip


@dataclass
class Shortfall:
    """What is still missing after trying, with why and how to install it."""

    lines: list[str] = field(default_factory=list)

    def add(self, what: str, reason: str, command: str) -> None:
        self.lines += [f"- {what}: {reason}", f"  install with: {command}"]

    def message(self) -> str:
        return "\n".join(
            [
                "The test suite stops before its first test: this machine lacks what it needs.",
                *self.lines,
                "Then run the tests again.",
            ]
        )


def preflight_ensure(
    *, probes: Probes, run: Runner, say: Callable[[str], None], folder: Path
) -> str | None:
    """Installs what is missing where it can; returns the one message for what is still
    missing, or None when the tests have everything."""
    shortfall = Shortfall()
    debian = missing_debian_packages(probes=probes)
    if debian:
        reason = apt_refusal(probes=probes)
        if reason is None:
            say(f"installing Debian packages with apt-get: {' '.join(debian)}")
            reason = _run_all(apt_commands(debian), run, APT_TIMEOUT_SECONDS, say)
            debian = missing_debian_packages(probes=probes)
        if debian:
            packages = " ".join(debian)
            shortfall.add(
                f"Debian packages {', '.join(debian)}",
                reason or "apt-get ended without installing them",
                f"apt-get update && apt-get install -y {packages}  (as root)",
            )

    node = missing_node_packages(folder=folder, probes=probes)
    if node:
        install = npm_command(node, folder)
        if probes.which("npm") is None:
            reason = "npm is not installed (Debian package npm, above)"
        else:
            say(f"installing node packages with npm into {folder}: {' '.join(node)}")
            reason = _run_all([install], run, NPM_TIMEOUT_SECONDS, say)
            node = missing_node_packages(folder=folder, probes=probes)
        if node:
            shortfall.add(
                f"node packages {', '.join(node)} in {folder}",
                reason or "npm ended without installing them",
                " ".join(install),
            )
    return shortfall.message() if shortfall.lines else None


def _run_all(
    commands: list[list[str]], run: Runner, timeout: float, say: Callable[[str], None]
) -> str | None:
    """Runs the commands in order; the reason the first failing one gave, or None."""
    for command in commands:
        started = time.monotonic()
        result = run(command, timeout)
        if not result.ok:
            return (
                f"`{' '.join(command)}` failed (exit {result.returncode}):\n{result.last_lines()}"
            )
        say(f"{' '.join(command[:2])}: done in {time.monotonic() - started:.0f} s")
    return None


@contextmanager
def _one_installer_at_a_time(folder: Path) -> Iterator[None]:
    """Test runs started together wait for each other's installs instead of racing them."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder.parent / "preflight.lock", "w")
    except OSError:
        # An unwritable cache folder: npm will fail on it and the message will say so.
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def preflight_session(config: pytest.Config) -> None:
    """The pytest side: progress lines on the terminal, and `pytest.exit` with the message."""
    if config.option.collectonly or hasattr(config, "workerinput"):
        return
    writer = config.get_terminal_writer()

    def say(line: str) -> None:
        writer.line(f"preflight: {line}")

    folder = node_folder()
    probes = Probes()
    message = None
    if missing_debian_packages(probes=probes) or missing_node_packages(
        folder=folder, probes=probes
    ):
        with _one_installer_at_a_time(folder):
            message = preflight_ensure(probes=probes, run=run_command, say=say, folder=folder)
    if message is not None:
        writer.line(message, red=True, bold=True)
        pytest.exit("stopped before the first test: see the message above", returncode=EXIT_CODE)
