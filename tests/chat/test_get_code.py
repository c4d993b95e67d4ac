""" "Get code" reproduces the request exactly: each exported snippet, run for real against the
emulator, makes it receive the same JSON body the playground sent for that reply."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse

from playground.chat.models import Turn
from playground.llm.runspec import RunSpec
from tests.chat.conftest import Socket, send_payload

pytestmark = pytest.mark.django_db(transaction=True)
CODE = re.compile(r"<summary>(\w+)</summary>\s*<pre><code[^>]*>(.*?)</code>", re.S)


def received(emulator_url: str) -> list[dict]:
    request = urllib.request.Request(
        emulator_url + "_received", headers={"Authorization": "Bearer test"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return [item["body"] for item in json.load(response)["data"]]


async def a_reply(user, **settings: str) -> None:
    async with Socket(user) as socket:
        await socket.send(**send_payload("Compare 'rivers' and \"lakes\" in $2 words", **settings))
        await socket.receive_until('turn-assistant" data-state="done" hx-swap-oob', timeout=20)


@pytest.fixture
def reply_and_code(client, make_user, emulator_url):
    user = make_user("coder")
    async_to_sync(a_reply)(
        user,
        model="gemini-2.5-flash",
        system_prompt="Answer like a geographer.",
        reasoning_effort="medium",
        service_tier="flex",
        temperature="0.4",
        seed="7",
        n="2",
        stop="THE END",
        cached_content="cachedContents/abc123",
        extra_body='{"google": {"safety_settings": []}}',
    )
    sent = received(emulator_url)[-1]
    turn = Turn.objects.get(conversation__user=user, role="assistant")
    client.force_login(user)
    page = client.get(reverse("chat:turn_code", args=[turn.pk])).content.decode()
    code = {language: html.unescape(text) for language, text in CODE.findall(page)}
    return turn, sent, code


def test_the_saved_run_spec_is_the_request_that_was_sent(reply_and_code):
    turn, sent, _ = reply_and_code
    assert RunSpec.from_dict(turn.run_spec).request_body() == sent
    # Effort medium with thought summaries goes as the budget it stands for on 2.5 Flash:
    # Gemini refuses reasoning_effort next to any thinking_config.
    assert "reasoning_effort" not in sent and sent["service_tier"] == "flex"
    assert sent["extra_body"]["google"]["cached_content"] == "cachedContents/abc123"
    assert sent["extra_body"]["google"]["thinking_config"] == {
        "include_thoughts": True,
        "thinking_budget": 8192,
    }


def test_the_python_snippet_sends_the_same_body(reply_and_code, emulator_url, tmp_path):
    _, sent, code = reply_and_code
    run = subprocess.run(
        [sys.executable, "-c", code["Python"]],
        env={**os.environ, "GEMINI_API_KEY": "exported-key"},
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert received(emulator_url)[-1] == sent


def test_the_curl_snippet_sends_the_same_body(reply_and_code, emulator_url, tmp_path):
    _, sent, code = reply_and_code
    run = subprocess.run(
        ["bash", "-c", code["curl"]],
        env={**os.environ, "GEMINI_API_KEY": "exported-key"},
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "data: [DONE]" in run.stdout
    assert received(emulator_url)[-1] == sent


def test_the_javascript_snippet_sends_the_same_body(reply_and_code, emulator_url, node_openai):
    _, sent, code = reply_and_code
    script = node_openai / "get_code_snippet.mjs"
    script.write_text(code["JavaScript"])
    run = subprocess.run(
        ["node", script.name],
        env={**os.environ, "GEMINI_API_KEY": "exported-key"},
        cwd=node_openai, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert received(emulator_url)[-1] == sent


def test_another_user_cannot_read_the_code(reply_and_code, client, make_user):
    turn, _, _ = reply_and_code
    client.force_login(make_user("mallory"))
    assert client.get(reverse("chat:turn_code", args=[turn.pk])).status_code == 404
