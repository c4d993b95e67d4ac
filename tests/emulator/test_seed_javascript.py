"""The JavaScript examples of Google's page (seed 004), unchanged but for baseURL and apiKey,
run with node and the `openai` npm package against the served emulator."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

GOOGLE = "https://generativelanguage.googleapis.com/v1beta/openai/"

CHAT = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/"
});
const response = await openai.chat.completions.create({
model: "gemini-3-flash-preview",
messages: [
{ role: "system",
content: "You are a helpful assistant."
},
{
role: "user",
content: "Explain to me how AI works",
},
],
});
console.log(response.choices[0].message);
"""

REASONING = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/"
});
const response = await openai.chat.completions.create({
model: "gemini-3-flash-preview",
reasoning_effort: "low",
messages: [
{ role: "system",
content: "You are a helpful assistant."
},
{
role: "user",
content: "Explain to me how AI works",
},
],
});
console.log(response.choices[0].message);
"""

THINKING = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/"
});
const response = await openai.chat.completions.create({
model: "gemini-3-flash-preview",
messages: [{role: "user", content: "Explain to me how AI works",}],
extra_body: {
"google": {
"thinking_config": {
"thinking_level": "low",
"include_thoughts": true
}
}
}
});
console.log(response.choices[0].message);
"""

STREAMING = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/"
});
async function main() {
const completion = await openai.chat.completions.create({
model: "gemini-3-flash-preview",
messages: [
{
"role": "system",
"content": "You are a helpful assistant."
},
{
"role": "user",
"content": "Hello!"
}
],
stream: true,
});
for await (const chunk of completion) {
console.log(chunk.choices[0].delta.content);
}
}
main();
"""

MODELS = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/",
});
async function main() {
const list = await openai.models.list();
for await (const model of list) {
console.log(model);
}
}
main();
"""

RETRIEVE = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/",
});
async function main() {
const model = await openai.models.retrieve("gemini-3-flash-preview");
console.log(model.id);
}
main();
"""


def run_seed(script: str, name: str, node_openai: Path, emulator_url: str) -> str:
    path = node_openai / f"seed_{name}.mjs"
    path.write_text(script.replace(GOOGLE, emulator_url))
    run = subprocess.run(
        ["node", path.name], cwd=node_openai, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture
def seed_js(node_openai: Path, served) -> object:
    return lambda script, name: run_seed(script, name, node_openai, served.emulator_url)


def test_the_chat_example_answers(seed_js):
    out = seed_js(CHAT, "chat")
    assert "role: 'assistant'" in out and "Explain to me how AI works" in out


def test_the_reasoning_effort_example_answers(seed_js):
    assert "role: 'assistant'" in seed_js(REASONING, "reasoning")


def test_the_thinking_example_returns_a_thought_summary(seed_js):
    out = seed_js(THINKING, "thinking")
    assert "<thought>" in out and "</thought>" in out


def test_the_streaming_example_prints_the_deltas(seed_js):
    out = seed_js(STREAMING, "streaming")
    assert "Hello!" in out and out.count("\n") > 3


def test_the_model_examples_list_and_retrieve(seed_js):
    assert "models/gemini-2.5-flash" in seed_js(MODELS, "models")
    assert seed_js(RETRIEVE, "retrieve").strip() == "models/gemini-3-flash-preview"
