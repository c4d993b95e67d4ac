"""The emulator's `/videos` over real HTTP: create (multipart and JSON), the status following
the clock, a real H.264 MP4, the seed's examples, and Veo's rules refused in Gemini's shape."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import av
import httpx2
import pytest
from openai import OpenAI

from tests.emulator.conftest import KEY, error_of
from tests.media.files import b64, picture_bytes
from tests.servers import ServedPlayground

GOOGLE = "https://generativelanguage.googleapis.com/v1beta/openai/"
WATERFALL = "A cinematic drone shot of a waterfall"
VEO = "veo-3.1-generate-preview"
pytestmark = pytest.mark.filterwarnings("ignore:The Sora API:DeprecationWarning")

# Google's examples from seed page 004 ("Generate a video", "Check video status"), as printed;
# the tests swap in the emulator's address and key, and the id of the job the first one made.
SEED_CREATE_PYTHON = """from openai import OpenAI
client = OpenAI(
api_key="GEMINI_API_KEY",
base_url="https://generativelanguage.googleapis.com/v1beta/openai/"
)
# Returns a Long Running Operation (status: processing)
response = client.videos.create(
model="veo-3.1-generate-preview",
prompt="A cinematic drone shot of a waterfall",
)
print(f"Operation ID: {response.id}")
print(f"Status: {response.status}")
"""
SEED_STATUS_PYTHON = """import time
from openai import OpenAI
client = OpenAI(
api_key="GEMINI_API_KEY",
base_url="https://generativelanguage.googleapis.com/v1beta/openai/"
)
# Poll until video is ready
video_id = response.id # From the create call
while True:
  video = client.videos.retrieve(video_id)
  if video.status == "completed":
    print(f"Video URL: {video.url}")
    break
  elif video.status == "failed":
    print(f"Generation failed: {video.error}")
    break
  print(f"Status: {video.status}. Waiting...")
  time.sleep(10)
