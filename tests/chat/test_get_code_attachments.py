""" "Get code" on a reply with attachments: the snippets read each file from disk instead of
holding its base64, and run as shown, the emulator receives the very body the reply sent."""

from __future__ import annotations

import base64
import io
import os
import random
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from PIL import Image

from playground.get_code.snippets import snippets_render
from playground.llm.code_requests import CodeRequest, chat_code_request
from playground.llm.content_parts import ContentPart
from playground.llm.runspec import Message, RunSpec
from tests.chat.test_get_code import received


def noise_png() -> bytes:
    pixels = random.Random(7).randbytes(32 * 32 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (32, 32), pixels).save(buffer, "PNG")
    return buffer.getvalue()


def silence_wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(bytes(3200))
    return buffer.getvalue()


def a_spec() -> RunSpec:
    png = base64.b64encode(noise_png()).decode()
    parts = (
        ContentPart.of_text("Describe the picture and the sound."),
        ContentPart.of_image(f"data:image/png;base64,{png}"),
        ContentPart.of_audio(base64.b64encode(silence_wav()).decode(), "wav"),
    )
    return RunSpec(
        provider="emulator",
        model="gemini-2.5-flash",
        messages=(Message(role="user", content=parts),),
        stream=False,
    )


@pytest.fixture
def code(emulator_url: str, tmp_path: Path) -> CodeRequest:
    request = chat_code_request(a_spec(), base_url=emulator_url)
    for read in request.files:
        (tmp_path / read.path).write_bytes(base64.b64decode(read.base64_text))
    return request


def run(command: list[str], cwd: Path) -> None:
    done = subprocess.run(
        command, cwd=cwd, env={**os.environ, "GEMINI_API_KEY": "exported-key"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_the_files_are_named_and_never_inlined(code: CodeRequest) -> None:
    snippets = snippets_render(code=code)

    assert code.file_names == ["image_1.png", "audio_1.wav"]
    for snippet in snippets:
        assert base64.b64encode(noise_png()).decode()[:100] not in snippet.code


def test_the_python_snippet_reads_the_files_and_sends_the_same_body(
    code: CodeRequest, emulator_url: str, tmp_path: Path
) -> None:
    (tmp_path / "snippet.py").write_text(snippets_render(code=code)[0].code)

    run([sys.executable, "snippet.py"], tmp_path)

    assert received(emulator_url)[-1] == a_spec().request_body()


def test_the_curl_snippet_reads_the_files_and_sends_the_same_body(
    code: CodeRequest, emulator_url: str, tmp_path: Path
) -> None:
    run(["bash", "-c", snippets_render(code=code)[2].code], tmp_path)

    assert received(emulator_url)[-1] == a_spec().request_body()


def test_the_javascript_snippet_reads_the_files_and_sends_the_same_body(
    code: CodeRequest, emulator_url: str, tmp_path: Path, node_openai: Path
) -> None:
    for read in code.files:
        (node_openai / read.path).write_bytes((tmp_path / read.path).read_bytes())
    (node_openai / "attachments_snippet.mjs").write_text(snippets_render(code=code)[1].code)

    run(["node", "attachments_snippet.mjs"], node_openai)

    assert received(emulator_url)[-1] == a_spec().request_body()
