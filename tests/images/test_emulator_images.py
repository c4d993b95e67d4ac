"""The emulator's `POST images/generations` over real HTTP: the seed's examples, pictures drawn
from the prompt, and Gemini-shaped refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx2
import pytest
from openai import OpenAI

from tests.emulator.conftest import KEY, error_of, post_raw
from tests.media.files import decoded
from tests.servers import ServedPlayground

GOOGLE = "https://generativelanguage.googleapis.com/v1beta/openai/"
SHEEP = "a portrait of a sheepadoodle wearing a cape"

# Google's examples from seed page 004 ("Generate an image"), as printed there; the tests swap in
# the emulator's address and key, and `image.show()` (which would open a viewer) for a print.
SEED_PYTHON = """import base64
from openai import OpenAI
from PIL import Image
from io import BytesIO
client = OpenAI(
api_key="GEMINI_API_KEY",
base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
response = client.images.generate(
model="gemini-2.5-flash-image",
prompt="a portrait of a sheepadoodle wearing a cape",
response_format='b64_json',
n=1,
)
for image_data in response.data:
  image = Image.open(BytesIO(base64.b64decode(image_data.b64_json)))
  image.show()
"""
SEED_JAVASCRIPT = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/",
});
async function main() {
const image = await openai.images.generate(
{
model: "gemini-2.5-flash-image",
prompt: "a portrait of a sheepadoodle wearing a cape",
response_format: "b64_json",
n: 1,
}
);
console.log(image.data);
}
main();
"""
SEED_CURL = """curl "https://generativelanguage.googleapis.com/v1beta/openai/images/generations" \\
-H "Content-Type: application/json" \\
-H "Authorization: Bearer GEMINI_API_KEY" \\
-d '{
"model": "gemini-2.5-flash-image",
"prompt": "a portrait of a sheepadoodle wearing a cape",
"response_format": "b64_json",
"n": 1,
}'
"""


@pytest.fixture
def sdk(served: ServedPlayground) -> OpenAI:
    return OpenAI(api_key=KEY, base_url=served.emulator_url, max_retries=0)


def test_the_seeds_python_example_gets_a_picture(served: ServedPlayground, tmp_path: Path) -> None:
    script = SEED_PYTHON.replace(GOOGLE, served.emulator_url).replace(
        "image.show()", "print(image.format, image.size)"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "PNG (1024, 1024)"


def test_the_seeds_javascript_example_gets_a_picture(
    served: ServedPlayground, node_openai: Path
) -> None:
    script = node_openai / "seed_image.mjs"
    script.write_text(SEED_JAVASCRIPT.replace(GOOGLE, served.emulator_url))
    run = subprocess.run(
        ["node", script.name], cwd=node_openai, capture_output=True, text=True, timeout=60
    )

    assert run.returncode == 0, run.stderr
    assert "b64_json: 'iVBORw0KGgo" in run.stdout  # base64 of PNG's signature


def test_the_seeds_curl_example_gets_a_picture_despite_its_trailing_comma(
    served: ServedPlayground,
) -> None:
    command = SEED_CURL.replace(GOOGLE, served.emulator_url).replace("\\\n", " ")
    run = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)

    reply = httpx2.Response(200, content=run.stdout.encode()).json()
    assert decoded(reply["data"][0]["b64_json"]).format == "PNG"


def test_the_same_prompt_draws_the_same_picture_and_another_prompt_another(sdk: OpenAI) -> None:
    def picture(prompt: str) -> str:
        reply = sdk.images.generate(model="gemini-2.5-flash-image", prompt=prompt, n=1)
        return reply.data[0].b64_json

    first, again, other = picture(SHEEP), picture(SHEEP), picture("a red bicycle in the rain")

    assert first == again
    assert first != other
    colours = [
        decoded(image).convert("RGB").resize((1, 1)).getpixel((0, 0)) for image in (first, other)
    ]
    assert colours[0] != colours[1]


def test_it_honours_n_size_and_aspect_ratio(sdk: OpenAI) -> None:
    reply = sdk.images.generate(
        model="gemini-2.5-flash-image",
        prompt=SHEEP,
        n=3,
        size="512x512",
        extra_body={"extra_body": {"google": {"aspect_ratio": "16:9"}}},
    )
    sized = sdk.images.generate(model="gemini-2.5-flash-image", prompt=SHEEP, size="1536x1024")

    images = [decoded(item.b64_json) for item in reply.data]
    assert [image.size for image in images] == [(512, 288)] * 3
    assert len({image.tobytes() for image in images}) == 3  # three different pictures
    assert decoded(sized.data[0].b64_json).size == (1536, 1024)


def test_imagen_answers_in_webp_and_grounding_works_on_gemini_3_pro_image(sdk: OpenAI) -> None:
    imagen = sdk.images.generate(model="imagen-4.0-generate-001", prompt=SHEEP)
    grounded = sdk.images.generate(
        model="gemini-3-pro-image-preview",
        prompt=SHEEP,
        extra_body={"extra_body": {"google": {"tools": [{"google_search": {}}]}}},
    )

    assert decoded(imagen.data[0].b64_json).format == "WEBP"
    assert decoded(grounded.data[0].b64_json).format == "PNG"


def test_candidate_count_in_generation_config_stands_in_for_n(sdk: OpenAI) -> None:
    reply = sdk.images.generate(
        model="gemini-2.5-flash-image",
        prompt=SHEEP,
        extra_body={
            "extra_body": {
                "google": {
                    "generation_config": {"responseModalities": ["IMAGE"], "candidateCount": 2}
                }
            }
        },
    )

    assert len(reply.data) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"model": "gemini-2.5-flash-image", "prompt": "  "},
            "prompt is required: describe the image to generate.",
        ),
        (
            {"model": "gemini-2.5-flash-image", "prompt": "x", "n": 5},
            "Invalid n: 5. It must be between 1 and 4.",
        ),
        (
            {"model": "gemini-2.5-flash-image", "prompt": "x", "n": 0},
            "Invalid n: 0. It must be between 1 and 4.",
        ),
        (
            {"model": "gemini-2.5-flash-image", "prompt": "x", "size": "10x10"},
            'Invalid size: "10x10".',
        ),
        (
            {"model": "gemini-2.5-flash-image", "prompt": "x", "response_format": "url"},
            "Only b64_json is supported.",
        ),
        (
            {"model": "gemini-2.5-flash", "prompt": "x"},
            "models/gemini-2.5-flash is a chat model and cannot generate images",
        ),
        (
            {
                "model": "gemini-2.5-flash-image",
                "prompt": "x",
                "extra_body": {"google": {"aspect_ratio": "7:5"}},
            },
            'Invalid aspect_ratio: "7:5".',
        ),
        (
            {
                "model": "gemini-2.5-flash-image",
                "prompt": "x",
                "extra_body": {"google": {"tools": [{"google_search": {}}]}},
            },
            "not supported by gemini-2.5-flash-image",
        ),
        (
            {
                "model": "gemini-2.5-flash-image",
                "prompt": "x",
                "extra_body": {
                    "google": {
                        "safety_settings": [
                            {"category": "HARM_CATEGORY_X", "threshold": "BLOCK_NONE"}
                        ]
                    }
                },
            },
            "safety_settings[0].category",
        ),
        (
            {
                "model": "gemini-2.5-flash-image",
                "prompt": "x",
                "extra_body": {"google": {"generation_config": {"responseModalities": ["TEXT"]}}},
            },
            "needs IMAGE",
        ),
    ],
)
def test_it_refuses_bad_requests_with_a_clear_gemini_error(
    served: ServedPlayground, body: dict, message: str
) -> None:
    response = post_raw(served.emulator_url, "images/generations", body)

    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["status"] == "INVALID_ARGUMENT"
    assert message in error["message"]


def test_an_unknown_model_is_geminis_not_found(served: ServedPlayground) -> None:
    response = post_raw(
        served.emulator_url, "images/generations", {"model": "imagen-9", "prompt": "x"}
    )

    assert response.status_code == 404
    assert error_of(response)["message"].startswith("models/imagen-9 is not found")


def test_fields_the_seed_does_not_list_are_silently_ignored(served: ServedPlayground) -> None:
    body = {"model": "gemini-2.5-flash-image", "prompt": "x", "quality": "hd", "style": "vivid"}

    assert post_raw(served.emulator_url, "images/generations", body).status_code == 200
