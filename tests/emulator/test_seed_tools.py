"""The seed page's function-calling and structured-output examples, run unchanged but for the
address and the key: Python with the openai package, JavaScript with node and the `openai` npm
package (plus `zod`, which the structured-output example imports), and curl.

The examples are copied from Google's page "OpenAI compatibility"
(ai.google.dev/gemini-api/docs/openai, the 2026 version kept as seed 004). That copy lost the
code's indentation; the Python examples have it back, as Python needs it. Nothing else changed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.emulator.conftest import KEY
from tests.servers import ServedPlayground

GOOGLE = "https://generativelanguage.googleapis.com/v1beta/openai"

PYTHON_FUNCTION_CALLING = """from openai import OpenAI
client = OpenAI(
    api_key="GEMINI_API_KEY",
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/"
)
tools = [
  {
    "type": "function",
    "function": {
      "name": "get_weather",
      "description": "Get the weather in a given location",
      "parameters": {
        "type": "object",
        "properties": {
          "location": {
            "type": "string",
            "description": "The city and state, e.g. Chicago, IL",
          },
          "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["location"],
      },
    }
  }
]
messages = [{"role": "user", "content": "What's the weather like in Chicago today?"}]
response = client.chat.completions.create(
  model="gemini-3-flash-preview",
  messages=messages,
  tools=tools,
  tool_choice="auto"
)
print(response)
"""

PYTHON_STRUCTURED_OUTPUT = """from pydantic import BaseModel
from openai import OpenAI
client = OpenAI(
    api_key="GEMINI_API_KEY",
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/"
)
class CalendarEvent(BaseModel):
    name: str
    date: str
    participants: list[str]
completion = client.beta.chat.completions.parse(
    model="gemini-3-flash-preview",
    messages=[
        {"role": "system", "content": "Extract the event information."},
        {"role": "user", "content": "John and Susan are going to an AI conference on Friday."},
    ],
    response_format=CalendarEvent,
)
print(completion.choices[0].message.parsed)
"""

JS_FUNCTION_CALLING = """import OpenAI from "openai";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/"
});
async function main() {
const messages = [{"role": "user", "content": "What's the weather like in Chicago today?"}];
const tools = [
{
"type": "function",
"function": {
"name": "get_weather",
"description": "Get the weather in a given location",
"parameters": {
"type": "object",
"properties": {
"location": {
"type": "string",
"description": "The city and state, e.g. Chicago, IL",
},
"unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
},
"required": ["location"],
},
}
}
];
const response = await openai.chat.completions.create({
model: "gemini-3-flash-preview",
messages: messages,
tools: tools,
tool_choice: "auto",
});
console.log(response);
}
main();
"""

JS_STRUCTURED_OUTPUT = """import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
const openai = new OpenAI({
apiKey: "GEMINI_API_KEY",
baseURL: "https://generativelanguage.googleapis.com/v1beta/openai"
});
const CalendarEvent = z.object({
name: z.string(),
date: z.string(),
participants: z.array(z.string()),
});
const completion = await openai.chat.completions.parse({
model: "gemini-3-flash-preview",
messages: [
{ role: "system", content: "Extract the event information." },
{ role: "user", content: "John and Susan are going to an AI conference on Friday" },
],
response_format: zodResponseFormat(CalendarEvent, "event"),
});
const event = completion.choices[0].message.parsed;
console.log(event);
"""

CURL_FUNCTION_CALLING = r"""
curl "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions" \
-H "Content-Type: application/json" \
-H "Authorization: Bearer GEMINI_API_KEY" \
-d '{
"model": "gemini-3-flash-preview",
"messages": [
{
"role": "user",
"content": "What'\''s the weather like in Chicago today?"
}
],
"tools": [
{
"type": "function",
"function": {
"name": "get_weather",
"description": "Get the current weather in a given location",
"parameters": {
"type": "object",
"properties": {
"location": {
"type": "string",
"description": "The city and state, e.g. Chicago, IL"
},
"unit": {
"type": "string",
"enum": ["celsius", "fahrenheit"]
}
},
"required": ["location"]
}
}
}
],
"tool_choice": "auto"
}'
"""


def pointed_at(example: str, served: ServedPlayground) -> str:
    """The example with the emulator's address (with or without the final slash) and a key."""
    address = served.emulator_url.rstrip("/")
    return example.replace(GOOGLE, address).replace("GEMINI_API_KEY", KEY)


def run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_python_function_calling_example_gets_a_call(
    served: ServedPlayground, tmp_path: Path
) -> None:
    script = tmp_path / "function_calling.py"
    script.write_text(pointed_at(PYTHON_FUNCTION_CALLING, served))

    printed = run([sys.executable, str(script)], tmp_path)

    assert "finish_reason='tool_calls'" in printed
    assert "name='get_weather'" in printed
    assert """arguments='{"location":"Chicago"}'""" in printed
    assert "'thought_signature':" in printed  # Gemini 3 signs the call


def test_the_python_structured_output_example_parses_the_event(
    served: ServedPlayground, tmp_path: Path
) -> None:
    script = tmp_path / "structured_output.py"
    script.write_text(pointed_at(PYTHON_STRUCTURED_OUTPUT, served))

    printed = run([sys.executable, str(script)], tmp_path)

    assert printed.strip() == "name='AI conference' date='Friday' participants=['John', 'Susan']"


def test_the_javascript_function_calling_example_gets_a_call(
    served: ServedPlayground, node_openai: Path
) -> None:
    script = node_openai / "seed_function_calling.mjs"
    script.write_text(pointed_at(JS_FUNCTION_CALLING, served))

    printed = run(["node", script.name], node_openai)

    assert "finish_reason: 'tool_calls'" in printed
    assert "object: 'chat.completion'" in printed


def test_the_javascript_structured_output_example_parses_the_event(
    served: ServedPlayground, node_openai: Path
) -> None:
    script = node_openai / "seed_structured_output.mjs"
    script.write_text(pointed_at(JS_STRUCTURED_OUTPUT, served))

    printed = run(["node", script.name], node_openai)

    assert " ".join(printed.split()) == (
        "{ name: 'AI conference', date: 'Friday', participants: [ 'John', 'Susan' ] }"
    )


def test_the_curl_function_calling_example_gets_a_call(
    served: ServedPlayground, tmp_path: Path
) -> None:
    printed = run(["bash", "-c", pointed_at(CURL_FUNCTION_CALLING, served)], tmp_path)

    assert '"finish_reason":"tool_calls"' in printed
    assert '"arguments":"{\\"location\\":\\"Chicago\\"}"' in printed
