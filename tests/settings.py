"""Test settings: the real settings module, fed a throwaway data folder and an instant emulator."""

from __future__ import annotations

import os
import tempfile

os.environ["PLAYGROUND_DATA_DIR"] = tempfile.mkdtemp(prefix="playground-test-")
os.environ["GEMINI_API_KEY"] = ""
os.environ.pop("GEMINI_API_KEY_FILE", None)
os.environ["EMULATOR_TTFT_MS"] = "0"
os.environ["EMULATOR_TOKENS_PER_SECOND"] = "0"

from playground.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test process serves nothing: no heartbeat thread (served subprocesses keep theirs).
WORKER_HEARTBEAT_SECONDS = 0
