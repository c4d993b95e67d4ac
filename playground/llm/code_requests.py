""" "Get code": each kind of request as the values its snippets print.

A `CodeRequest` is built from the same value the playground sent (`RunSpec`, `ImageRequest`,
`VideoRequest`, `EmbeddingSpec`, a batch's file and endpoint), so what is shown is what was
sent. Where the request carries a file's base64 text, a `FileRead` stands in its place and the
code reads the file. The snippets themselves are templates, rendered by `playground.get_code`;
the key is never a value here: every template reads it from the provider's environment variable
(`GEMINI_API_KEY` unless the provider names another).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any, Literal

from playground.llm.batches import files_root_url
from playground.llm.code_literals import MAX_NESTING, FileRead, files_read, nesting_depth
from playground.llm.embeddings import EmbeddingSpec
from playground.llm.images import ImageRequest
from playground.llm.providers import Provider
from playground.llm.runspec import RunSpec
from playground.llm.videos import InputImage, VideoRequest

CodeKind = Literal["chat", "images", "video", "embeddings", "batches"]

INLINE_LIMIT = 1_000  # base64 characters shown inline before reading a file takes over
DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+);base64,(?P<data>.*)$", re.S)
EXTENSIONS = {
    "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif",
    "audio/wav": "wav", "audio/x-wav": "wav", "audio/mpeg": "mp3", "audio/mp3": "mp3",
}  # fmt: skip
SAFE_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
GEMINI_FILES_ROOT = "https://generativelanguage.googleapis.com/"
DEFAULT_KEY_VARIABLE = "GEMINI_API_KEY"
KEY_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


@dataclass(frozen=True, slots=True)
class BatchFlow:
    """Google's batch flow for one JSONL file: Files API for the file, openai for the batch."""

    files_root: str
    endpoint: str
    file_name: str
    display_name: str

    @property
    def is_gemini(self) -> bool:
        """Google's SDKs find Gemini's Files API alone; any other root is spelled out."""
        return self.files_root == GEMINI_FILES_ROOT

    @property
    def upload_start(self) -> dict[str, Any]:
        """The body that starts a resumable upload of the file (curl's first step)."""
        return {"file": {"display_name": self.display_name}}


@dataclass(frozen=True, slots=True)
class CodeRequest:
    kind: CodeKind
    base_url: str
    body: dict[str, Any]  # the JSON sent, a FileRead where the code reads a file
    stream: bool = False
    video_id: str = ""  # the job made on the page, for video code that asks how it goes
    batch: BatchFlow | None = None
    # The environment variable the code reads the key from: a name, never the key.
    key_variable: str = DEFAULT_KEY_VARIABLE

    def __post_init__(self) -> None:
        # Templates append paths ("chat/completions") to the base address.
        if not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")
        # Printed bare into shell and code: only a plain variable name is.
        if not KEY_VARIABLE.match(self.key_variable):
            object.__setattr__(self, "key_variable", DEFAULT_KEY_VARIABLE)

    @property
    def sdk_arguments(self) -> dict[str, Any]:
        """The body as keyword arguments of the Python SDK, which merges its own `extra_body`
        into the top level: Gemini's literal `extra_body` key goes one level deeper."""
        arguments = dict(self.body)
        if extra := arguments.pop("extra_body", None):
            arguments["extra_body"] = {"extra_body": extra}
        return arguments

    @property
    def is_too_deep_to_print(self) -> bool:
        return nesting_depth(self.body) > MAX_NESTING

    @property
    def files(self) -> list[FileRead]:
        return files_read(self.body)

    @property
    def file_names(self) -> list[str]:
        return [read.path for read in self.files]


# Chat -------------------------------------------------------------------------------------


def chat_code_request(
    spec: RunSpec, *, base_url: str, key_variable: str = DEFAULT_KEY_VARIABLE
) -> CodeRequest:
    body = spec.request_body()
    if nesting_depth(body) <= MAX_NESTING:
        body = _with_file_reads(body, [])
    return CodeRequest("chat", base_url, body, stream=spec.stream, key_variable=key_variable)


