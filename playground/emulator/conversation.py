"""The `messages` list, checked as Gemini checks it and boiled down to what a reply mentions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from playground.emulator.errors import GeminiError, invalid_argument, invalid_value
from playground.emulator.media_parts import ReceivedMedia, audio_part_read, image_part_read
from playground.emulator.tokens import count_tokens

ROLES = ("assistant", "developer", "system", "tool", "user")
SYSTEM_ROLES = ("system", "developer")
# Part type -> how a reply names it when it acknowledges one.
ATTACHMENT_NAMES = {"image_url": "image", "input_audio": "audio clip", "file": "file"}
# Pictures and sound are counted as Gemini counts them (media_parts); files get a round guess.
FILE_TOKENS = 500
PER_MESSAGE_TOKENS = 1


@dataclass(frozen=True, slots=True)
class Conversation:
    system_instruction: str
    user_turns: int
    assistant_turns: int
    last_question: str
    # Attachments of the last user message, by part type.
    attachments: dict[str, int] = field(default_factory=dict)
    tool_results: int = 0
    prompt_tokens: int = 0
    # What the last user message's pictures and sound turned out to be, in order.
    received: tuple[ReceivedMedia, ...] = ()


def _parts_empty_error(content_index: int | None) -> GeminiError:
    where = "system_instruction" if content_index is None else f"contents[{content_index}]"
    return invalid_argument(
        f"* GenerateContentRequest.{where}.parts: contents.parts must not be empty."
    )


def _check_image_url(image_url: Any, where: str) -> None:
    """Only inline data: Gemini's endpoint does not fetch http(s) addresses (recorded 400)."""
    url = image_url.get("url") if isinstance(image_url, dict) else None
    if not isinstance(url, str):
        raise invalid_value(f"{where}.image_url.url", "TYPE_STRING", url)
    if not url.startswith("data:"):
        raise invalid_argument(f"Invalid or unsupported file uri: {url}")


def _read_parts(content: Any, where: str) -> tuple[str, Counter[str]]:
    """Text and attachment counts of one message's `content` (a string or a list of parts)."""
    if content is None:
        return "", Counter()
    if isinstance(content, str):
        return content, Counter()
    if not isinstance(content, list):
        raise invalid_value(f"{where}.content", "TYPE_STRING", content)
    texts: list[str] = []
    attachments: Counter[str] = Counter()
    for index, part in enumerate(content):
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            text = part.get("text")
            if not isinstance(text, str):
                raise invalid_value(f"{where}.content[{index}].text", "TYPE_STRING", text)
            texts.append(text)
        elif kind in ATTACHMENT_NAMES:
            if kind == "image_url":
                _check_image_url(part.get("image_url"), f"{where}.content[{index}]")
            attachments[kind] += 1
        else:
            supported = ", ".join(sorted(["text", *ATTACHMENT_NAMES]))
            raise invalid_argument(
                f"Invalid content part at {where}.content[{index}]: type {kind!r} is not "
                f"supported. Supported types are: {supported}."
            )
    return "\n".join(text for text in texts if text), attachments


def _read_media(content: Any, where: str) -> list[ReceivedMedia]:
    """Opens each picture and sound part (after `_read_parts` checked the message's shape)."""
    if not isinstance(content, list):
        return []
    received = []
    for index, part in enumerate(content):
        if part["type"] == "image_url":
            received.append(image_part_read(part["image_url"], f"{where}.content[{index}]"))
        elif part["type"] == "input_audio":
            audio = part.get("input_audio")
            received.append(audio_part_read(audio, f"{where}.content[{index}]"))
    return received


def _message_role(message: Any, where: str) -> str:
    if not isinstance(message, dict):
        raise invalid_value(where, "TYPE_MESSAGE", message)
    role = message.get("role")
    if role not in ROLES:
        raise invalid_value(f"{where}.role", "TYPE_ENUM", role)
    return role


def conversation_parse(messages: Any) -> Conversation:
    if messages is None or messages == []:
        raise invalid_argument("* GenerateContentRequest.contents: contents is not specified.")
    if not isinstance(messages, list):
        raise invalid_value("messages", "TYPE_LIST", messages)
    system_instruction = ""
    counts: Counter[str] = Counter()
    last_question = ""
    last_attachments: Counter[str] = Counter()
    last_received: list[ReceivedMedia] = []
    prompt_tokens = 0
    content_index = 0  # system messages leave `contents` for `system_instruction`
    for position, message in enumerate(messages):
        where = f"messages[{position}]"
        role = _message_role(message, where)
        text, attachments = _read_parts(message.get("content"), where)
        received = _read_media(message.get("content"), where)
        has_calls = bool(message.get("tool_calls"))
        if not text.strip() and not attachments and not has_calls:
            raise _parts_empty_error(None if role in SYSTEM_ROLES else content_index)
        prompt_tokens += PER_MESSAGE_TOKENS + count_tokens(text)
        prompt_tokens += FILE_TOKENS * attachments["file"] + sum(m.tokens for m in received)
        if role in SYSTEM_ROLES:
            # Gemini keeps one system instruction: the last one sent.
            system_instruction = text
            continue
        content_index += 1
        counts[role] += 1
        if role == "user":
            last_question, last_attachments, last_received = text, attachments, received
    if content_index == 0:
        raise invalid_argument("* GenerateContentRequest.contents: contents is not specified.")
    return Conversation(
        system_instruction=system_instruction,
        user_turns=counts["user"],
        assistant_turns=counts["assistant"],
        last_question=last_question,
        attachments=dict(last_attachments),
        tool_results=counts["tool"],
        prompt_tokens=prompt_tokens,
        received=tuple(last_received),
    )
