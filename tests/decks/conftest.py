"""A conversation and a four-pane comparison as finished runs leave them, with recordings."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from playground.chat.models import Conversation, Turn
from playground.compare.models import Comparison, Pane
from playground.decks.models import Deck, Step
from playground.runs.states import ReplyState

USAGE = '{"prompt_tokens":4,"completion_tokens":3,"total_tokens":19,"thinking_tokens":12}'


def recording(answer: str, *, first_ms: int = 400, end_ms: int = 900) -> dict:
    return {"v": 1, "end_ms": end_ms, "truncated": False, "fragments": [
        ["thought", first_ms // 2, "Thinking it over."],
        ["answer", first_ms, answer[: len(answer) // 2]],
        ["answer", first_ms + 200, answer[len(answer) // 2 :]],
        ["usage", end_ms - 50, USAGE], ["finish", end_ms - 40, "stop"],
    ]}  # fmt: skip


def chat_of(user) -> Conversation:
    conversation = Conversation.objects.create(user=user, title="Capitals")
    prompt = Turn.objects.create(
        conversation=conversation, role="user", content="Capital of France?"
    )
    Turn.objects.create(
        conversation=conversation, parent=prompt, role="assistant", content="Paris.",
        state=ReplyState.DONE, timeline=recording("Paris is the capital."),
        run_spec={"provider": "emulator", "model": "gemini-2.5-flash", "temperature": 0.3,
                  "messages": [{"role": "user", "content": "Capital of France?"}]},
        candidates=[{"answer": "Paris is the capital.", "html": "<p>Paris.</p>"}],
    )  # fmt: skip
    return conversation


def comparison_of(user, panes: int = 4) -> Comparison:
    comparison = Comparison.objects.create(user=user, prompt="Why is the sky blue?", wall_ms=10)
    for position in range(panes):
        Pane.objects.create(
            comparison=comparison, position=position, label=f"flash · budget {position * 512}",
            settings={"model": "gemini-2.5-flash"}, state=ReplyState.DONE,
            answer=f"Rayleigh {position}", timeline=recording(f"Rayleigh scattering {position}."),
            run_spec={"provider": "emulator", "model": "gemini-2.5-flash",
                      "thinking_budget": position * 512,
                      "messages": [{"role": "user", "content": "Why is the sky blue?"}]},
        )  # fmt: skip
    return comparison


def deck_of(user, **values) -> Deck:
    """A deck of a chat step and a four-pane comparison, as "Add to deck" builds it."""
    from playground.decks.services import step_add_from_comparison, step_add_from_conversation

    deck = Deck.objects.create(owner=user, title="Launch demo", **values)
    step_add_from_conversation(deck=deck, conversation=chat_of(user))
    step_add_from_comparison(deck=deck, comparison=comparison_of(user))
    return deck


@pytest.fixture
def ada_user(ada: Client):
    """The person `ada` (tests/conftest.py) is signed in as."""
    return get_user_model().objects.get(username="ada")


@pytest.fixture
def deck(ada_user) -> Deck:
    return deck_of(ada_user)


def steps(deck: Deck) -> list[Step]:
    return list(deck.steps.order_by("position"))
