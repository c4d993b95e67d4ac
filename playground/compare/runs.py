"""From validated forms to stored panes and their RunSpecs, and one pane's run to its end."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings as django_settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import BaseFormSet

from playground.compare.forms import CompareForm, pane_formset
from playground.compare.models import Comparison, Pane
from playground.compare.services import comparison_start, pane_finish
from playground.limits.admission import requests_give_back, streams_admit_ahead
from playground.llm import Message, RunSpec
from playground.runs.attachments import resolve_attachments, user_content
from playground.runs.forms import ModelChoices
from playground.runs.lifecycle import Stream, reply_run
from playground.runs.outcome import ReplyOutcome
from playground.runs.relay import ReplyRelay, Send
from playground.runs.settings import RunSettings


@dataclass
class CompareRequest:
    """The forms of one run, validated together; `ok` when every one of them is valid."""

    form: CompareForm
    panes: BaseFormSet
    model_choices: ModelChoices

    @property
    def ok(self) -> bool:
        # Both are validated, so every error shows at once.
        if not all([self.form.is_valid(), self.panes.is_valid()]):
            return False
        return self._within_stream_limit()

    def _within_stream_limit(self) -> bool:
        """Every run goes out at once, so all of them must fit the person's stream limit."""
        limit = django_settings.LIMIT_CONCURRENT_STREAMS
        runs = self.form.cleaned_data["runs_per_pane"]
        total = runs * len(self.panes.forms)
        if not limit or total <= limit or runs == 1:  # one run per pane: admission says it
            return True
        self.form.add_error(
            "runs_per_pane",
            f"{len(self.panes.forms)} panes of {runs} runs make {total} replies at once, and "
            f"one person may generate {limit} at a time. Lower the runs per pane or remove "
            "panes.",
        )
        return False

    def pane_settings(self) -> list[RunSettings]:
        """Each pane's settings with what every pane shares (system prompt, tools)."""
        shared = self.form.cleaned_data
        return [
            pane_form.settings(
                system_prompt=shared["system_prompt"],
                tools=tuple(shared.get("tools") or ()),
                tool_choice=shared.get("tool_choice") or "auto",
            )
            for pane_form in self.panes.forms
        ]


def compare_request(
    data: Mapping[str, Any], *, model_choices: ModelChoices, user: AbstractBaseUser | None = None
) -> CompareRequest:
    """The run's forms, not yet validated: `ok` reads the database (the sender's attachments)."""
    return CompareRequest(
        CompareForm(data, user=user),
        pane_formset(model_choices=model_choices, data=data),
        model_choices,
    )


def _planned(request: CompareRequest) -> list[tuple[RunSettings, RunSpec]]:
    """Each pane's settings and the spec it sends (attachments named by id)."""
    prompt = request.form.cleaned_data["prompt"]
    attachments = request.form.cleaned_data.get("attachments") or []
    question = Message(role="user", content=user_content(prompt, list(attachments)))
    return [(settings, settings.to_spec([question])) for settings in request.pane_settings()]


@dataclass(frozen=True)
class CompareAhead:
    """A run's requests, read and admitted before anything is stored, so that they can leave
    while the comparison is written (as a chat send's `SendAhead`): one spec per stored run,
    in the order `comparison_prepare` returns the panes (position, then run)."""

    specs: list[RunSpec]
    user_id: int

    def refused(self) -> None:
        """The run did not start after all: its requests no longer count against the minute."""
        requests_give_back(user_id=self.user_id, count=len(self.specs))


def compare_ahead(*, user: AbstractBaseUser, request: CompareRequest) -> CompareAhead | None:
    """What a valid run will send, admitted (StreamRefused otherwise); None when it names
    attachments, whose bytes are read once they are stored (and so protected)."""
    if request.form.cleaned_data.get("attachments"):
        return None
    runs = request.form.cleaned_data["runs_per_pane"]
    specs = [spec for _, spec in _planned(request) for _ in range(runs)]
    streams_admit_ahead(user_id=user.pk, count=len(specs))
    return CompareAhead(specs=specs, user_id=user.pk)


@transaction.atomic  # an attachment that cannot be read leaves nothing stored
def comparison_prepare(
    *, user: AbstractBaseUser, request: CompareRequest, ahead: CompareAhead | None = None
) -> tuple[Comparison, list[tuple[Pane, RunSpec]]]:
    """Store the comparison (specs name attachments by id) and return each pane's spec to send,
    with the attachments' bytes read once and shared by every pane. With `ahead`, its
    requests are already admitted (and sent)."""
    attachments = request.form.cleaned_data.get("attachments") or []
    planned = _planned(request)
    comparison, panes = comparison_start(
        user=user,
        prompt=request.form.cleaned_data["prompt"],
        system_prompt=request.form.cleaned_data["system_prompt"],
        panes=planned,
        attachments=attachments,
        runs=request.form.cleaned_data["runs_per_pane"],
        requests_taken=ahead is not None,
    )
    messages = None
    if attachments and planned:  # protected from deletion now: they resolve
        messages = resolve_attachments(planned[0][1], owner=user).messages
    specs = [spec if messages is None else replace(spec, messages=messages) for _, spec in planned]
    return comparison, [(pane, specs[pane.position]) for pane in panes]


async def pane_run(
    *, pane: Pane, spec: RunSpec, stream: Stream, send: Send, owner: AbstractBaseUser,
    run_started: float, ready: asyncio.Event | None = None, started: float | None = None,
) -> Pane:  # fmt: skip
    """Stream one pane to `send` and store it once, whatever happens; returns the saved pane.
    `ready`: set once the page holds the pane (its fragments wait for it); `started`: when its
    request left, if before this call (`EarlyStream.started`)."""
    relay = ReplyRelay(
        dom_prefix=pane.reply.dom_prefix, n=1, send=send, ready=ready, started=started
    )
    offset_ms = max(0, round((relay.started - run_started) * 1000))

    @database_sync_to_async
    def finish(outcome: ReplyOutcome) -> Pane:
        return pane_finish(pane_id=pane.pk, outcome=outcome, offset_ms=offset_ms)

    return await reply_run(spec=spec, stream=stream, relay=relay, owner=owner, finish=finish)


async def panes_run_all(
    panes: list[tuple[Pane, RunSpec]], *, stream: Stream, send: Send, owner: AbstractBaseUser
) -> int:
    """Every pane at once, each on its own; returns the wall time in milliseconds."""
    started = time.monotonic()
    await asyncio.gather(
        *(
            pane_run(
                pane=pane, spec=spec, stream=stream, send=send, owner=owner, run_started=started
            )
            for pane, spec in panes
        )
    )
    return round((time.monotonic() - started) * 1000)
