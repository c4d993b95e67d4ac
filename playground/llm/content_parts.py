"""A message's content as parts: text, an inline image, inline audio, exactly as the API takes them.

`{"type": "text", "text": ...}`,
`{"type": "image_url", "image_url": {"url": "data:...;base64,..."}}` and
`{"type": "input_audio", "input_audio": {"data": "<base64>", "format": "wav"|"mp3"}}`.
A `Message` holds either a plain string (the common case) or a tuple of these parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

PartType = Literal["text", "image_url", "input_audio"]
AUDIO_FORMATS = ("wav", "mp3")


@dataclass(frozen=True, slots=True)
class ContentPart:
    type: PartType
    text: str = ""
    # image_url: a `data:<mime>;base64,...` URL (Gemini does not fetch http(s) addresses).
    url: str = ""
    # input_audio: base64 bytes and their format.
    data: str = ""
    format: str = ""

    def __post_init__(self) -> None:
        if self.type not in ("text", "image_url", "input_audio"):
            raise ValueError(f"Unknown content part type {self.type!r}.")
        if self.type == "input_audio" and self.format not in AUDIO_FORMATS:
            raise ValueError(f"input_audio format must be wav or mp3, not {self.format!r}.")

    @classmethod
    def of_text(cls, text: str) -> ContentPart:
        return cls(type="text", text=text)

    @classmethod
    def of_image(cls, url: str) -> ContentPart:
        return cls(type="image_url", url=url)

    @classmethod
    def of_audio(cls, data: str, audio_format: str) -> ContentPart:
        return cls(type="input_audio", data=data, format=audio_format)

    def to_wire(self) -> dict[str, Any]:
        if self.type == "text":
            return {"type": "text", "text": self.text}
        if self.type == "image_url":
            return {"type": "image_url", "image_url": {"url": self.url}}
        return {"type": "input_audio", "input_audio": {"data": self.data, "format": self.format}}

    @classmethod
    def from_wire(cls, data: ContentPart | Mapping[str, Any]) -> ContentPart:
        if isinstance(data, ContentPart):
            return data
        kind = data.get("type")
        if kind == "text":
            return cls.of_text(str(data.get("text") or ""))
        if kind == "image_url":
            return cls.of_image(str((data.get("image_url") or {}).get("url") or ""))
        if kind == "input_audio":
            audio = data.get("input_audio") or {}
            return cls.of_audio(str(audio.get("data") or ""), str(audio.get("format") or ""))
        raise ValueError(f"Unknown content part type {kind!r}.")


Content = str | tuple[ContentPart, ...]


def content_from(value: str | Iterable[ContentPart | Mapping[str, Any]] | None) -> Content:
    """A string stays a string; a list of parts (values or wire dicts) becomes a tuple of parts."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return tuple(ContentPart.from_wire(part) for part in value)


def content_wire(content: Content) -> str | list[dict[str, Any]]:
    return content if isinstance(content, str) else [part.to_wire() for part in content]


def content_text(content: Content) -> str:
    """The words of the content, parts' texts joined by blank lines; media left out."""
    if isinstance(content, str):
        return content
    return "\n\n".join(part.text for part in content if part.type == "text" and part.text)
