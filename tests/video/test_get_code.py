""" "Get code" for images and videos: the snippets say what is sent, never hold the key, and run
as they are (Python, JavaScript with the `openai` npm package, curl) against the emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openai import OpenAI
from PIL import Image

from playground.get_code.snippets import Snippet, snippets_render
from playground.llm.code_requests import image_code_request, video_code_request
from playground.llm.images import ImageRequest
from playground.llm.videos import InputImage, VideoRequest
from tests.emulator.conftest import KEY
from tests.media.files import picture_bytes
from tests.servers import ServedPlayground

pytestmark = pytest.mark.filterwarnings("ignore:The Sora API:DeprecationWarning")

EXTENSIONS = {"python": "py", "javascript": "mjs", "curl": "sh"}
# Example code waits 10 s between looks at a video; the tests shorten every wait, not the code.
FAST_PYTHON = "import sys, time\nwait = time.sleep\ntime.sleep = lambda s: wait(min(s, 0.3))\nexec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'))\n"  # noqa: E501
FAST_TIMERS = "const wait = globalThis.setTimeout;\nglobalThis.setTimeout = (f, ms, ...a) => wait(f, Math.min(ms, 300), ...a);\n"  # noqa: E501


def image_request() -> ImageRequest:
    return ImageRequest(
        provider="emulator",
        model="gemini-3-pro-image-preview",
        prompt='a cat\'s "best" hat; 100% wool',
        n=2,
        size="512x512",
        aspect_ratio="3:2",
        safety_settings_json='[{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}]',  # noqa: E501
        google_search=True,
    )


def video_request() -> VideoRequest:
    png = picture_bytes()
    return VideoRequest(
        provider="emulator",
        model="veo-3.1-generate-preview",
        prompt='A drone shot; @dawn, "golden" light',
        aspect_ratio="9:16",
        duration_seconds=8,
        frame_rate="12",
        seed=42,
        image=InputImage(png, "image/png", "first frame.png"),
        last_frame=InputImage(png, "image/png", "last.png"),
        reference_images=(InputImage(png, "image/png", "style.png"),),
    )


def image_code(request: ImageRequest, *, base_url: str) -> list[Snippet]:
    return snippets_render(code=image_code_request(request, base_url=base_url))


def video_code(request: VideoRequest, *, base_url: str, video_id: str = "") -> list[Snippet]:
    return snippets_render(code=video_code_request(request, base_url=base_url, video_id=video_id))


def written(snippets: list, folder: Path, stem: str) -> dict[str, Path]:
    paths = {}
    for snippet in snippets:
        paths[snippet.language] = folder / f"{stem}.{EXTENSIONS[snippet.language]}"
        paths[snippet.language].write_text(snippet.code)
    return paths


def run(command: list[str], cwd: Path) -> str:
    env = {**os.environ, "GEMINI_API_KEY": KEY}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_key_is_never_written_into_the_code(settings) -> None:
    settings.GEMINI_API_KEY = "AIza-real-secret"
    snippets = [
        *image_code(image_request(), base_url="https://g.test/"),
        *video_code(video_request(), base_url="https://g.test/"),
    ]

    for snippet in snippets:
        assert "AIza-real-secret" not in snippet.code
        assert "GEMINI_API_KEY" in snippet.code
    assert [s.label for s in snippets] == ["Python", "JavaScript", "curl"] * 2


def test_video_code_reads_input_images_from_files_instead_of_inlining_them() -> None:
    python, javascript, curl = video_code(
        video_request(), base_url="https://g.test/", video_id="video_7"
    )

    assert '"image": encode_file("first_frame.png")' in python.code
    assert 'image: encodeFile("last.png")' in javascript.code
    assert '-F "extra_body[google][reference_images][]=<style.png.b64"' in curl.code
    assert 'base64 -w0 "first_frame.png" > "first_frame.png.b64"' in curl.code
    assert "--form-string 'prompt=A drone shot; @dawn, \"golden\" light'" in curl.code
    assert "videos/video_7" in curl.code
    assert picture_bytes()[:8].hex() not in python.code + javascript.code + curl.code


def test_the_image_code_runs_and_saves_the_pictures(
    served: ServedPlayground, node_openai: Path, tmp_path: Path
) -> None:
    paths = written(
        image_code(image_request(), base_url=served.emulator_url), node_openai, "code_image"
    )
    python_dir = tmp_path / "python"
    python_dir.mkdir()

    run([sys.executable, str(paths["python"])], python_dir)
    run(["node", paths["javascript"].name], node_openai)
    reply = json.loads(run(["bash", str(paths["curl"])], tmp_path))

    for folder in (python_dir, node_openai):
        sizes = [Image.open(folder / f"image-{n}.png").size for n in (1, 2)]
        assert sizes == [(512, 341)] * 2, folder
    assert len(reply["data"]) == 2


def test_the_video_code_runs_until_the_video_is_done(
    served_video: ServedPlayground, node_openai: Path, tmp_path: Path
) -> None:
    base_url = served_video.emulator_url
    paths = written(video_code(video_request(), base_url=base_url), node_openai, "code_video")
    for name in ("first_frame.png", "last.png", "style.png"):
        (node_openai / name).write_bytes(picture_bytes())
    (node_openai / "fast_timers.mjs").write_text(FAST_TIMERS)
    (node_openai / "fast.py").write_text(FAST_PYTHON)
    create_with_curl = paths["curl"].read_text().split("\n# Then")[0]

    python = run([sys.executable, "fast.py", paths["python"].name], node_openai)
    javascript = run(
        ["node", "--import", "./fast_timers.mjs", paths["javascript"].name], node_openai
    )
    created = json.loads(run(["bash", "-c", create_with_curl], node_openai))

    for output in (python, javascript):
        assert "Operation ID: video_" in output
        assert f"Video URL: {base_url}videos/video_" in output
    sdk = OpenAI(api_key=KEY, base_url=base_url, max_retries=0)
    video = sdk.videos.retrieve(created["id"])
    assert (video.seconds, video.size, video.prompt) == ("8", "360x640", video_request().prompt)