def _with_file_reads(value: Any, found: list[FileRead], audio_format: str = "") -> Any:
    """Large data URLs and input_audio data replaced by FileReads (appended to `found`)."""
    if isinstance(value, dict):
        fmt = value.get("format") if isinstance(value.get("format"), str) else ""
        return {
            key: _with_file_reads(item, found, fmt if key == "data" else "")
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_with_file_reads(item, found) for item in value]
    if isinstance(value, str) and len(value) > INLINE_LIMIT:
        match = DATA_URL.match(value)
        if match and _is_base64(match["data"]):
            kind = "image" if match["mime"].startswith("image/") else "file"
            prefix = f"data:{match['mime']};base64,"
            extension = EXTENSIONS.get(match["mime"], "bin")
            return _file_read(found, f"{kind}_{{number}}.{extension}", prefix, match["data"])
        if audio_format and re.fullmatch(r"\w+", audio_format) and _is_base64(value):
            return _file_read(found, f"audio_{{number}}.{audio_format}", "", value)
    return value


def _file_read(found: list[FileRead], path_pattern: str, prefix: str, text: str) -> FileRead:
    """A FileRead numbered after the files of its kind found before it (image_1, image_2)."""
    kind = path_pattern.split("_{number}", 1)[0]
    number = sum(1 for read in found if read.path.startswith(f"{kind}_")) + 1
    read = FileRead(path_pattern.format(number=number), prefix, text)
    found.append(read)
    return read


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text[: 4096 - 4096 % 4], validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


# Images and video -------------------------------------------------------------------------


def image_code_request(
    request: ImageRequest, *, base_url: str, key_variable: str = DEFAULT_KEY_VARIABLE
) -> CodeRequest:
    return CodeRequest("images", base_url, request.request_body(), key_variable=key_variable)


def file_name_for(image: InputImage, fallback: str) -> str:
    """A file name safe to print in code: the upload's name, cleaned, or a fallback."""
    name = SAFE_FILE_NAME.sub("_", image.name).strip("._")
    return name or fallback


def video_code_request(
    request: VideoRequest,
    *,
    base_url: str,
    video_id: str = "",
    key_variable: str = DEFAULT_KEY_VARIABLE,
) -> CodeRequest:
    google = request.google_options()
    if request.image:
        google["image"] = FileRead(file_name_for(request.image, "first_frame.png"))
    if request.last_frame:
        google["last_frame"] = {
            "image": FileRead(file_name_for(request.last_frame, "last_frame.png"))
        }
    if request.reference_images:
        google["reference_images"] = [
            FileRead(file_name_for(image, f"reference_{number}.png"))
            for number, image in enumerate(request.reference_images, start=1)
        ]
    body: dict[str, Any] = {"model": request.model, "prompt": request.prompt}
    if google:
        body["extra_body"] = {"google": google}
    return CodeRequest("video", base_url, body, video_id=video_id, key_variable=key_variable)


# Embeddings and batches -------------------------------------------------------------------


def embedding_code_request(
    spec: EmbeddingSpec, *, base_url: str, key_variable: str = DEFAULT_KEY_VARIABLE
) -> CodeRequest:
    sent = spec.request_body()
    body = {"model": sent["model"], "input": sent["input"]}
    if "dimensions" in sent:
        body["dimensions"] = sent["dimensions"]
    return CodeRequest("embeddings", base_url, body, key_variable=key_variable)


def batch_code_request(
    provider: Provider, *, endpoint: str, file_name: str, display_name: str
) -> CodeRequest:
    """Upload `file_name`, create the batch, wait for it, download its output. Raises
    UpstreamError where the provider has no Files API."""
    flow = BatchFlow(files_root_url(provider), endpoint, file_name, display_name)
    return CodeRequest(
        "batches", provider.base_url, {}, batch=flow, key_variable=provider.key_variable
    )
