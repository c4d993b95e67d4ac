"""What an endpoint says about its models: `GET /models` and `GET /models/{id}`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.llm.catalog import bare_model_id
from playground.llm.client import client_for
from playground.llm.errors import UpstreamError, upstream_error_from
from playground.llm.providers import Provider


@dataclass(frozen=True, slots=True)
class RemoteModel:
    """One model as the endpoint describes it; `raw` keeps every field, known or not."""

    id: str
    owned_by: str = ""
    created: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def bare_id(self) -> str:
        """Gemini names models `models/x`; requests accept plain `x` as well."""
        return bare_model_id(self.id)

    @classmethod
    def from_api(cls, raw: object) -> RemoteModel:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str) or not raw["id"]:
            raise UpstreamError(
                f"The endpoint described a model without an id: {raw!r}.", kind="malformed"
            )
        return cls(
            id=raw["id"],
            owned_by=str(raw.get("owned_by") or ""),
            created=_whole_number(raw.get("created")),
            raw=dict(raw),
        )


def _fields(model: object) -> object:
    """Every field as sent, extra ones included (the SDK keeps them, unvalidated)."""
    to_dict = getattr(model, "to_dict", None)
    return to_dict() if callable(to_dict) else model


def _whole_number(value: object) -> int | None:
    # Gemini has sent `created` as a string elsewhere (batch output); take what parses.
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _check_model_id(model_id: str) -> None:
    # The SDK refuses dot segments with a ValueError that would read as a bad reply.
    segments = model_id.split("/")
    if not model_id.strip() or any(segment in {"", ".", ".."} for segment in segments):
        raise UpstreamError(
            f"{model_id!r} is not a model id.", status_code=400, gemini_status="INVALID_ARGUMENT"
        )


async def list_models(provider: Provider) -> list[RemoteModel]:
    """Every model the provider lists, in the order it lists them."""
    try:
        page = await client_for(provider).models.list()
        listed = getattr(page, "data", None)
        if not isinstance(listed, list):
            raise UpstreamError("The endpoint's model list has no `data` list.", kind="malformed")
        return [RemoteModel.from_api(_fields(model)) for model in listed]
    except Exception as exc:
        raise upstream_error_from(exc) from exc


async def retrieve_model(provider: Provider, model_id: str) -> RemoteModel:
    """One model by id (`models/x` or `x`), as the provider describes it."""
    _check_model_id(model_id)
    try:
        model = await client_for(provider).models.retrieve(model_id)
        return RemoteModel.from_api(_fields(model))
    except Exception as exc:
        raise upstream_error_from(exc) from exc
