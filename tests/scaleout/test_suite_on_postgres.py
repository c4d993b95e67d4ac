"""The database and socket tests, run again with DATABASE_URL and REDIS_URL set: the same code
on PostgreSQL (row locks, upserts, transactions) and on Redis (the cache)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.scaleout.engines import Postgres, Redis
from tests.servers import REPO

# Sockets and the database together: chat and compare consumers under the per-person limits
# (row locks, the shared cache), and the worker sweep (upserts, subqueries). The whole suite
# runs the same way by hand:  DATABASE_URL=postgres://... REDIS_URL=redis://... uv run pytest
AGAIN = ["tests/security/test_limits.py", "tests/reliability/test_worker_sweep.py"]


def test_the_database_and_socket_tests_pass_on_postgresql_and_redis(
    postgres: Postgres, redis: Redis
) -> None:
    env = {**os.environ, "DATABASE_URL": postgres.create_database("suite"),
           "REDIS_URL": redis.url(1)}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W",
         "ignore:Error when trying to teardown test databases", *AGAIN],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
