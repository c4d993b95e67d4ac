"""A serving process's heartbeat: a daemon thread that writes it and sweeps cut-off replies.

Started where the ASGI application is built (daphne via `manage.py serve`, uvicorn, or daphne
on its own), not in management commands or tests (WORKER_HEARTBEAT_SECONDS=0 turns it off).
Everything runs in the thread: under uvicorn the application is loaded inside the event loop,
where no query may run.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

from playground.workers.services import streams_interrupt_orphaned, worker_beat

log = logging.getLogger(__name__)

# The sweep for replies cut off by a worker that died elsewhere runs every this many beats.
SWEEP_EVERY_BEATS = 6
_lock = threading.Lock()
_started = False


def presence_start() -> bool:
    """Start the heartbeat once per process; False when it is switched off."""
    global _started
    interval = settings.WORKER_HEARTBEAT_SECONDS
    if interval <= 0:
        return False
    with _lock:
        if not _started:
            _started = True
            thread = threading.Thread(
                target=_beat_forever, args=(interval,), name="playground-heartbeat", daemon=True
            )
            thread.start()
    return True


def _beat_forever(interval: float) -> None:
    beats = 0
    while True:
        try:
            close_old_connections()
            worker_beat()
            if beats % SWEEP_EVERY_BEATS == 0:
                if swept := streams_interrupt_orphaned():
                    log.warning("Marked %d reply(ies) of stopped workers as interrupted.", swept)
        except Exception:  # the database may be briefly away: try again at the next beat
            log.exception("worker heartbeat failed")
        finally:
            close_old_connections()
        beats += 1
        time.sleep(interval)
