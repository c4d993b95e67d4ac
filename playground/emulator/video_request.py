"""A `POST /videos` body (multipart as the SDKs and curl send it, or JSON), checked field by field.

The openai SDKs encode the nested `extra_body` as bracketed form names:
`extra_body[google][aspect_ratio]=9:16`, `extra_body[google][reference_images][]=...`. Form values
arrive as text, so numbers are read from text here.
"""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from PIL import Image

from playground.emulator.errors import GeminiError, invalid_argument
from playground.emulator.json_body import json_read
from playground.emulator.known_models import KnownModel, model_asked
from playground.emulator.picture_decoding import MEGAPIXELS, picture_read, pixels_label
from playground.limits.json_depth import JsonRefused

ASPECT_RATIOS = ("16:9", "9:16")
RESOLUTIONS = {"720p": 640, "1080p": 960, "4k": 1280}  # the long side the emulator draws
DURATIONS = (4, 6, 8)
STYLES = ("cinematic", "creative")
PERSON_GENERATION = ("allow_adult", "allow_all", "dont_allow")
MAX_REFERENCE_IMAGES = 3
MAX_SEED = 2**32 - 1
FRAME_RATE = re.compile(r"^\d{1,2}$")
FORM_NAME = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
THUMBNAIL_SIDE = 160
PICTURE_FORMATS = ("PNG", "JPEG", "WEBP")


@dataclass(frozen=True, slots=True)
class VideoOrder:
    model: KnownModel
    prompt: str
    aspect_ratio: str = "16:9"
    resolution: str = "720p"
    seconds: int = 8
    frame_rate: int = 24
    negative_prompt: str = ""
    seed: int | None = None
    style: str = "cinematic"
    person_generation: str = "allow_adult"
    first_frame: bytes | None = None
    last_frame: bytes | None = None
    reference_count: int = 0
    extend_video_id: str = ""

    @property
    def options(self) -> dict[str, Any]:
        """The options worth remembering with the job (the images are kept apart)."""
        return {
            "aspect_ratio": self.aspect_ratio,
            "resolution": self.resolution,
            "negative_prompt": self.negative_prompt,
            "seed": self.seed,
            "style": self.style,
            "person_generation": self.person_generation,
            "reference_images": self.reference_count,
            "extend_video_id": self.extend_video_id,
        }

    @property
    def size(self) -> tuple[int, int]:
        long_side = RESOLUTIONS[self.resolution]
        short_side = long_side * 9 // 16 // 2 * 2  # H.264 wants even sides
        return (long_side, short_side) if self.aspect_ratio == "16:9" else (short_side, long_side)


def _insert(target: dict[str, Any], keys: list[str], value: str) -> None:
    """Places one bracketed form field in a nested dict (`[]` appends to a list)."""
    head, rest = keys[0], keys[1:]
    if not rest:
        target[head] = value
        return
    if rest == [""]:
        existing = target.setdefault(head, [])
        if not isinstance(existing, list):
            raise invalid_argument(
                f"Invalid form field: {head} is given both as a value and a list."
            )
        existing.append(value)
        return
    inner = target.setdefault(head, {})
    if not isinstance(inner, dict):
        raise invalid_argument(
            f"Invalid form field: {head} is given both as a value and an object."
        )
    _insert(inner, rest, value)


