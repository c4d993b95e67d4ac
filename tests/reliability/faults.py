"""The upstream faults every surface must survive, and what a person should see for each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    kind: str
    state: str  # the one final state the turn or pane ends in
    says: str  # part of the message shown with it
    keeps_text: bool  # some answer text arrived before the failure and must be kept

    def __str__(self) -> str:
        return self.kind


FAILURES = [
    Fault("429", "error", "429 RESOURCE_EXHAUSTED", keeps_text=False),
    Fault("429-retry-37", "error", "asks to retry in 37.0 s", keeps_text=False),
    Fault("500", "error", "500 INTERNAL", keeps_text=False),
    Fault("503", "error", "503 UNAVAILABLE", keeps_text=False),
    Fault("reset", "error", "connection to the model endpoint broke", keeps_text=True),
    Fault("stall", "timeout", "did not answer in time", keeps_text=True),
    Fault("malformed", "error", "could not be read", keeps_text=True),
    Fault("no-done", "error", "ended the stream before the reply was complete", keeps_text=True),
]
REFUSED = "Could not reach the model endpoint"
