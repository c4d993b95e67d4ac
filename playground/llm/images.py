"""Image generation: one request as one value, sent with `images.generate`, its bytes checked.

`ImageRequest.request_body()` is the JSON that goes on the wire (seed page 004: `model`, `prompt`,
`response_format`, `n`, `size`, and Gemini's extras under the literal `extra_body.google` key);
`create_kwargs()` spells the same request for the openai SDK. Which values a model accepts is the
form's business; this module builds faithfully and reads the answer defensively.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from openai import AsyncOpenAI

from playground.llm.client import client_for
from playground.llm.errors import UpstreamError, error_from_body, upstream_error_from
from playground.llm.providers import Provider, provider_for

PNG = "image/png"
WEBP = "image/webp"
JPEG = "image/jpeg"
EXTENSIONS = {PNG: "png", WEBP: "webp", JPEG: "jpg"}


def image_format(data: bytes) -> str | None:
    """The MIME type the bytes declare by their magic number, or None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def canonical_json(value: str | object | None, *, kind: type) -> str:
    """A JSON object or list as sorted, compact text ("" for none): a frozen value holds it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    parsed = json.loads(value) if isinstance(value, str) else value
    if not isinstance(parsed, kind):
        raise ValueError(f"Expected a JSON {'object' if kind is dict else 'list'}.")
    if not parsed:
        return ""
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class ImageRequest:
    provider: str
    model: str
    prompt: str
    n: int = 1
    size: str | None = None
    response_format: str = "b64_json"
    aspect_ratio: str | None = None
    # A Gemini GenerationConfig object and a list of safety settings, as canonical JSON.
    generation_config_json: str = ""
    safety_settings_json: str = ""
    # Grounding with Google Search: `tools: [{"google_search": {}}]` (gemini-3-pro-image only).
    google_search: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "generation_config_json", canonical_json(self.generation_config_json, kind=dict)
        )
        object.__setattr__(
            self, "safety_settings_json", canonical_json(self.safety_settings_json, kind=list)
        )

    def google_options(self) -> dict[str, Any]:
        """What goes under `extra_body.google`, in the order the seed's table lists it."""
        google: dict[str, Any] = {}
        if self.aspect_ratio:
            google["aspect_ratio"] = self.aspect_ratio
        if self.generation_config_json:
            google["generation_config"] = json.loads(self.generation_config_json)
        if self.safety_settings_json:
            google["safety_settings"] = json.loads(self.safety_settings_json)
        if self.google_search:
            google["tools"] = [{"google_search": {}}]
        return google

    def request_body(self) -> dict[str, Any]:
        """The exact JSON body of `POST images/generations`."""
        body: dict[str, Any] = {
            "model": self.model,
            "prompt": self.prompt,
            "response_format": self.response_format,
            "n": self.n,
        }
        if self.size:
            body["size"] = self.size
        if google := self.google_options():
            body["extra_body"] = {"google": google}
        return body

    def create_kwargs(self) -> dict[str, Any]:
        """Arguments for `images.generate(**kwargs)`: the SDK merges its `extra_body` into the
        top level, so Gemini's literal `extra_body` key is nested one level deeper."""
        kwargs = self.request_body()
        if extra := kwargs.pop("extra_body", None):
            kwargs["extra_body"] = {"extra_body": extra}
        return kwargs

    def to_dict(self) -> dict[str, Any]:
        return {spec_field.name: getattr(self, spec_field.name) for spec_field in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImageRequest:
        known = {spec_field.name for spec_field in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    data: bytes
    mime_type: str
    revised_prompt: str = ""

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mime_type]


def _malformed(message: str) -> UpstreamError:
    return UpstreamError(message, kind="malformed")


def _fields(parsed: object) -> object:
    """The reply as the plain JSON the endpoint sent, unknown fields included."""
    to_dict = getattr(parsed, "to_dict", None)
    return to_dict(warnings=False) if callable(to_dict) else parsed


def image_from_item(item: object, position: int) -> GeneratedImage:
    if not isinstance(item, Mapping):
        raise _malformed(f"Image {position} of the reply is not a JSON object.")
    encoded = item.get("b64_json")
    if not isinstance(encoded, str) or not encoded:
        if item.get("url"):
            raise _malformed(f"Image {position} came as a URL, although b64_json was asked for.")
        raise _malformed(f"Image {position} of the reply has no b64_json data.")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _malformed(f"Image {position} of the reply is not valid base64.") from None
    mime_type = image_format(data)
    if mime_type is None:
        raise _malformed(f"Image {position} of the reply is neither PNG nor WEBP (nor JPEG).")
    revised = item.get("revised_prompt")
    return GeneratedImage(data, mime_type, revised if isinstance(revised, str) else "")


def images_from_reply(reply: object) -> list[GeneratedImage]:
    """Every image of an `images/generations` reply, or an UpstreamError saying what is wrong."""
    if isinstance(reply, list) and reply and isinstance(reply[0], Mapping) and "error" in reply[0]:
        raise error_from_body(None, reply)
    if not isinstance(reply, Mapping):
        raise _malformed("The endpoint's image reply is not a JSON object.")
    items = reply.get("data")
    if not isinstance(items, list):
        raise _malformed("The endpoint's image reply has no `data` list.")
    if not items:
        raise _malformed("The endpoint returned no image (a safety filter may have blocked it).")
    return [image_from_item(item, position) for position, item in enumerate(items, start=1)]


async def generate_images(
    request: ImageRequest, *, provider: Provider | None = None, client: AsyncOpenAI | None = None
) -> list[GeneratedImage]:
    """The images for `request` from `provider` (else the one it names); every failure is
    raised as an `UpstreamError`."""
    if client is None:
        client = client_for(provider or provider_for(request.provider))
    try:
        response = await client.images.generate(**request.create_kwargs())
        return images_from_reply(_fields(response))
    except Exception as exc:  # CancelledError is a BaseException: it passes untouched
        raise upstream_error_from(exc) from exc
