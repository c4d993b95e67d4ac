"""A video job outlives its server: created through one `manage.py serve`, finished and played
through the next one on the same data folder. No worker moves it along, so nothing is lost."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import av
import httpx2

from tests.servers import ServedPlayground

PROMPT = "A lighthouse in a storm, waves breaking"


def signed_in(server: ServedPlayground) -> httpx2.Client:
    http = httpx2.Client(base_url=server.base_url, follow_redirects=True, timeout=30)
    assert http.get(server.first_login_link or server.login_link()).status_code == 200
    return http


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def create_job(http: httpx2.Client) -> int:
    page = http.get("/video/").text
    response = http.post(
        "/video/",
        data={
            "csrfmiddlewaretoken": csrf_token(page),
            "model": "veo-3.1-generate-preview",
            "prompt": PROMPT,
            "duration_seconds": "4",
        },
        headers={"Referer": f"{http.base_url}video/"},
    )
    return int(re.search(r'id="job-(\d+)"', response.text).group(1))


def status_of(http: httpx2.Client, job_id: int) -> str:
    return re.search(r'data-status="(\w+)"', http.get(f"/video/{job_id}/status/").text).group(1)


def test_a_job_created_before_a_restart_completes_and_plays_after_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {"EMULATOR_VIDEO_SECONDS": "3"}
    first = ServedPlayground(data_dir=data_dir, env=env).start()
    try:
        http = signed_in(first)
        job_id = create_job(http)
        before = status_of(http, job_id)
        cookies = dict(http.cookies)
        http.close()
    finally:
        first.stop()

    second = ServedPlayground(data_dir=data_dir, env=env).start()
    try:
        with httpx2.Client(base_url=second.base_url, cookies=cookies, timeout=30) as http:
            deadline = time.monotonic() + 30
            while (status := status_of(http, job_id)) not in {"completed", "failed"}:
                assert time.monotonic() < deadline, f"still {status}"
                time.sleep(0.5)
            page = http.get("/video/").text
            video = http.get(f"/video/{job_id}/file/")
    finally:
        second.stop()

    assert before in {"queued", "in_progress"}
    assert status == "completed"
    assert f'src="/video/{job_id}/file/"' in page and PROMPT in page
    with av.open(io.BytesIO(video.content)) as container:
        codec = container.streams.video[0].codec_context.name
        frames = list(container.decode(video=0))
    assert codec == "h264"
    assert len(frames) == 4 * 24 and frames[0].width == 640
