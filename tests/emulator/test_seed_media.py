"""Google's image and audio understanding examples (seed 004) against the served emulator.

Each runs as published but for the base URL and the file it reads. The Python examples carry
the indentation of the same code in seed 003 (seed 004's text lost it); the JavaScript and curl
examples are seed 004's text as it stands.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.media import files
from tests.servers import ServedPlayground

# The multiplication sign replies and notes use, as in "640 by 480".
BY = "\u00d7"

GOOGLE = "https://generativelanguage.googleapis.com/v1beta/openai/"
SEED_IMAGE = "Path/to/agi/image.jpeg"
SEED_AUDIO = "/path/to/your/audio/file.wav"

PYTHON_IMAGE = """import base64
from openai import OpenAI

client = OpenAI(
    api_key="GEMINI_API_KEY",
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/"
)

# Function to encode the image
def encode_image(image_path):
  with open(image_path, "rb") as image_file:
    return base64.b64encode(image_file.read()).decode('utf-8')

# Getting the base64 string
base64_image = encode_image("Path/to/agi/image.jpeg")

response = client.chat.completions.create(
  model="gemini-3-flash-preview",
  messages=[
    {
      "role": "user",
      "content": [
        {
          "type": "text",
          "text": "What is in this image?",
        },
        {
          "type": "image_url",
          "image_url": {
            "url": f"data:image/jpeg;base64,{base64_image}"
          },
        },
      ],
    }
  ],
)

print(response.choices[0])
"""

PYTHON_AUDIO = """import base64
from openai import OpenAI

client = OpenAI(
    api_key="GEMINI_API_KEY",
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/"
)

with open("/path/to/your/audio/file.wav", "rb") as audio_file:
  base64_audio = base64.b64encode(audio_file.read()).decode('utf-8')

response = client.chat.completions.create(
    model="gemini-3-flash-preview",
    messages=[
    {
      "role": "user",
      "content": [
        {
          "type": "text",
          "text": "Transcribe this audio",
        },
        {
              "type": "input_audio",
              "input_audio": {
                "data": base64_audio,
                "format": "wav"
          }
        }
      ],
    }
  ],
)

