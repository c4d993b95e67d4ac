"""What a page asks of a model, in the words its model picker uses.

Every page that takes a model names one of these; the picker offers the provider's models that
fit it, and its messages and default come from here, so the pages cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from playground.llm import (
    CHAT,
    DEFAULT_EMBEDDING_MODELS,
    EMBEDDINGS,
    IMAGE_GENERATION,
    VIDEO_GENERATION,
)

# A batch line runs chat completions or embeddings.
BATCH_LINE = "batch_line"


class PickerCapability(NamedTuple):
    key: str
    # "an image model": how the refusal of an unknown id names what was wanted.
    noun: str
    default_model: str
    # Whether a model with these catalog capabilities is offered.
    fits: Callable[[frozenset[str]], bool]


PICKER_CAPABILITIES = {
    capability.key: capability
    for capability in (
        # A model the catalog does not know may well chat: it is offered rather than hidden.
        PickerCapability(
            CHAT, "a chat model", "gemini-3-flash-preview", lambda caps: CHAT in caps or not caps
        ),
        PickerCapability(
            IMAGE_GENERATION,
            "an image model",
            "gemini-2.5-flash-image",
            lambda caps: IMAGE_GENERATION in caps,
        ),
        PickerCapability(
            VIDEO_GENERATION,
            "a video model",
            "veo-3.1-generate-preview",
            lambda caps: VIDEO_GENERATION in caps,
        ),
        PickerCapability(
            EMBEDDINGS,
            "an embedding model",
            DEFAULT_EMBEDDING_MODELS[0],
            lambda caps: EMBEDDINGS in caps,
        ),
        PickerCapability(
            BATCH_LINE,
            "a chat or embedding model",
            "gemini-2.5-flash",
            lambda caps: bool({CHAT, EMBEDDINGS} & caps),
        ),
    )
}


def picker_capability(key: str) -> PickerCapability:
    try:
        return PICKER_CAPABILITIES[key]
    except KeyError:
        known = ", ".join(sorted(PICKER_CAPABILITIES))
        raise ValueError(f"No model picker for {key!r}: one of {known}.") from None
