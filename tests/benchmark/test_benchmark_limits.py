"""The benchmark's one person sends what no person would: no per-person limit may cut it short."""

from __future__ import annotations

from playground.benchmark.suite import PLAYGROUND_ENV
from playground.limits.socket_frames import TokenBucket
from tests.security.environment import settings_env, settings_read


def test_one_socket_may_send_a_hundred_prompts_back_to_back(tmp_path):
    # The full run sends 100 prompts on one socket at instant pace, faster than 10 a second.
    values = settings_read(settings_env(tmp_path, **PLAYGROUND_ENV))
    bucket = TokenBucket(
        rate=values["SOCKET_FRAMES_PER_SECOND"], burst=values["SOCKET_FRAME_BURST"]
    )
    assert all(bucket.take(1) for _ in range(100))
    assert values["LIMIT_CONCURRENT_STREAMS"] == 0 and values["LIMIT_REQUESTS_PER_MINUTE"] == 0
