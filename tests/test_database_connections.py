"""SQLite connections are kept between database calls (a new one per call was slow)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.servers import REPO


def settings_database(tmp_path, **env: str) -> dict:
    code = (
        "import json, playground.settings as s;"
        "d = s.DATABASES['default'];"
        "print(json.dumps([d.get('CONN_MAX_AGE', 0), d.get('CONN_HEALTH_CHECKS', False)]))"
    )
    environment = {"PATH": "/usr/bin:/bin", "PLAYGROUND_DATA_DIR": str(tmp_path), **env}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=environment,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(run.stdout)


def test_sqlite_connections_are_kept_and_checked_before_reuse(tmp_path):
    max_age, health_checks = settings_database(tmp_path)

    assert max_age is None or max_age > 0
    assert health_checks is True
