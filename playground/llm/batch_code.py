""" "Get code" for the embeddings lab and the batch workbench: Python, JavaScript and curl.

Written in the style of Google's page (seed 004), from the same values the playground sent:
the provider's address, the model, the texts, the endpoint. The key is always the placeholder
`GEMINI_API_KEY`, never a real one. The batch flow follows Google's example (genai SDK for the
file, openai SDK for the batch) with its slips mended: the retrieve call uses the OpenAI
client, and the uploaded file's name is what the batch is created from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from playground.llm.batches import files_root_url
from playground.llm.embeddings import EmbeddingSpec
from playground.llm.providers import Provider

KEY_PLACEHOLDER = "GEMINI_API_KEY"
GEMINI_FILES_ROOT = "https://generativelanguage.googleapis.com/"
JS_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
INLINE_WIDTH = 60


@dataclass(frozen=True, slots=True)
class CodeSnippets:
    python: str
    javascript: str
    curl: str

    def tabs(self) -> list[tuple[str, str, str]]:
        """(key, label, code) in the order the page shows them."""
        return [
            ("python", "Python", self.python),
            ("javascript", "JavaScript", self.javascript),
            ("curl", "curl", self.curl),
        ]


def _python(value: Any, indent: int = 0) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "True", False: "False", None: "None"}[value]
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        items = [f"{_python(k)}: {_python(v, indent + 4)}" for k, v in value.items()]
        return _wrap(items, "{", "}", indent, 4)
    items = [_python(item, indent + 4) for item in value]
    return _wrap(items, "[", "]", indent, 4)


def _javascript(value: Any, indent: int = 0) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, str | int | float):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = [
            f"{k if JS_IDENTIFIER.match(k) else json.dumps(k)}: {_javascript(v, indent + 2)}"
            for k, v in value.items()
        ]
        return _wrap(items, "{", "}", indent, 2, spaced=True)
    items = [_javascript(item, indent + 2) for item in value]
    return _wrap(items, "[", "]", indent, 2)


def _wrap(
    items: list[str], opening: str, closing: str, indent: int, step: int, spaced: bool = False
) -> str:
    inline = ", ".join(items)
    if len(inline) <= INLINE_WIDTH and "\n" not in inline:
        pad = " " if spaced and items else ""
        return f"{opening}{pad}{inline}{pad}{closing}"
    inner = " " * (indent + step)
    lines = "".join(f"{inner}{item},\n" for item in items)
    return f"{opening}\n{lines}{' ' * indent}{closing}"


def _shell_quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _python_kwargs(arguments: dict[str, Any]) -> str:
    return "".join(f"    {name}={_python(value, 4)},\n" for name, value in arguments.items())


def embedding_code(provider: Provider, spec: EmbeddingSpec) -> CodeSnippets:
    body = spec.request_body()
    ordered = {"model": body["model"], "input": body["input"]}
    if "dimensions" in body:
        ordered["dimensions"] = body["dimensions"]
    base = provider.base_url
    python = (
        "from openai import OpenAI\n\n"
        "client = OpenAI(\n"
        f'    api_key="{KEY_PLACEHOLDER}",\n'
        f"    base_url={_python(base)}\n"
        ")\n\n"
        "response = client.embeddings.create(\n"
        f"{_python_kwargs(ordered)}"
        ")\n"
        "for item in response.data:\n"
        "    print(item.index, len(item.embedding), item.embedding[:4])\n"
    )
    javascript = (
        'import OpenAI from "openai";\n\n'
        "const openai = new OpenAI({\n"
        f'  apiKey: "{KEY_PLACEHOLDER}",\n'
        f"  baseURL: {_javascript(base)}\n"
        "});\n\n"
        "async function main() {\n"
        f"  const embedding = await openai.embeddings.create({_javascript(ordered, 2)});\n"
        "  console.log(embedding);\n"
        "}\n\n"
        "main();\n"
    )
    curl = (
        f"curl {_shell_quoted(base + 'embeddings')} \\\n"
        '-H "Content-Type: application/json" \\\n'
        f'-H "Authorization: Bearer {KEY_PLACEHOLDER}" \\\n'
        f"-d {_shell_quoted(json.dumps(ordered, indent=2, ensure_ascii=False))}\n"
    )
    return CodeSnippets(python=python, javascript=javascript, curl=curl)


def _genai_python(root: str) -> str:
    if root == GEMINI_FILES_ROOT:
        return f'client = genai.Client(api_key="{KEY_PLACEHOLDER}")\n'
    return (
        "client = genai.Client(\n"
        f'    api_key="{KEY_PLACEHOLDER}",\n'
        f"    http_options=types.HttpOptions(base_url={_python(root)}),\n"
        ")\n"
    )


def _genai_javascript(root: str) -> str:
    if root == GEMINI_FILES_ROOT:
        return f'const ai = new GoogleGenAI({{ apiKey: "{KEY_PLACEHOLDER}" }});\n'
    return (
        "const ai = new GoogleGenAI({\n"
        f'  apiKey: "{KEY_PLACEHOLDER}",\n'
        f"  httpOptions: {{ baseUrl: {_javascript(root)} }},\n"
        "});\n"
    )


def batch_code(
    provider: Provider, *, endpoint: str, file_name: str, display_name: str
) -> CodeSnippets:
    """Upload `file_name`, create the batch, wait for it, download its output."""
    root, base = files_root_url(provider), provider.base_url
    return CodeSnippets(
        python=_batch_python(root, base, endpoint, file_name, display_name),
        javascript=_batch_javascript(root, base, endpoint, file_name, display_name),
        curl=_batch_curl(root, base, endpoint, file_name, display_name),
    )


def _batch_python(root: str, base: str, endpoint: str, file_name: str, display: str) -> str:
    return (
        "import time\n\n"
        "from google import genai\n"
        "from google.genai import types\n"
        "from openai import OpenAI\n\n"
        "# Regular genai client for uploads & downloads\n"
        f"{_genai_python(root)}"
        "openai_client = OpenAI(\n"
        f'    api_key="{KEY_PLACEHOLDER}",\n'
        f"    base_url={_python(base)}\n"
        ")\n\n"
        "# Upload the JSONL file in OpenAI input format, using regular genai SDK\n"
        "uploaded_file = client.files.upload(\n"
        f"    file={_python(file_name)},\n"
        f"    config=types.UploadFileConfig(display_name={_python(display)}, "
        'mime_type="jsonl"),\n'
        ")\n\n"
        "# Create batch\n"
        "batch = openai_client.batches.create(\n"
        "    input_file_id=uploaded_file.name,\n"
        f"    endpoint={_python(endpoint)},\n"
        '    completion_window="24h",\n'
        ")\n\n"
        "# Wait for batch to finish (up to 24h)\n"
        "while True:\n"
        "    batch = openai_client.batches.retrieve(batch.id)\n"
        '    if batch.status in ("completed", "failed", "cancelled", "expired"):\n'
        "        break\n"
        '    print(f"Batch not finished. Current state: {batch.status}. Waiting 30 seconds...")\n'
        "    time.sleep(30)\n\n"
        'print(f"Batch finished: {batch}")\n\n'
        "# Download results in OpenAI output format, using regular genai SDK\n"
        'file_content = client.files.download(file=batch.output_file_id).decode("utf-8")\n'
        "for line in file_content.splitlines():\n"
        "    print(line)\n"
    )


def _batch_javascript(root: str, base: str, endpoint: str, file_name: str, display: str) -> str:
    return (
        'import { GoogleGenAI } from "@google/genai";\n'
        'import OpenAI from "openai";\n\n'
        "// Regular genai client for uploads & downloads\n"
        f"{_genai_javascript(root)}"
        "const openai = new OpenAI({\n"
        f'  apiKey: "{KEY_PLACEHOLDER}",\n'
        f"  baseURL: {_javascript(base)}\n"
        "});\n\n"
        "async function main() {\n"
        "  const uploadedFile = await ai.files.upload({\n"
        f"    file: {_javascript(file_name)},\n"
        f'    config: {{ displayName: {_javascript(display)}, mimeType: "jsonl" }},\n'
        "  });\n\n"
        "  let batch = await openai.batches.create({\n"
        "    input_file_id: uploadedFile.name,\n"
        f"    endpoint: {_javascript(endpoint)},\n"
        '    completion_window: "24h",\n'
        "  });\n\n"
        '  while (!["completed", "failed", "cancelled", "expired"].includes(batch.status)) {\n'
        "    console.log(`Batch not finished. Current state: ${batch.status}. "
        "Waiting 30 seconds...`);\n"
        "    await new Promise((resolve) => setTimeout(resolve, 30000));\n"
        "    batch = await openai.batches.retrieve(batch.id);\n"
        "  }\n"
        '  console.log("Batch finished:", batch);\n\n'
        "  await ai.files.download({\n"
        "    file: batch.output_file_id,\n"
        '    downloadPath: "batch-output.jsonl",\n'
        "  });\n"
        "}\n\n"
        "main();\n"
    )


def _batch_curl(root: str, base: str, endpoint: str, file_name: str, display: str) -> str:
    start = json.dumps({"file": {"display_name": display}}, ensure_ascii=False)
    create = (
        '{"input_file_id": "\'"${FILE_NAME}"\'", '
        f'"endpoint": {json.dumps(endpoint)}, "completion_window": "24h"}}'
    )
    return (
        "# The first string value of a JSON field (jq does this too, if you have it)\n"
        'json_field() { grep -o "\\"$1\\": *\\"[^\\"]*\\"" "$2" | head -1 | cut -d\'"\' -f4; }\n\n'
        "# 1. Start a resumable upload of the JSONL file\n"
        f"NUM_BYTES=$(wc -c < {_shell_quoted(file_name)})\n"
        f"curl {_shell_quoted(root + 'upload/v1beta/files')} \\\n"
        "-D upload-header.tmp \\\n"
        f'-H "x-goog-api-key: {KEY_PLACEHOLDER}" \\\n'
        '-H "X-Goog-Upload-Protocol: resumable" \\\n'
        '-H "X-Goog-Upload-Command: start" \\\n'
        '-H "X-Goog-Upload-Header-Content-Length: ${NUM_BYTES}" \\\n'
        '-H "X-Goog-Upload-Header-Content-Type: jsonl" \\\n'
        '-H "Content-Type: application/json" \\\n'
        f"-d {_shell_quoted(start)}\n"
        'UPLOAD_URL=$(grep -i "x-goog-upload-url: " upload-header.tmp '
        '| cut -d" " -f2 | tr -d "\\r")\n\n'
        "# 2. Send the bytes and finish the upload\n"
        'curl "${UPLOAD_URL}" \\\n'
        '-H "Content-Length: ${NUM_BYTES}" \\\n'
        '-H "X-Goog-Upload-Offset: 0" \\\n'
        '-H "X-Goog-Upload-Command: upload, finalize" \\\n'
        f"--data-binary {_shell_quoted('@' + file_name)} > file-info.json\n"
        "FILE_NAME=$(json_field name file-info.json)\n\n"
        "# 3. Create the batch\n"
        f"curl {_shell_quoted(base + 'batches')} \\\n"
        '-H "Content-Type: application/json" \\\n'
        f'-H "Authorization: Bearer {KEY_PLACEHOLDER}" \\\n'
        f"-d '{create}' > batch.json\n"
        "BATCH_ID=$(json_field id batch.json)\n\n"
        "# 4. Ask again until the status is completed (the id holds a slash: send it as %2F)\n"
        f'curl "{base}batches/${{BATCH_ID//\\//%2F}}" \\\n'
        f'-H "Authorization: Bearer {KEY_PLACEHOLDER}" > batch.json\n'
        "json_field status batch.json\n\n"
        "# 5. Download the results in OpenAI output format\n"
        "OUTPUT_FILE=$(json_field output_file_id batch.json)\n"
        f'curl "{root}download/v1beta/files/${{OUTPUT_FILE#files/}}:download?alt=media" \\\n'
        f'-H "x-goog-api-key: {KEY_PLACEHOLDER}" \\\n'
        "-o batch-output.jsonl\n"
    )
