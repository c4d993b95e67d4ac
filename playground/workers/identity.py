"""This process as a worker: an id made at start-up, where it runs, and whether others still run."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass


def _pid_namespace() -> str:
    """The PID namespace (Linux), so two containers with one host name are told apart."""
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return ""


@dataclass(frozen=True)
class Identity:
    id: str
    host: str
    pid: int


def _this_process() -> Identity:
    namespace = _pid_namespace()
    host = socket.gethostname() + (f"/pid:{namespace}" if namespace else "")
    return Identity(id=uuid.uuid4().hex, host=host, pid=os.getpid())


THIS_PROCESS = _this_process()


def is_gone(*, host: str, pid: int, worker_id: str) -> bool:
    """True when a worker that ran where this process runs has certainly stopped.

    Elsewhere nothing can be told from a PID: only its heartbeat says whether it lives.
    """
    if host != THIS_PROCESS.host:
        return False
    if pid == THIS_PROCESS.pid:
        return worker_id != THIS_PROCESS.id  # an earlier process that had our PID
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    return False
