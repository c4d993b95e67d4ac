"""`POST images/generations`: pictures drawn from the prompt, returned as base64 like Gemini's.

The seed: `model`, `prompt`, `n`, `size` and `response_format` at the top level, `aspect_ratio`,
`generation_config`, `safety_settings` and `tools` under `extra_body.google`; anything else is
"silently ignored by the compatibility layer", so it is ignored here too. Imagen models answer
in WEBP and Gemini's in PNG, so clients meet both formats.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from playground.emulator.access import emulator_endpoint
from playground.emulator.drawing import encoded, picture
from playground.emulator.errors import (
    invalid_argument,
    json_response,
    unrecognized_argument,
)
from playground.emulator.json_body import body_json
from playground.emulator.known_models import KnownModel, model_asked, openai_flavoured
from playground.emulator.pace import pace_for
from playground.emulator.recording import request_record
from playground.emulator.views import request_bytes

MAX_IMAGES = 4
DEFAULT_SIDE = 1024
MIN_SIDE, MAX_SIDE = 256, 2048
SIZE = re.compile(r"^(\d{2,5})x(\d{2,5})$")
ASPECT_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
SEARCH_MODELS = ("gemini-3-pro-image-preview",)
SAFETY_CATEGORIES = (
    "HARM_CATEGORY_HARASSMENT",
    "HARM_CATEGORY_HATE_SPEECH",
    "HARM_CATEGORY_SEXUALLY_EXPLICIT",
    "HARM_CATEGORY_DANGEROUS_CONTENT",
    "HARM_CATEGORY_CIVIC_INTEGRITY",
)
SAFETY_THRESHOLDS = (
    "HARM_BLOCK_THRESHOLD_UNSPECIFIED",
    "BLOCK_LOW_AND_ABOVE",
    "BLOCK_MEDIUM_AND_ABOVE",
    "BLOCK_ONLY_HIGH",
    "BLOCK_NONE",
    "OFF",
)


@dataclass(frozen=True, slots=True)
class ImageOrder:
    model: KnownModel
    prompt: str
    n: int
    width: int
    height: int
    grounded: bool

    @property
    def image_format(self) -> str:
        return "WEBP" if self.model.id.startswith("imagen") else "PNG"


def without_trailing_commas(text: str) -> str:
    """The JSON text with commas before a closing bracket dropped (outside strings): the seed's
    own curl example for images ends its object with `"n": 1,`."""
    kept: list[str] = []
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "," and text[index + 1 :].lstrip()[:1] in ("}", "]"):
            continue
        kept.append(char)
    return "".join(kept)


def _body(raw: bytes) -> dict[str, Any]:
    body = body_json(raw, mend=without_trailing_commas)
    if not isinstance(body, dict):
        raise invalid_argument("Invalid JSON payload received. Root element must be a message.")
    return body


def _image_model(given: object) -> KnownModel:
    return model_asked(
        given,
        kind="image",
        missing="model is required: name an image model, e.g. gemini-2.5-flash-image.",
        refusal="and cannot generate images: use an image model such as gemini-2.5-flash-image.",
    )


def _google(body: dict[str, Any]) -> dict[str, Any]:
    extra = body.get("extra_body")
    if extra is None:
        return {}
    if openai_flavoured():  # an OpenAI server knows no `extra_body` field
        raise unrecognized_argument("extra_body")
    if not isinstance(extra, dict):
        raise invalid_argument("Invalid value at 'extra_body': it must be a JSON object.")
    google = extra.get("google") or {}
    if not isinstance(google, dict):
        raise invalid_argument("Invalid value at 'extra_body.google': it must be a JSON object.")
    return google


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_argument(f"Invalid {name}: {json.dumps(value)}. It must be a whole number.")
    if not 1 <= value <= MAX_IMAGES:
        raise invalid_argument(f"Invalid {name}: {value}. It must be between 1 and {MAX_IMAGES}.")
    return value


def _generation_config(google: dict[str, Any]) -> int | None:
    """Checks `generation_config`; returns its candidateCount when it sets one."""
    config = google.get("generation_config")
    if config is None:
        return None
    if not isinstance(config, dict):
        raise invalid_argument(
            "Invalid value at 'extra_body.google.generation_config': it must be a JSON object."
        )
    modalities = config.get("responseModalities", config.get("response_modalities"))
    if modalities is not None and (not isinstance(modalities, list) or "IMAGE" not in modalities):
        raise invalid_argument(
            f"Invalid responseModalities: {json.dumps(modalities)}. An image model needs IMAGE "
            'among them, e.g. ["IMAGE"] or ["TEXT", "IMAGE"].'
        )
    count = config.get("candidateCount", config.get("candidate_count"))
    return None if count is None else _count(count, "generation_config.candidateCount")


def _safety_settings(google: dict[str, Any]) -> None:
    settings = google.get("safety_settings")
    if settings is None:
        return
    if not isinstance(settings, list):
        raise invalid_argument(
            "Invalid value at 'extra_body.google.safety_settings': it must be a list."
        )
    for number, setting in enumerate(settings):
        where = f"safety_settings[{number}]"
        if not isinstance(setting, dict):
            raise invalid_argument(f"Invalid value at '{where}': it must be an object.")
        if setting.get("category") not in SAFETY_CATEGORIES:
            raise invalid_argument(
                f"Invalid value at '{where}.category' ({json.dumps(setting.get('category'))}): "
                f"use one of {', '.join(SAFETY_CATEGORIES)}."
            )
        if setting.get("threshold") not in SAFETY_THRESHOLDS:
            raise invalid_argument(
                f"Invalid value at '{where}.threshold' ({json.dumps(setting.get('threshold'))}): "
                f"use one of {', '.join(SAFETY_THRESHOLDS)}."
            )


def _grounded(google: dict[str, Any], model: KnownModel) -> bool:
    tools = google.get("tools")
    if tools is None or tools == []:
        return False
    if not isinstance(tools, list) or any(tool != {"google_search": {}} for tool in tools):
        raise invalid_argument(
            'Invalid tools: image models take only [{"google_search": {}}] (grounding).'
        )
    if model.id not in SEARCH_MODELS:
        raise invalid_argument(
            f"Grounding with Google Search is not supported by {model.id}; only "
            f"{', '.join(SEARCH_MODELS)} takes tools."
        )
    return True


def _dimensions(size: object, aspect_ratio: object) -> tuple[int, int]:
    width = height = DEFAULT_SIDE
    if size is not None and size != "auto":
        match = SIZE.match(size) if isinstance(size, str) else None
        if not match or not all(MIN_SIDE <= int(side) <= MAX_SIDE for side in match.groups()):
            raise invalid_argument(
                f"Invalid size: {json.dumps(size)}. Use WIDTHxHEIGHT with each side from "
                f"{MIN_SIDE} to {MAX_SIDE}, e.g. 1024x1024."
            )
        width, height = int(match.group(1)), int(match.group(2))
    if aspect_ratio is None:
        return width, height
    if aspect_ratio not in ASPECT_RATIOS:
        raise invalid_argument(
            f"Invalid aspect_ratio: {json.dumps(aspect_ratio)}. Use one of "
            f"{', '.join(ASPECT_RATIOS)}."
        )
    across, down = (int(part) for part in aspect_ratio.split(":"))
    # The ratio decides the shape; the longer side of `size` (1024 by default) its scale.
    longest = max(width, height)
    if across >= down:
        return longest, round(longest * down / across)
    return round(longest * across / down), longest


def image_order_parse(raw: bytes) -> ImageOrder:
    body = _body(raw)
    model = _image_model(body.get("model"))
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise invalid_argument("prompt is required: describe the image to generate.")
    response_format = body.get("response_format")
    if response_format not in (None, "b64_json"):
        raise invalid_argument(
            f"Invalid response_format: {json.dumps(response_format)}. Only b64_json is supported."
        )
    google = _google(body)
    candidates = _generation_config(google)
    n = _count(body["n"], "n") if body.get("n") is not None else (candidates or 1)
    _safety_settings(google)
    width, height = _dimensions(body.get("size"), google.get("aspect_ratio"))
    return ImageOrder(model, prompt, n, width, height, _grounded(google, model))


def image_reply(order: ImageOrder) -> dict[str, Any]:
    note = f"Emulator · {order.model.id}" + (" · grounded" if order.grounded else "")
    data = []
    for number in range(1, order.n + 1):
        image = picture(order.prompt, order.width, order.height, variant=str(number), note=note)
        encoded_image = base64.b64encode(encoded(image, order.image_format)).decode("ascii")
        data.append({"b64_json": encoded_image})
    return {"created": int(time.time()), "data": data}


@emulator_endpoint(methods=("POST",))
async def image_generations(request: HttpRequest) -> HttpResponse:
    raw = request_bytes(request)
    request_record(request.path, raw)
    order = image_order_parse(raw)
    await asyncio.sleep(pace_for(None).first_token_seconds)
    # Drawing and compressing take a moment of CPU: off the event loop.
    return json_response(await asyncio.to_thread(image_reply, order))
