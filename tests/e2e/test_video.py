"""Video in Chromium: a job starts at once, its progress bar moves while it is made, and the
finished video plays in the page."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.servers import ServedPlayground, running


@pytest.fixture(scope="module")
def served_ten_second_videos(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ServedPlayground]:
    yield from running(
        ServedPlayground(
            data_dir=tmp_path_factory.mktemp("served-e2e-video"),
            env={"EMULATOR_VIDEO_SECONDS": "10"},
        )
    )


def test_a_video_job_shows_its_progress_then_plays(
    page: Page, served_ten_second_videos: ServedPlayground
) -> None:
    server = served_ten_second_videos
    sign_in(page, server)
    page.goto(f"{server.base_url}/video/")
    page.get_by_label("Prompt", exact=True).fill("A cinematic drone shot of a waterfall")
    page.get_by_label("Duration").select_option("4")
    page.get_by_role("button", name="Create video").click()

    card = page.locator(".job-card").first
    expect(card).to_contain_text("A cinematic drone shot of a waterfall")
    expect(page).to_have_url(re.compile(r"/video/#job-\d+$"))
    bar = card.locator("progress.job-progress")
    expect(bar).to_be_visible()
    seen: list[int] = []
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and card.locator("video").count() == 0:
        if bar.count():
            value = int(bar.get_attribute("value") or 0)
            if not seen or value != seen[-1]:
                seen.append(value)
        page.wait_for_timeout(250)

    assert len(seen) >= 2 and seen == sorted(seen) and seen[-1] > seen[0], seen
    video = card.locator("video.job-video")
    expect(video).to_be_visible()
    page.wait_for_function(
        "document.querySelector('video.job-video').readyState >= 2", timeout=20000
    )
    assert video.evaluate("v => v.videoWidth") == 640
    assert video.evaluate("v => v.duration") == pytest.approx(4, abs=0.2)
    expect(card.locator(".job-status .badge")).to_have_text("Completed")
