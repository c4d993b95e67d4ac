"""The preflight installs what the suite needs before the first test, or stops with one message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.preflight import (
    CHROMIUM,
    EXIT_CODE,
    CommandResult,
    Probes,
    missing_debian_packages,
    preflight_ensure,
)
from tests.servers import REPO

FOLDER = Path("/cache/gemini-playground/node")
EVERY_PROGRAM = {"redis-server", "curl", "node", "npm", "apt-get"}
# What each Debian package puts on the machine, as the probes look for it.
PROVIDES = {
    "chromium": CHROMIUM,
    "postgresql": "/usr/lib/postgresql/15/bin/initdb",
    "redis-server": "redis-server",
    "curl": "curl",
    "nodejs": "node",
    "npm": "npm",
}


@dataclass
class FakeMachine:
    """A machine the probes look at and the runner installs on; every command is recorded."""

    programs: set[str] = field(default_factory=lambda: set(EVERY_PROGRAM))
    paths: set[str] = field(default_factory=lambda: {CHROMIUM, "/usr/lib/postgresql/15/bin/initdb"})
    root: bool = True
    node_packages: dict[str, str] = field(
        default_factory=lambda: {"openai": "7.2.0", "zod": "4.1.5"}
    )
    failing: set[str] = field(default_factory=set)  # commands (first two words) that fail
    commands: list[list[str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def lacks(self, *packages: str) -> FakeMachine:
        for package in packages:
            self.programs.discard(PROVIDES[package])
            self.paths.discard(PROVIDES[package])
        return self

    def probes(self) -> Probes:
        return Probes(
            which=lambda name: f"/usr/bin/{name}" if name in self.programs else None,
            exists=lambda path: path in self.paths,
            glob=lambda pattern: [p for p in self.paths if p.endswith("/bin/initdb")],
            is_root=lambda: self.root,
            read_text=self.read_manifest,
        )

    def read_manifest(self, path: Path) -> str:
        name = path.parent.name
        if path.parent.parent != FOLDER / "node_modules" or name not in self.node_packages:
            raise FileNotFoundError(path)
        return json.dumps({"name": name, "version": self.node_packages[name]})

    def run(self, command: list[str], timeout: float) -> CommandResult:
        self.commands.append(command)
        if " ".join(command[:2]) in self.failing:
            return CommandResult(100, "E: Could not resolve host\nE: Unable to fetch packages")
        if command[0] == "apt-get" and "install" in command:
            for package in [word for word in command if word in PROVIDES]:
                self.programs.add(PROVIDES[package])
                self.paths.add(PROVIDES[package])
        if command[0] == "npm":
            for spec in [word for word in command if "@" in word]:
                name, major = spec.split("@")
                self.node_packages[name] = f"{major}.0.0"
        return CommandResult(0, "")

    def ensure(self) -> str | None:
        return preflight_ensure(
            probes=self.probes(), run=self.run, say=self.lines.append, folder=FOLDER
        )


def test_it_runs_nothing_when_nothing_is_missing() -> None:
    machine = FakeMachine()

    assert machine.ensure() is None
    assert machine.commands == []
    assert machine.lines == []


def test_it_installs_missing_debian_packages_with_one_apt_get_as_root() -> None:
    machine = FakeMachine().lacks("chromium", "redis-server")

    assert machine.ensure() is None

    installs = [command for command in machine.commands if "install" in command]
    assert len(installs) == 1 and installs[0][0] == "apt-get"
    assert installs[0][-2:] == ["chromium", "redis-server"]
    assert machine.commands[0][:2] == ["apt-get", "update"]
    assert missing_debian_packages(probes=machine.probes()) == []
    assert "installing Debian packages with apt-get: chromium redis-server" in machine.lines


def test_it_installs_the_node_packages_once_into_the_cache_folder() -> None:
    machine = FakeMachine(node_packages={})

    assert machine.ensure() is None

    assert machine.commands == [
        ["npm", "install", "--prefix", str(FOLDER), "--no-audit", "--no-fund",
         "--loglevel=error", "openai@7", "zod@4"],
    ]  # fmt: skip
    assert machine.node_packages == {"openai": "7.0.0", "zod": "4.0.0"}


def test_it_runs_no_npm_when_the_cache_folder_has_the_packages() -> None:
    machine = FakeMachine().lacks("curl")

    assert machine.ensure() is None

    assert [command[0] for command in machine.commands] == ["apt-get", "apt-get"]


def test_a_package_of_another_major_version_is_installed_again() -> None:
    machine = FakeMachine(node_packages={"openai": "6.9.1", "zod": "4.1.5"})

    assert machine.ensure() is None

    assert machine.commands[0][-1] == "openai@7"


def test_not_root_it_installs_nothing_and_names_what_is_missing_and_the_command() -> None:
    machine = FakeMachine(root=False).lacks("chromium", "postgresql")

    message = machine.ensure()

    assert machine.commands == []
    assert message is not None
    assert "Debian packages chromium, postgresql: installing Debian packages needs root" in message
    assert "apt-get update && apt-get install -y chromium postgresql  (as root)" in message


def test_without_apt_get_it_says_this_is_not_a_debian_machine() -> None:
    machine = FakeMachine().lacks("curl")
    machine.programs.discard("apt-get")

    message = machine.ensure()

    assert machine.commands == []
    assert message is not None and "apt-get is not available" in message
    assert "apt-get install -y curl" in message


def test_a_failed_apt_get_is_reported_with_its_output_and_the_command() -> None:
    machine = FakeMachine(failing={"apt-get update"}).lacks("redis-server")

    message = machine.ensure()

    assert message is not None
    assert "`apt-get update -q -o DPkg::Lock::Timeout=300` failed (exit 100)" in message
    assert "E: Could not resolve host" in message
    assert "apt-get install -y redis-server" in message


def test_one_message_names_the_debian_and_the_node_packages_together() -> None:
    machine = FakeMachine(root=False, node_packages={"zod": "4.0.0"}).lacks("nodejs", "npm")

    message = machine.ensure()

    assert machine.commands == []
    assert message is not None
    assert message.count("install with:") == 2
    assert "Debian packages nodejs, npm" in message
    assert f"node packages openai@7 in {FOLDER}: npm is not installed" in message
    assert f"npm install --prefix {FOLDER}" in message and message.rstrip().endswith("again.")


def test_an_npm_install_without_a_registry_stops_with_the_message() -> None:
    machine = FakeMachine(node_packages={}, failing={"npm install"})

    message = machine.ensure()

    assert message is not None
    assert "node packages openai@7, zod@4" in message
    assert "Unable to fetch packages" in message


def test_where_it_cannot_install_pytest_stops_before_the_first_test(tmp_path: Path) -> None:
    """A real run: no apt-get, curl, node or redis-server on PATH, and an empty cache folder."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    environment = {
        **os.environ,
        "PATH": str(empty_bin),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_static_files.py"],
        cwd=REPO, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    printed = done.stdout + done.stderr

    assert done.returncode == EXIT_CODE, printed
    # Stopped before collecting anything, so no test ran.
    assert "collected" not in printed and "no tests ran" in printed
    assert printed.count("this machine lacks what it needs") == 1
    assert "apt-get is not available" in printed
    assert "apt-get update && apt-get install -y redis-server curl nodejs npm" in printed
    assert "node packages openai@7, zod@4" in printed
