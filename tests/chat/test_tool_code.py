""" "Get code" on the last reply of a tool loop reproduces the whole loop: the snippets send
the calls (signatures included) and the results, and the emulator receives the same body."""

from __future__ import annotations

import html
import os
import subprocess
import sys

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse

from playground.chat.models import Conversation, Turn
from playground.llm.runspec import RunSpec
from tests.chat.conftest import Socket
from tests.chat.test_get_code import CODE, received
from tests.chat.test_tool_loop import FINAL_DONE, results_payload, with_tools

pytestmark = pytest.mark.django_db(transaction=True)
MODEL = "gemini-3-flash-preview"


async def a_tool_loop(user) -> None:
    async with Socket(user) as socket:
        await socket.send(**with_tools("What's the weather in Seoul and in Oslo?", MODEL))
        await socket.receive_until(FINAL_DONE, timeout=20)
        conversation = await Conversation.objects.aget(user=user)
        asking = await Turn.objects.filter(conversation=conversation).alast()
        await socket.send(
            **results_payload(conversation.pk, asking.pk, MODEL, result_0="Sunny", result_1="Rain")
        )
        await socket.receive_until(FINAL_DONE, timeout=20)


@pytest.fixture
def loop_and_code(client, make_user, emulator_url):
    user = make_user("looper")
    async_to_sync(a_tool_loop)(user)
    sent = received(emulator_url)[-1]
    turn = Turn.objects.filter(conversation__user=user, role="assistant").last()
    client.force_login(user)
    page = client.get(reverse("chat:turn_code", args=[turn.pk])).content.decode()
    code = {language: html.unescape(text) for language, text in CODE.findall(page)}
    return turn, sent, code


def run(command: list[str], cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        env={**os.environ, "GEMINI_API_KEY": "exported-key"},
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_the_last_runs_spec_holds_the_whole_loop(loop_and_code):
    turn, sent, _ = loop_and_code
    assert RunSpec.from_dict(turn.run_spec).request_body() == sent
    assert [m["role"] for m in sent["messages"]] == ["user", "assistant", "tool", "tool"]
    assert sent["messages"][1]["tool_calls"][0]["extra_content"]["google"]["thought_signature"]


def test_the_python_snippet_replays_the_loop(loop_and_code, emulator_url, tmp_path):
    _, sent, code = loop_and_code
    result = run([sys.executable, "-c", code["Python"]], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "returned" in result.stdout, "the emulator accepted the signed calls and answered"
    assert received(emulator_url)[-1] == sent


def test_the_curl_snippet_replays_the_loop(loop_and_code, emulator_url, tmp_path):
    _, sent, code = loop_and_code
    result = run(["bash", "-c", code["curl"]], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "data: [DONE]" in result.stdout and "missing a thought_signature" not in result.stdout
    assert received(emulator_url)[-1] == sent


def test_the_javascript_snippet_replays_the_loop(loop_and_code, emulator_url, node_openai):
    _, sent, code = loop_and_code
    script = node_openai / "tool_loop_snippet.mjs"
    script.write_text(code["JavaScript"])
    result = run(["node", script.name], node_openai)
    assert result.returncode == 0, result.stderr
    assert received(emulator_url)[-1] == sent
