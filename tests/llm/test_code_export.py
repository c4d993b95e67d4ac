""" "Get code" for a chat request: the snippets print the RunSpec's own body."""

from __future__ import annotations

import base64
import io

from PIL import Image

from playground.get_code.snippets import snippets_render
from playground.llm.code_requests import chat_code_request
from playground.llm.content_parts import ContentPart
from playground.llm.runspec import Message, RunSpec

EMULATOR = "http://127.0.0.1:8000/emulator/v1beta/openai/"


def a_spec(**overrides) -> RunSpec:
    values = {
        "provider": "emulator",
        "model": "gemini-3-flash-preview",
        "messages": (
            Message(role="system", content="You are a helpful assistant."),
            Message(role="user", content='Explain "quotes", $dollars, `ticks` and it\'s'),
        ),
        "reasoning_effort": "low",
        "include_thoughts": True,
        "service_tier": "flex",
    }
    return RunSpec(**(values | overrides))


def code_for(spec: RunSpec, base_url: str = EMULATOR) -> dict[str, str]:
    snippets = snippets_render(code=chat_code_request(spec, base_url=base_url))
    return {snippet.language: snippet.code for snippet in snippets}


def test_python_nests_gemini_options_under_a_literal_extra_body():
    code = code_for(a_spec())["python"]
    assert 'api_key=os.environ["GEMINI_API_KEY"]' in code
    assert 'extra_body={\n        "extra_body": {\n            "google": {' in code
    assert 'reasoning_effort="low",' in code and 'service_tier="flex",' in code
    assert "stream=True," in code and "for chunk in response:" in code
    compile(code, "<snippet>", "exec")


def test_javascript_sends_extra_body_as_a_parameter_and_reads_the_key_from_the_environment():
    code = code_for(a_spec(stream=False))["javascript"]
    assert "apiKey: process.env.GEMINI_API_KEY," in code
    assert "extra_body: {\n    google: {\n      thinking_config: {" in code
    assert "console.log(response.choices[0].message);" in code


def test_curl_quotes_the_body_for_the_shell():
    code = code_for(a_spec())["curl"]
    assert code.startswith(f'curl "{EMULATOR}chat/completions"')
    assert '-H "Authorization: Bearer $GEMINI_API_KEY"' in code
    assert "it'\\''s" in code


def test_a_base_url_without_a_slash_still_reaches_the_endpoint():
    code = code_for(a_spec(), base_url=EMULATOR.rstrip("/"))["curl"]
    assert code.startswith(f'curl "{EMULATOR}chat/completions"')


def test_the_real_key_never_appears(settings):
    settings.GEMINI_API_KEY = "AIza-very-secret-key"
    code = code_for(a_spec(provider="gemini"), base_url=settings.GEMINI_BASE_URL)
    for text in code.values():
        assert "AIza-very-secret-key" not in text


def test_large_images_are_read_from_a_file_in_every_language():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(buffer, "PNG")
    png = buffer.getvalue() * 10  # big enough to be worth a file
    data_url = "data:image/png;base64," + base64.b64encode(png).decode()
    message = Message(role="user", content=data_url)
    request = chat_code_request(a_spec(messages=(message,)), base_url=EMULATOR)
    code = code_for(a_spec(messages=(message,)))

    assert request.file_names == ["image_1.png"]
    assert base64.b64decode(request.files[0].base64_text) == png
    assert '"data:image/png;base64," + encode_file("image_1.png")' in code["python"]
    assert 'fs.readFileSync(path).toString("base64")' in code["javascript"]
    assert '"data:image/png;base64," + encodeFile("image_1.png")' in code["javascript"]
    assert 'IMAGE_1=$(base64 -w0 "image_1.png")' in code["curl"]
    assert "data:image/png;base64,${IMAGE_1}" in code["curl"]
    assert base64.b64encode(png).decode()[:200] not in "".join(code.values())


def test_each_attached_file_gets_its_own_numbered_name():
    image = base64.b64encode(b"\x89PNG" + bytes(2_000)).decode()
    audio = base64.b64encode(b"RIFF" + bytes(2_000)).decode()
    parts = (
        ContentPart.of_text("What is in these?"),
        ContentPart.of_image("data:image/png;base64," + image),
        ContentPart.of_image("data:image/jpeg;base64," + image),
        ContentPart.of_audio(audio, "wav"),
    )
    spec = a_spec(messages=(Message(role="user", content=parts),))

    request = chat_code_request(spec, base_url=EMULATOR)

    assert request.file_names == ["image_1.png", "image_2.jpg", "audio_1.wav"]
    assert 'AUDIO_1=$(base64 -w0 "audio_1.wav")' in code_for(spec)["curl"]
    assert '"data": encode_file("audio_1.wav")' in code_for(spec)["python"]
