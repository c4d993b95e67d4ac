from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from playground.compare.consumers import CompareConsumer
from tests.sockets import ConsumerSocket


@pytest.fixture
def no_model_list(monkeypatch) -> Callable[[], Any]:
    """A provider whose model list is unavailable: any model id is passed on. The pages read
    it from the views; a socket is given it (`Socket(user, model_ids=no_model_list)`)."""

    async def empty(**capability: str) -> list[str]:
        return []

    monkeypatch.setattr("playground.compare.views.models_by_provider", empty)
    return empty


def pane_fields(index: int, model: str, **settings: Any) -> dict[str, str]:
    values = {"model": model, "reasoning_mode": "default", "service_tier": "default"}
    values.update({key: str(value) for key, value in settings.items()})
    return {f"pane-{index}-{key}": value for key, value in values.items()}


def run_payload(prompt: str, panes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """What the page's form sends over the socket: the prompt, the management form, the panes."""
    payload: dict[str, Any] = {
        "action": "run",
        "prompt": prompt,
        "system_prompt": "",
        "pane-TOTAL_FORMS": str(len(panes)),
        "pane-INITIAL_FORMS": str(len(panes)),
        "pane-MIN_NUM_FORMS": "1",
        "pane-MAX_NUM_FORMS": "8",
        "HEADERS": {"HX-Request": "true"},
    }
    for index, pane in enumerate(panes):
        settings = dict(pane)
        payload.update(pane_fields(index, settings.pop("model"), **settings))
    payload.update(extra)
    return payload


class Socket(ConsumerSocket):
    """A signed-in user's socket on /ws/compare/, keeping every frame."""

    consumer = CompareConsumer
    path = "/ws/compare/"
