"""The model family the emulator pretends to serve, with what each model can do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from django.conf import settings

from playground.emulator.errors import invalid_argument, model_not_found

ModelKind = Literal["chat", "image", "video", "embedding"]

GEMINI_3_LEVELS = ("minimal", "low", "medium", "high")


@dataclass(frozen=True, slots=True)
class LevelThinking:
    """Gemini 3: named thinking levels; thinking cannot be turned off."""

    levels: tuple[str, ...]
    default_level: str
    # reasoning_effort -> thinking level, from the table on Google's page.
    effort_levels: dict[str, str]


@dataclass(frozen=True, slots=True)
class BudgetThinking:
    """Gemini 2.5: a token budget; -1 lets the model decide, 0 turns thinking off if allowed."""

    budget_min: int
    budget_max: int
    can_turn_off: bool
    thinks_by_default: bool


Thinking = LevelThinking | BudgetThinking | None

EFFORT_BUDGETS = {"minimal": 1024, "low": 1024, "medium": 8192, "high": 24576}


@dataclass(frozen=True, slots=True)
class KnownModel:
    id: str
    kind: ModelKind
    created: int
    thinking: Thinking = None

    @property
    def name(self) -> str:
        return f"models/{self.id}"

    @property
    def signs_text(self) -> bool:
        """Gemini 3 puts a thought signature on plain text replies too."""
        return isinstance(self.thinking, LevelThinking)


def _gemini3(levels: tuple[str, ...], default: str, minimal_as: str) -> LevelThinking:
    effort = {level: level for level in ("low", "medium", "high")}
    effort["minimal"] = minimal_as
    return LevelThinking(levels=levels, default_level=default, effort_levels=effort)


MODELS: tuple[KnownModel, ...] = (
    KnownModel(
        "gemini-3.1-pro-preview",
        "chat",
        1771459200,
        _gemini3(("low", "medium", "high"), default="high", minimal_as="low"),
    ),
    KnownModel(
        "gemini-3-flash-preview",
        "chat",
        1765843200,
        _gemini3(GEMINI_3_LEVELS, default="high", minimal_as="minimal"),
    ),
    KnownModel(
        "gemini-3.1-flash-lite-preview",
        "chat",
        1772150400,
        _gemini3(GEMINI_3_LEVELS, default="minimal", minimal_as="minimal"),
    ),
    KnownModel("gemini-2.5-pro", "chat", 1750118400, BudgetThinking(128, 32768, False, True)),
    KnownModel("gemini-2.5-flash", "chat", 1750118400, BudgetThinking(1, 24576, True, True)),
    # Flash-Lite is the one 2.5 model that does not think unless asked.
    KnownModel(
        "gemini-2.5-flash-lite", "chat", 1753142400, BudgetThinking(512, 24576, True, False)
    ),
    KnownModel("gemini-2.0-flash", "chat", 1738713600),
    KnownModel("gemini-2.5-flash-image", "image", 1759363200),
    KnownModel("gemini-3-pro-image-preview", "image", 1763596800),
    KnownModel("imagen-4.0-generate-001", "image", 1755043200),
    KnownModel("veo-3.1-generate-preview", "video", 1760486400),
    KnownModel("gemini-embedding-001", "embedding", 1752537600),
    KnownModel("gemini-embedding-2-preview", "embedding", 1773100800),
)

# What the emulator lists in its OpenAI flavour (EMULATOR_FLAVOUR=openai): a stand-in for a
# second, OpenAI-compatible provider. o4-mini reasons (reasoning_effort), the other chat models
# do not; gpt-image-1 draws and text-embedding-3-small embeds, as OpenAI's do.
OPENAI_MODELS: tuple[KnownModel, ...] = (
    KnownModel("gpt-4o-mini", "chat", 1721172741),
    KnownModel("gpt-4.1-mini", "chat", 1744318173),
    KnownModel("o4-mini", "chat", 1744225351, BudgetThinking(1, 100_000, False, True)),
    KnownModel("gpt-image-1", "image", 1745366400),
    KnownModel("text-embedding-3-small", "embedding", 1705948997),
)

_BY_ID = {model.id: model for model in MODELS}
_OPENAI_BY_ID = {model.id: model for model in OPENAI_MODELS}


def openai_flavoured() -> bool:
    return settings.EMULATOR_FLAVOUR == "openai"


def served_models() -> tuple[KnownModel, ...]:
    return OPENAI_MODELS if openai_flavoured() else MODELS


def bare_model_id(given: str) -> str:
    """`models/x`, `models%2Fx` and `x` all name model `x`."""
    given = unquote(given.strip())
    return given.removeprefix("models/")


def model_find(given: str) -> KnownModel | None:
    served = _OPENAI_BY_ID if openai_flavoured() else _BY_ID
    return served.get(bare_model_id(given))


KIND_NAMES: dict[ModelKind, str] = {
    "chat": "a chat",
    "image": "an image generation",
    "video": "a video",
    "embedding": "an embedding",
}


def model_asked(given: object, *, kind: ModelKind, missing: str, refusal: str) -> KnownModel:
    """The served model a request names, when it is of the `kind` the endpoint needs; else the
    error Gemini answers with: `missing` when none is named, not found, or `refusal` (what
    follows "models/x is a video model") for a model of another kind."""
    if not isinstance(given, str) or not given.strip():
        raise invalid_argument(missing)
    model = model_find(given)
    if model is None:
        raise model_not_found(given.strip().removeprefix("models/"))
    if model.kind != kind:
        raise invalid_argument(f"{model.name} is {KIND_NAMES[model.kind]} model {refusal}")
    return model


def model_as_openai(model: KnownModel) -> dict[str, object]:
    if openai_flavoured():  # OpenAI names models without Gemini's `models/`
        return {"created": model.created, "id": model.id, "object": "model", "owned_by": "openai"}
    return {"created": model.created, "id": model.name, "object": "model", "owned_by": "google"}
