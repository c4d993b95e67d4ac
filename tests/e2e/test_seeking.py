"""A long recording seeks in the browser: Chromium's audio element asks for byte ranges, and
without them it can only play what it has downloaded from the start."""

from __future__ import annotations

from playwright.sync_api import Page, Response, expect

from tests.media import files

SECONDS = 300
SEEK_TO = 250
SEEK_AND_REPORT = """async (audio, target) => {
  if (audio.readyState < 1) {
    await new Promise((loaded) => audio.addEventListener("loadedmetadata", loaded, { once: true }));
  }
  const seeked = new Promise((done) => audio.addEventListener("seeked", done, { once: true }));
  audio.currentTime = target;
  await seeked;
  return { at: audio.currentTime, seekableEnd: audio.seekable.length ? audio.seekable.end(0) : 0 };
}"""


def test_a_long_recording_seeks_near_its_end(logged_in_page: Page, served, tmp_path) -> None:
    page = logged_in_page
    recording = tmp_path / "lecture.wav"
    recording.write_bytes(files.wav(SECONDS, rate=8000))
    ranges: list[str] = []

    def note_ranges(response: Response) -> None:
        if "/media/" in response.url and response.status == 206:
            ranges.append(response.headers["content-range"])

    page.on("response", note_ranges)
    page.goto(served.base_url + "/media/")
    page.get_by_label("Image or audio file").set_input_files(recording)
    page.get_by_role("button", name="Upload").click()
    player = page.get_by_label("Play lecture.wav")
    expect(player).to_have_count(1)

    report = player.evaluate(SEEK_AND_REPORT, SEEK_TO)

    assert report["seekableEnd"] > SECONDS - 1
    assert SEEK_TO - 1 < report["at"] < SEEK_TO + 1
    assert ranges and all(r.startswith("bytes ") for r in ranges)