def multipart_fields(raw: bytes, content_type: str) -> dict[str, Any]:
    """The text fields of a multipart body, nested by their bracketed names."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    if not message.is_multipart():
        raise invalid_argument("Invalid multipart payload received: no parts were found.")
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        match = FORM_NAME.match(name or "")
        if not match:
            raise invalid_argument(f"Invalid multipart payload received: a part is named {name!r}.")
        payload = part.get_payload(decode=True) or b""
        try:
            value = payload.decode(part.get_content_charset() or "utf-8")
        except (UnicodeDecodeError, LookupError):
            raise invalid_argument(f"Invalid value for {name}: it is not UTF-8 text.") from None
        keys = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        _insert(fields, keys, value)
    return fields


def request_fields(raw: bytes, content_type: str) -> dict[str, Any]:
    if content_type.startswith("multipart/form-data"):
        return multipart_fields(raw, content_type)
    try:
        body = json_read(raw)
    except JsonRefused as refusal:
        raise invalid_argument(f"Invalid JSON payload received. {refusal}") from None
    except ValueError:  # not UTF-8, not JSON
        raise invalid_argument(
            "Invalid payload received: send multipart/form-data (or a JSON object)."
        ) from None
    if not isinstance(body, dict):
        raise invalid_argument("Invalid JSON payload received. Root element must be a message.")
    return body


def _video_model(given: object) -> KnownModel:
    return model_asked(
        given,
        kind="video",
        missing="model is required: name a Veo model, e.g. veo-3.1-generate-preview.",
        refusal="and cannot generate videos: use a Veo model such as veo-3.1-generate-preview.",
    )


def _whole(value: object, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise invalid_argument(f"Invalid {name}: {json.dumps(value)}. It must be a whole number.")
    try:
        return int(str(value).strip())
    except ValueError:
        raise invalid_argument(
            f"Invalid {name}: {json.dumps(value)}. It must be a whole number."
        ) from None


def _choice(google: dict[str, Any], name: str, choices: tuple[str, ...], default: str) -> str:
    value = google.get(name)
    if value is None or value == "":
        return default
    if not isinstance(value, str) or value.lower() not in choices:
        shown = ", ".join(choices)
        raise invalid_argument(f"Invalid {name}: {json.dumps(value)}. Use one of {shown}.")
    return value.lower()


def _small_png(picture: Image.Image) -> bytes:
    picture.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    small = io.BytesIO()
    picture.convert("RGB").save(small, "PNG")
    return small.getvalue()


def decoded_image(value: object, name: str) -> bytes:
    """A base64 image (a `data:` URL too) as a small PNG, or a 400 saying what is wrong."""

    def unreadable() -> GeminiError:
        return invalid_argument(
            f"Invalid {name}: it must be a base64-encoded PNG, JPEG or WEBP image."
        )

    def too_large(width: int, height: int) -> GeminiError:
        return invalid_argument(
            f"Invalid {name}: the image has {pixels_label(width, height)}; at most "
            f"{MEGAPIXELS} megapixels are accepted."
        )

    text = value.strip() if isinstance(value, str) else ""
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    try:
        data = base64.b64decode(text, validate=True) if text else b""
    except (binascii.Error, ValueError):
        raise unreadable() from None
    if not data:
        raise unreadable()
    return picture_read(
        data, formats=PICTURE_FORMATS, use=_small_png, unreadable=unreadable, too_large=too_large
    )


def _reference_images(google: dict[str, Any]) -> int:
    images = google.get("reference_images")
    if images is None or images == []:
        return 0
    if not isinstance(images, list):
        images = [images]
    if len(images) > MAX_REFERENCE_IMAGES:
        raise invalid_argument(
            f"Too many reference_images: {len(images)}. At most {MAX_REFERENCE_IMAGES} are allowed."
        )
    for number, image in enumerate(images):
        decoded_image(image, f"reference_images[{number}]")
    return len(images)


def _last_frame(google: dict[str, Any]) -> bytes | None:
    value = google.get("last_frame")
    if value is None or value == "" or value == {}:
        return None
    image = value.get("image") if isinstance(value, dict) else value
    return decoded_image(image, "last_frame.image")


def _google(fields: dict[str, Any]) -> dict[str, Any]:
    extra = fields.get("extra_body") or {}
    if isinstance(extra, str):  # a JSON text in one form field
        try:
            extra = json_read(extra)
        except JsonRefused as refusal:
            raise invalid_argument(f"Invalid value at 'extra_body': {refusal}") from None
        except ValueError:
            raise invalid_argument("Invalid value at 'extra_body': it is not JSON.") from None
    google = extra.get("google") if isinstance(extra, dict) else None
    if google is None:
        return {}
    if not isinstance(google, dict):
        raise invalid_argument("Invalid value at 'extra_body.google': it must be an object.")
    return google


def _aspect_ratio(google: dict[str, Any], size: object) -> str:
    # "Maps from size if not specified" (seed page): a taller size means portrait.
    if not google.get("aspect_ratio") and isinstance(size, str) and "x" in size:
        width, _, height = size.partition("x")
        if width.isdigit() and height.isdigit() and int(height) > int(width):
            return "9:16"
    return _choice(google, "aspect_ratio", ASPECT_RATIOS, "16:9")


def _duration(google: dict[str, Any], needs_eight: list[str]) -> int:
    seconds = _whole(google.get("duration_seconds"), "duration_seconds")
    if seconds is not None and seconds not in DURATIONS:
        raise invalid_argument(
            f"Invalid duration_seconds: {seconds}. Veo makes videos of 4, 6 or 8 seconds."
        )
    if needs_eight and seconds not in (None, 8):
        raise invalid_argument(
            f"duration_seconds must be 8 when {' and '.join(needs_eight)} is used; "
            f"it was {seconds}."
        )
    return seconds or 8


def _frame_rate(google: dict[str, Any]) -> int:
    value = google.get("frame_rate")
    if value is None or value == "":
        return 24
    text = str(value).strip()
    if not FRAME_RATE.match(text) or not 1 <= int(text) <= 60:
        raise invalid_argument(
            f'Invalid frame_rate: {json.dumps(value)}. Give frames per second, e.g. "24" (1 to 60).'
        )
    return int(text)


def _seed(google: dict[str, Any]) -> int | None:
    seed = _whole(google.get("seed"), "seed")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise invalid_argument(f"Invalid seed: {seed}. It must be from 0 to {MAX_SEED}.")
    return seed


def video_order_parse(raw: bytes, content_type: str) -> VideoOrder:
    fields = request_fields(raw, content_type)
    model = _video_model(fields.get("model"))
    prompt = fields.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise invalid_argument("prompt is required: describe the video to generate.")
    google = _google(fields)
    if google.get("last_frame") and not google.get("image"):
        raise invalid_argument(
            "last_frame needs image as the first frame: interpolation goes from image to "
            "last_frame."
        )
    first_frame = decoded_image(google["image"], "image") if google.get("image") else None
    last_frame = _last_frame(google)
    references = _reference_images(google)
    extend = str(google.get("extend_video_id") or "").strip()
    needs_eight = [
        name
        for name, used in (
            ("reference_images", references),
            ("last_frame (interpolation)", last_frame),
            ("extend_video_id", extend),
        )
        if used
    ]
    return VideoOrder(
        model=model,
        prompt=prompt,
        aspect_ratio=_aspect_ratio(google, fields.get("size")),
        resolution=_choice(google, "resolution", tuple(RESOLUTIONS), "720p"),
        seconds=_duration(google, needs_eight),
        frame_rate=_frame_rate(google),
        negative_prompt=str(google.get("negative_prompt") or ""),
        seed=_seed(google),
        style=_choice(google, "style", STYLES, "cinematic"),
        person_generation=_choice(google, "person_generation", PERSON_GENERATION, "allow_adult"),
        first_frame=first_frame,
        last_frame=last_frame,
        reference_count=references,
        extend_video_id=extend,
    )
