""" "Get code" for an image or video request: Python (`openai`), JavaScript (`openai` on npm), curl.

The snippets follow the seed page's examples and send exactly what `ImageRequest` and
`VideoRequest` send. The key is always read from the `GEMINI_API_KEY` environment variable,
never written out; input images are read from files named after the uploads, never inlined.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import Any

from playground.llm.images import ImageRequest
from playground.llm.videos import InputImage, VideoRequest

JS_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
SAFE_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
INDENT = "    "


@dataclass(frozen=True, slots=True)
class CodeSnippet:
    language: str
    label: str
    code: str


@dataclass(frozen=True, slots=True)
class ImageFile:
    """An input image that the code reads from a file (never pasted in as base64)."""

    path: str

    def call(self, style: str) -> str:
        function = "encode_image" if style == "python" else "encodeImage"
        return f"{function}({json.dumps(self.path)})"


def _render(value: Any, style: str, depth: int = 1, indent: str = INDENT) -> str:
    """A value as a Python or JavaScript literal, one key per line like the seed's examples."""
    pad, closing = indent * depth, indent * (depth - 1)
    if isinstance(value, ImageFile):
        return value.call(style)
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = [
            f"{pad}{_key(key, style)}: {_render(item, style, depth + 1, indent)},"
            for key, item in value.items()
        ]
        return "{\n" + "\n".join(lines) + f"\n{closing}}}"
    if isinstance(value, list | tuple):
        items = [_render(item, style, depth + 1, indent) for item in value]
        if all(not isinstance(item, dict | list | tuple | ImageFile) for item in value):
            return "[" + ", ".join(items) + "]"
        return "[\n" + "".join(f"{pad}{item},\n" for item in items) + f"{closing}]"
    if isinstance(value, bool):
        return ("True" if value else "False") if style == "python" else json.dumps(value)
    if value is None:
        return "None" if style == "python" else "null"
    return json.dumps(value, ensure_ascii=False)


def _key(key: str, style: str) -> str:
    if style == "javascript" and JS_IDENTIFIER.match(key):
        return key
    return json.dumps(key, ensure_ascii=False)


def _kwargs(arguments: dict[str, Any], depth: int = 1) -> str:
    """Python keyword arguments, one per line."""
    pad = INDENT * depth
    return "".join(
        f"{pad}{name}={_render(value, 'python', depth + 1)},\n" for name, value in arguments.items()
    )


def _shell(value: str) -> str:
    """Double quotes as the seed writes them, single quotes when the text needs them."""
    if not re.search(r"[\"$`\\!\n]", value):
        return f'"{value}"'
    return shlex.quote(value)


def file_name_for(image: InputImage, fallback: str) -> str:
    """A file name safe to print in code: the upload's name, cleaned, or a fallback."""
    name = SAFE_FILE_NAME.sub("_", image.name).strip("._")
    return name or fallback


# Images


def _image_python(request: ImageRequest, base_url: str) -> str:
    body = request.create_kwargs()
    return (
        "import base64\n"
        "import os\n"
        "from io import BytesIO\n\n"
        "from openai import OpenAI\n"
        "from PIL import Image\n\n"
        "client = OpenAI(\n"
        '    api_key=os.environ["GEMINI_API_KEY"],\n'
        f"    base_url={json.dumps(base_url)},\n"
        ")\n\n"
        "response = client.images.generate(\n"
        f"{_kwargs(body)}"
        ")\n\n"
        "for index, image_data in enumerate(response.data, start=1):\n"
        "    image = Image.open(BytesIO(base64.b64decode(image_data.b64_json)))\n"
        '    image.save(f"image-{index}.{image.format.lower()}")\n'
    )