print(response.choices[0].message.content)
"""

JAVASCRIPT_IMAGE = """import OpenAI from "openai";
import fs from 'fs/promises';
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/"
});
async function encodeImage(imagePath) {
try {
const imageBuffer = await fs.readFile(imagePath);
return imageBuffer.toString('base64');
} catch (error) {
console.error("Error encoding image:", error);
return null;
}
}
async function main() {
const imagePath = "Path/to/agi/image.jpeg";
const base64Image = await encodeImage(imagePath);
const messages = [
{
"role": "user",
"content": [
{
"type": "text",
"text": "What is in this image?",
},
{
"type": "image_url",
"image_url": {
"url": `data:image/jpeg;base64,${base64Image}`
},
},
],
}
];
try {
const response = await openai.chat.completions.create({
model: "gemini-3-flash-preview",
messages: messages,
});
console.log(response.choices[0]);
} catch (error) {
console.error("Error calling Gemini API:", error);
}
}
main();
"""

JAVASCRIPT_AUDIO = """import fs from "fs";
import OpenAI from "openai";
const client = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/",
});
const audioFile = fs.readFileSync("/path/to/your/audio/file.wav");
const base64Audio = Buffer.from(audioFile).toString("base64");
async function main() {
const response = await client.chat.completions.create({
model: "gemini-3-flash-preview",
messages: [
{
role: "user",
content: [
{
type: "text",
text: "Transcribe this audio",
},
{
type: "input_audio",
input_audio: {
data: base64Audio,
format: "wav",
},
},
],
},
],
});
console.log(response.choices[0].message.content);
}
main();
"""

CURL_IMAGE = r"""bash -c '
base64_image=$(base64 -i "Path/to/agi/image.jpeg");
curl "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions" \
-H "Content-Type: application/json" \
-H "Authorization: Bearer GEMINI_API_KEY" \
-d "{
\"model\": \"gemini-3-flash-preview\",
\"messages\": [
{
\"role\": \"user\",
\"content\": [
{ \"type\": \"text\", \"text\": \"What is in this image?\" },
{
\"type\": \"image_url\",
\"image_url\": { \"url\": \"data:image/jpeg;base64,${base64_image}\" }
}
]
}
]
}"
'
"""

CURL_AUDIO = r"""bash -c '
base64_audio=$(base64 -i "/path/to/your/audio/file.wav");
curl "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions" \
-H "Content-Type: application/json" \
-H "Authorization: Bearer GEMINI_API_KEY" \
-d "{
\"model\": \"gemini-3-flash-preview\",
\"messages\": [
{
\"role\": \"user\",
\"content\": [
{ \"type\": \"text\", \"text\": \"Transcribe this audio file.\" },
{
\"type\": \"input_audio\",
\"input_audio\": {
\"data\": \"${base64_audio}\",
\"format\": \"wav\"
}
}
]
}
]
}"
'
"""


@pytest.fixture
def media_files(tmp_path: Path) -> dict[str, Path]:
    image, audio = tmp_path / "image.jpeg", tmp_path / "file.wav"
    image.write_bytes(files.picture((64, 48), image_format="JPEG"))
    audio.write_bytes(files.wav(1.5, rate=16000))
    return {SEED_IMAGE: image, SEED_AUDIO: audio}


def pointed(script: str, served: ServedPlayground, media_files: dict[str, Path]) -> str:
    script = script.replace(GOOGLE, served.emulator_url)
    for seed_path, real_path in media_files.items():
        script = script.replace(seed_path, str(real_path))
    return script


def run(command: list[str], **options) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, **options)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_python_image_example_is_told_the_picture_it_sent(served, media_files, tmp_path):
    script = tmp_path / "image.py"
    script.write_text(pointed(PYTHON_IMAGE, served, media_files))

    printed = run([sys.executable, str(script)])

    assert printed.startswith("Choice(") and "role='assistant'" in printed
    assert f"image 1: JPEG 64{BY}48" in printed


def test_the_python_audio_example_is_told_how_long_the_recording_is(served, media_files, tmp_path):
    script = tmp_path / "audio.py"
    script.write_text(pointed(PYTHON_AUDIO, served, media_files))

    printed = run([sys.executable, str(script)])

    assert "You asked: “Transcribe this audio”" in printed
    assert "audio clip 1: WAV 1.50 s, 16,000 Hz mono" in printed


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (JAVASCRIPT_IMAGE, f"image 1: JPEG 64{BY}48"),
        (JAVASCRIPT_AUDIO, "audio clip 1: WAV 1.50 s, 16,000 Hz mono"),
    ],
    ids=["image", "audio"],
)
def test_the_javascript_examples_run_with_node(
    served, media_files, node_openai: Path, script, expected
):
    path = node_openai / f"seed_media_{len(script)}.mjs"
    path.write_text(pointed(script, served, media_files))

    printed = run(["node", path.name], cwd=node_openai)

    assert expected in printed and "Error calling Gemini API" not in printed


@pytest.fixture
def macos_base64(tmp_path: Path) -> dict[str, str]:
    """The curl examples were written on macOS, where `base64 -i FILE` reads FILE on one line.

    GNU base64 reads `-i` as --ignore-garbage and wraps at 76 columns, which would put raw
    newlines inside the JSON string; this stand-in behaves as the page's author's base64 did.
    """
    gnu = shutil.which("base64")
    folder = tmp_path / "bin"
    folder.mkdir()
    stand_in = folder / "base64"
    stand_in.write_text(
        f'#!/bin/sh\nif [ "$1" = "-i" ]; then exec {gnu} -w0 "$2"; fi\nexec {gnu} "$@"\n'
    )
    stand_in.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (CURL_IMAGE, f"image 1: JPEG 64{BY}48"),
        (CURL_AUDIO, "audio clip 1: WAV 1.50 s, 16,000 Hz mono"),
    ],
    ids=["image", "audio"],
)
def test_the_curl_examples_run_in_bash(served, media_files, macos_base64, script, expected):
    printed = run(["bash", "-c", pointed(script, served, media_files)], env=macos_base64)

    assert '"object":"chat.completion"' in printed
    assert expected in printed
