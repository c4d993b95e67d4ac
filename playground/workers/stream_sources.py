"""The kinds of rows that stream a reply, as the feature apps that own them register them.

Limits count a person's streaming replies and the heartbeat sweep marks cut-off ones as
interrupted; neither may import a feature app (chat, compare sit above them). Each such app
registers its rows here from its AppConfig.ready(), and the lower layers iterate the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True, slots=True)
class StreamSource:
    """Rows of `model` that stream a reply: a chat turn, a compare pane."""

    # The RunClaim kind its runs are claimed under ("turn", "pane").
    kind: str
    model: type[models.Model]
    # Lookups from a row to its person's id and to when it was made.
    user_field: str
    created_field: str
    # Stored on a row whose worker stopped while it streamed.
    cut_off_message: str
    state_field: str = "state"
    error_field: str = "error"
    streaming: str = "streaming"
    interrupted: str = "interrupted"

    def rows(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def streaming_rows(self) -> models.QuerySet:
        return self.rows().filter(**{self.state_field: self.streaming})

    def streaming_rows_of(self, user_id: int) -> models.QuerySet:
        return self.streaming_rows().filter(**{self.user_field: user_id})

    def mark_interrupted(self, ids: list[int]) -> int:
        values = {
            self.state_field: self.interrupted,
            self.error_field: {"message": self.cut_off_message},
        }
        return self.rows().filter(pk__in=ids).update(**values)


_sources: dict[str, StreamSource] = {}


def stream_source_register(source: StreamSource) -> None:
    """Called from a feature app's AppConfig.ready(); registering a kind again replaces it."""
    _sources[source.kind] = source


def stream_sources() -> tuple[StreamSource, ...]:
    return tuple(_sources.values())