def _image_javascript(request: ImageRequest, base_url: str) -> str:
    body = _render(request.request_body(), "javascript", depth=2, indent="  ")
    return (
        'import fs from "node:fs";\n'
        'import OpenAI from "openai";\n\n'
        "const openai = new OpenAI({\n"
        "  apiKey: process.env.GEMINI_API_KEY,\n"
        f"  baseURL: {json.dumps(base_url)},\n"
        "});\n\n"
        "async function main() {\n"
        f"  const image = await openai.images.generate({body});\n"
        "  image.data.forEach((item, index) => {\n"
        '    const bytes = Buffer.from(item.b64_json, "base64");\n'
        '    const ext = bytes.subarray(8, 12).toString() === "WEBP" ? "webp" : "png";\n'
        "    fs.writeFileSync(`image-${index + 1}.${ext}`, bytes);\n"
        "  });\n"
        "}\n\n"
        "main();\n"
    )


def _image_curl(request: ImageRequest, base_url: str) -> str:
    body = json.dumps(request.request_body(), indent=2, ensure_ascii=False)
    return (
        f"curl {_shell(base_url + 'images/generations')} \\\n"
        '  -H "Content-Type: application/json" \\\n'
        '  -H "Authorization: Bearer $GEMINI_API_KEY" \\\n'
        f"  -d {shlex.quote(body)}\n"
    )


def image_code(request: ImageRequest, *, base_url: str) -> list[CodeSnippet]:
    return [
        CodeSnippet("python", "Python", _image_python(request, base_url)),
        CodeSnippet("javascript", "JavaScript", _image_javascript(request, base_url)),
        CodeSnippet("curl", "curl", _image_curl(request, base_url)),
    ]


# Videos


def input_files(request: VideoRequest) -> dict[str, str]:
    """Which file each input image is read from in the code, by its place in the request."""
    files: dict[str, str] = {}
    if request.image:
        files["image"] = file_name_for(request.image, "first_frame.png")
    if request.last_frame:
        files["last_frame"] = file_name_for(request.last_frame, "last_frame.png")
    for number, image in enumerate(request.reference_images, start=1):
        files[f"reference_{number}"] = file_name_for(image, f"reference_{number}.png")
    return files


def _video_google(request: VideoRequest) -> dict[str, Any]:
    """`google_options()` with file reads in place of the base64 text."""
    google = request.google_options()
    files = input_files(request)

    if "image" in files:
        google["image"] = ImageFile(files["image"])
    if "last_frame" in files:
        google["last_frame"] = {"image": ImageFile(files["last_frame"])}
    if request.reference_images:
        google["reference_images"] = [
            ImageFile(files[f"reference_{n}"]) for n in range(1, len(request.reference_images) + 1)
        ]
    return google


def _video_python(request: VideoRequest, base_url: str, video_id: str) -> str:
    arguments: dict[str, Any] = {"model": request.model, "prompt": request.prompt}
    if google := _video_google(request):
        arguments["extra_body"] = {"extra_body": {"google": google}}
    reads_images = bool(input_files(request))
    helper = (
        "\n\ndef encode_image(path):\n"
        '    with open(path, "rb") as image_file:\n'
        '        return base64.b64encode(image_file.read()).decode("utf-8")\n'
        if reads_images
        else ""
    )
    return (
        ("import base64\n" if reads_images else "")
        + "import os\nimport time\n\nfrom openai import OpenAI\n\n"
        "client = OpenAI(\n"
        '    api_key=os.environ["GEMINI_API_KEY"],\n'
        f"    base_url={json.dumps(base_url)},\n"
        f"){helper}\n\n"
        "# Returns a long-running operation\n"
        "response = client.videos.create(\n"
        f"{_kwargs(arguments)}"
        ")\n"
        'print(f"Operation ID: {response.id}")\n\n'
        f"video_id = response.id{_earlier(video_id, 'python')}\n"
        "while True:\n"
        "    video = client.videos.retrieve(video_id)\n"
        '    if video.status == "completed":\n'
        '        print(f"Video URL: {video.url}")\n'
        "        break\n"
        '    elif video.status == "failed":\n'
        '        print(f"Generation failed: {video.error}")\n'
        "        break\n"
        '    print(f"Status: {video.status}. Waiting...")\n'
        "    time.sleep(10)\n"
    )


def _earlier(video_id: str, style: str) -> str:
    if not video_id:
        return ""
    comment = "#" if style == "python" else "//"
    return f"  {comment} the job made on this page: {json.dumps(video_id)}"