"""
SEED_CREATE_JAVASCRIPT = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/"
});
async function main() {
// Returns a Long Running Operation (status: processing)
const response = await openai.videos.create({
model: "veo-3.1-generate-preview",
prompt: "A cinematic drone shot of a waterfall",
});
console.log(`Operation ID: ${response.id}`);
console.log(`Status: ${response.status}`);
}
main();
"""
SEED_STATUS_JAVASCRIPT = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/"
});
async function main() {
// Poll until video is ready
const videoId = response.id; // From the create call
while (true) {
const video = await openai.videos.retrieve(videoId);
if (video.status === "completed") {
console.log(`Video URL: ${video.url}`);
break;
} else if (video.status === "failed") {
console.log(`Generation failed: ${video.error}`);
break;
}
console.log(`Status: ${video.status}. Waiting...`);
await new Promise(resolve => setTimeout(resolve, 10000));
}
}
main();
"""
SEED_CREATE_CURL = """curl "https://generativelanguage.googleapis.com/v1beta/openai/videos" \\
-H "Authorization: Bearer $GEMINI_API_KEY" \\
-F "model=veo-3.1-generate-preview" \\
-F "prompt=A cinematic drone shot of a waterfall"
"""
SEED_STATUS_CURL = (
    f'curl "{GOOGLE}videos/VIDEO_ID" \\\n-H "Authorization: Bearer $GEMINI_API_KEY"\n'
)


@pytest.fixture
def base_url(served_video: ServedPlayground) -> str:
    return served_video.emulator_url


@pytest.fixture
def sdk(base_url: str) -> OpenAI:
    return OpenAI(api_key=KEY, base_url=base_url, max_retries=0)


def create(base_url: str, google: dict | None = None, **fields: str) -> httpx2.Response:
    """A multipart create as curl sends it, options spelled as the SDKs spell them."""
    data = {"model": VEO, "prompt": WATERFALL, **fields}
    for name, value in (google or {}).items():
        if isinstance(value, list):
            data[f"extra_body[google][{name}][]"] = value
        elif isinstance(value, dict):
            data |= {f"extra_body[google][{name}][{key}]": item for key, item in value.items()}
        else:
            data[f"extra_body[google][{name}]"] = str(value)
    return httpx2.post(
        base_url + "videos",
        data=data,
        files={"unused": ("", b"")},  # forces multipart, as the SDK does
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=20,
    )


def wait_until_final(sdk: OpenAI, video_id: str, seconds: float = 15) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        video = sdk.videos.retrieve(video_id)
        if video.status in {"completed", "failed"}:
            return video
        time.sleep(0.25)
    raise AssertionError(f"{video_id} did not finish in {seconds} s")


def test_a_job_is_queued_then_in_progress_then_completed_with_a_url(sdk: OpenAI) -> None:
    created = sdk.videos.create(
        model=VEO,
        prompt=WATERFALL,
        extra_body={"extra_body": {"google": {"aspect_ratio": "9:16", "duration_seconds": 4}}},
    )
    seen = [created.status]
    while seen[-1] != "completed":
        video = sdk.videos.retrieve(created.id)
        if video.status != seen[-1]:
            seen.append(video.status)
        progress = video.progress
        time.sleep(0.1)

    assert seen == ["queued", "in_progress", "completed"]
    assert progress == 100
    assert video.url == f"{sdk.base_url}videos/{created.id}/content"
    assert (video.seconds, video.size) == ("4", "360x640")


def test_the_video_is_real_h264_of_the_asked_length_and_shape(sdk: OpenAI) -> None:
    created = sdk.videos.create(
        model=VEO,
        prompt=WATERFALL,
        extra_body={"extra_body": {"google": {"duration_seconds": 6, "frame_rate": "12"}}},
    )
    wait_until_final(sdk, created.id)

    data = sdk.videos.download_content(created.id).content
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(video=0))

    assert data[4:8] == b"ftyp"
    assert (stream.codec_context.name, stream.width, stream.height) == ("h264", 640, 360)
    assert stream.codec_context.pix_fmt == "yuv420p"
    assert frames == 6 * 12


def test_the_same_request_makes_the_same_video_and_another_prompt_another(
    sdk: OpenAI,
) -> None:
    google = {"extra_body": {"google": {"duration_seconds": 4, "seed": 3}}}
    prompts = [WATERFALL, WATERFALL, "A red fox in the snow"]
    jobs = [sdk.videos.create(model=VEO, prompt=prompt, extra_body=google) for prompt in prompts]

    made = []
    for job in jobs:
        wait_until_final(sdk, job.id)
        made.append(sdk.videos.download_content(job.id).content)

    assert made[0] == made[1] != made[2]


def test_a_json_body_and_a_first_frame_are_accepted(base_url: str, sdk: OpenAI) -> None:
    body = {
        "model": VEO,
        "prompt": WATERFALL,
        "extra_body": {
            "google": {
                "image": b64(picture_bytes("JPEG")),
                "last_frame": {"image": b64(picture_bytes("WEBP"))},
            }
        },
    }

    response = httpx2.post(
        base_url + "videos", json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=20
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "queued"


def test_people_with_person_generation_dont_allow_fail_at_the_end(sdk: OpenAI) -> None:
    created = sdk.videos.create(
        model=VEO,
        prompt="Two people dancing on a beach",
        extra_body={"extra_body": {"google": {"person_generation": "dont_allow"}}},
    )

    video = wait_until_final(sdk, created.id)

    assert video.status == "failed"
    assert video.error.code == "RAI_MEDIA_FILTERED"
    assert "person_generation is dont_allow" in video.error.message
    assert video.url is None


def test_only_a_finished_video_can_be_extended(base_url: str, sdk: OpenAI) -> None:
    source = sdk.videos.create(model=VEO, prompt=WATERFALL)
    early = create(base_url, {"extend_video_id": source.id, "duration_seconds": 8})
    wait_until_final(sdk, source.id)
    later = create(base_url, {"extend_video_id": source.id, "duration_seconds": 8})

    assert early.status_code == 400
    assert "is not a completed video" in error_of(early)["message"]
    assert later.status_code == 200 and later.json()["remixed_from_video_id"] == source.id


@pytest.mark.parametrize(
    ("google", "message"),
    [
        (
            {"duration_seconds": 5},
            "Invalid duration_seconds: 5. Veo makes videos of 4, 6 or 8 seconds.",
        ),
        (
            {"duration_seconds": "long"},
            'Invalid duration_seconds: "long". It must be a whole number.',
        ),
        ({"aspect_ratio": "4:3"}, 'Invalid aspect_ratio: "4:3". Use one of 16:9, 9:16.'),
        ({"resolution": "480p"}, 'Invalid resolution: "480p". Use one of 720p, 1080p, 4k.'),
        ({"frame_rate": "fast"}, 'Invalid frame_rate: "fast".'),
        ({"seed": -1}, "Invalid seed: -1."),
        ({"style": "noir"}, 'Invalid style: "noir". Use one of cinematic, creative.'),
        ({"person_generation": "everyone"}, 'Invalid person_generation: "everyone".'),
        (
            {"image": "bm90IGFuIGltYWdl"},
            "Invalid image: it must be a base64-encoded PNG, JPEG or WEBP image.",
        ),
        (
            {"image": "%%% not base64 %%%"},
            "Invalid image: it must be a base64-encoded PNG, JPEG or WEBP image.",
        ),
        ({"last_frame": {"image": "x"}}, "last_frame needs image as the first frame"),
        (
            {"reference_images": ["a", "b", "c", "d"]},
            "Too many reference_images: 4. At most 3 are allowed.",
        ),
        (
            {"reference_images": [b64(picture_bytes())], "duration_seconds": 4},
            "duration_seconds must be 8 when reference_images is used; it was 4.",
        ),
        ({"extend_video_id": "video_nope"}, "extend_video_id 'video_nope' names no video."),
    ],
)
def test_it_refuses_what_the_seed_rules_out(base_url: str, google: dict, message: str) -> None:
    response = create(base_url, google)

    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["status"] == "INVALID_ARGUMENT"
    assert message in error["message"]


def test_it_refuses_a_missing_prompt_and_a_chat_model(base_url: str) -> None:
    empty = create(base_url, prompt=" ")
    chat = create(base_url, model="gemini-2.5-flash")

    assert error_of(empty)["message"] == "prompt is required: describe the video to generate."
    assert "is a chat model and cannot generate videos" in error_of(chat)["message"]


def test_an_unknown_video_and_an_unfinished_one_have_no_bytes(base_url: str, sdk: OpenAI) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    created = sdk.videos.create(model=VEO, prompt=WATERFALL)

    unknown = httpx2.get(base_url + "videos/video_nope", headers=headers)
    unfinished = httpx2.get(base_url + f"videos/{created.id}/content", headers=headers)

    assert (
        unknown.status_code == 404
        and error_of(unknown)["message"] == "Video video_nope was not found."
    )
    assert unfinished.status_code == 400 and "is not ready" in error_of(unfinished)["message"]


def test_the_seeds_python_examples_create_and_poll(base_url: str, tmp_path: Path) -> None:
    # The status example goes on from the create example's `response`: run them as one, with
    # the example's 10 s wait between looks cut short.
    script = "import time\nwait = time.sleep\ntime.sleep = lambda s: wait(min(s, 0.3))\n"
    script += (SEED_CREATE_PYTHON + SEED_STATUS_PYTHON).replace(GOOGLE, base_url)
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )

    assert run.returncode == 0, run.stderr
    video_id = run.stdout.split("Operation ID: ")[1].split()[0]
    assert "Status: queued" in run.stdout
    assert run.stdout.strip().endswith(f"Video URL: {base_url}videos/{video_id}/content")


def test_the_seeds_javascript_examples_create_and_poll(
    base_url: str, sdk: OpenAI, node_openai: Path
) -> None:
    def node(script: str, name: str) -> str:
        path = node_openai / f"seed_video_{name}.mjs"
        # The key of the test's SDK: the emulator shows a key only the videos it made.
        path.write_text(script.replace(GOOGLE, base_url).replace('"GEMINI_API_KEY"', f'"{KEY}"'))
        run = subprocess.run(
            ["node", path.name], cwd=node_openai, capture_output=True, text=True, timeout=60
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    created = node(SEED_CREATE_JAVASCRIPT, "create")
    video_id = created.split("Operation ID: ")[1].split()[0]
    wait_until_final(sdk, video_id)
    polled = node(SEED_STATUS_JAVASCRIPT.replace("response.id", json.dumps(video_id)), "status")

    assert "Status: queued" in created
    assert polled.strip() == f"Video URL: {base_url}videos/{video_id}/content"


def test_the_seeds_curl_examples_create_and_poll(base_url: str, sdk: OpenAI) -> None:
    def curl(command: str) -> dict:
        run = subprocess.run(
            ["bash", "-c", command.replace(GOOGLE, base_url)],
            capture_output=True,
            text=True,
            timeout=60,
            env={"GEMINI_API_KEY": KEY, "PATH": "/usr/bin:/bin"},
        )
        return json.loads(run.stdout)

    created = curl(SEED_CREATE_CURL)
    wait_until_final(sdk, created["id"])
    polled = curl(SEED_STATUS_CURL.replace("VIDEO_ID", created["id"]))

    assert (created["model"], created["prompt"], created["status"]) == (VEO, WATERFALL, "queued")
    assert polled["status"] == "completed"
    assert polled["url"].endswith(f"/videos/{created['id']}/content")