def _video_javascript(request: VideoRequest, base_url: str, video_id: str) -> str:
    body: dict[str, Any] = {"model": request.model, "prompt": request.prompt}
    if google := _video_google(request):
        body["extra_body"] = {"google": google}
    rendered = _render(body, "javascript", depth=2, indent="  ")
    reads_images = bool(input_files(request))
    return (
        ('import fs from "node:fs";\n' if reads_images else "") + 'import OpenAI from "openai";\n\n'
        "const openai = new OpenAI({\n"
        "  apiKey: process.env.GEMINI_API_KEY,\n"
        f"  baseURL: {json.dumps(base_url)},\n"
        "});\n"
        + (
            '\nconst encodeImage = (path) => fs.readFileSync(path).toString("base64");\n'
            if reads_images
            else ""
        )
        + "\nasync function main() {\n"
        "  // Returns a long-running operation\n"
        f"  const response = await openai.videos.create({rendered});\n"
        "  console.log(`Operation ID: ${response.id}`);\n\n"
        f"  const videoId = response.id;{_earlier(video_id, 'javascript')}\n"
        "  while (true) {\n"
        "    const video = await openai.videos.retrieve(videoId);\n"
        '    if (video.status === "completed") {\n'
        "      console.log(`Video URL: ${video.url}`);\n"
        "      break;\n"
        '    } else if (video.status === "failed") {\n'
        "      console.log(`Generation failed: ${JSON.stringify(video.error)}`);\n"
        "      break;\n"
        "    }\n"
        "    console.log(`Status: ${video.status}. Waiting...`);\n"
        "    await new Promise((resolve) => setTimeout(resolve, 10000));\n"
        "  }\n"
        "}\n\n"
        "main();\n"
    )


def form_fields(value: Any, prefix: str) -> list[tuple[str, Any]]:
    """A nested value as multipart field names, the way the openai SDKs encode them."""
    if isinstance(value, dict):
        return [
            pair for key, item in value.items() for pair in form_fields(item, f"{prefix}[{key}]")
        ]
    if isinstance(value, list | tuple):
        return [pair for item in value for pair in form_fields(item, f"{prefix}[]")]
    return [(prefix, value)]


def _curl_field(name: str, value: Any) -> str:
    if isinstance(value, ImageFile):
        # `<file` makes curl read the field's text from the file.
        return f"  -F {_shell(f'{name}=<{value.path}.b64')}"
    text = "true" if value is True else "false" if value is False else str(value)
    # -F reads `@file`, `<file` and `;type=` in a value; --form-string sends it as it is.
    plain = re.fullmatch(r"[^@<;\"]*", text) is not None
    option = "-F" if plain else "--form-string"
    return f"  {option} {_shell(f'{name}={text}')}"


def _video_curl(request: VideoRequest, base_url: str, video_id: str) -> str:
    files = input_files(request)
    preface = "".join(
        f"base64 -w0 {shlex.quote(path)} > {shlex.quote(path + '.b64')}\n"
        for path in files.values()
    )
    fields = [("model", request.model), ("prompt", request.prompt)]
    if google := _video_google(request):
        fields += form_fields(google, "extra_body[google]")
    lines = [
        f"curl {_shell(base_url + 'videos')}",
        '  -H "Authorization: Bearer $GEMINI_API_KEY"',
        *(_curl_field(name, value) for name, value in fields),
    ]
    poll = (
        "\n# Then ask how it goes, with the id it answered:\n"
        f"curl {_shell(base_url + 'videos/' + (video_id or 'VIDEO_ID'))} \\\n"
        '  -H "Authorization: Bearer $GEMINI_API_KEY"\n'
    )
    return preface + (" \\\n".join(lines)) + "\n" + poll


def video_code(request: VideoRequest, *, base_url: str, video_id: str = "") -> list[CodeSnippet]:
    return [
        CodeSnippet("python", "Python", _video_python(request, base_url, video_id)),
        CodeSnippet("javascript", "JavaScript", _video_javascript(request, base_url, video_id)),
        CodeSnippet("curl", "curl", _video_curl(request, base_url, video_id)),
    ]
