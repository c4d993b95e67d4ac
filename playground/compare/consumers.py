"""The compare page's socket: one validated run fans out into one reply task per pane.

Each pane streams on its own through the run engine, with its own DOM ids; a pane that fails
or is stopped ends alone. When every pane has ended, the summary is sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from channels.db import database_sync_to_async
from django.template.loader import render_to_string

from playground.compare.models import Comparison, Pane
from playground.compare.runs import (
    CompareAhead,
    CompareRequest,
    compare_ahead,
    compare_request,
    comparison_prepare,
    pane_run,
)
from playground.compare.selectors import (
    comparison_attachments,
    comparison_summary,
    comparisons_of,
    pane_slots,
    panes_of,
)
from playground.compare.services import comparison_finish, pane_settle
from playground.limits.admission import StreamRefused
from playground.llm import RunSpec, request_written_signal
from playground.runs.attachments import AttachmentMissing
from playground.runs.consumers import Handler, RunConsumer
from playground.runs.forms import active_model_ids
from playground.runs.lifecycle import RELAY_FAILED, EarlyStream, requests_written
from playground.runs.states import ReplyState

log = logging.getLogger(__name__)


class CompareConsumer(RunConsumer):
    notice_id = "compare-notice"
    default_action = "run"
    coordinator: asyncio.Task[None] | None = None
    # Set once the running comparison's frame is on the page.
    page_ready: asyncio.Event | None = None

    def handlers(self) -> dict[str, Handler]:
        return {"run": self._start, "stop": self._stop_pane, "stop_all": self._stop_all}

    async def _stop_pane(self, data: dict[str, Any]) -> None:
        pane_id = str(data.get("pane"))
        if pane_id.isdigit():
            self.stop_reply(int(pane_id))

    async def _stop_all(self, data: dict[str, Any]) -> None:
        await self.stop_replies(wait=False)

    async def _start(self, data: dict[str, Any]) -> None:
        if self.coordinator is not None and not self.coordinator.done():
            await self.notice("A comparison is still running. Stop it first (Esc).")
            return
        request = compare_request(data, model_choices=await self.model_ids(), user=self.user)
        try:
            ok, ahead = await database_sync_to_async(self._check)(request)
        except StreamRefused as exc:  # nothing was stored or sent
            await self.notice(str(exc))
            return
        if not ok:
            await self._send_errors(request)
            return
        started = time.monotonic()
        # The run's requests leave now, while the comparison is written (a run with
        # attachments once it is stored: their bytes are read then).
        early = [EarlyStream(self.stream(spec)) for spec in ahead.specs] if ahead else []
        try:
            await requests_written([stream.written for stream in early])
            comparison, planned = await database_sync_to_async(comparison_prepare)(
                user=self.user, request=request, ahead=ahead
            )
        except BaseException as exc:
            for stream in early:
                await stream.close()
            if ahead is not None:
                await database_sync_to_async(ahead.refused)()
            if not isinstance(exc, (StreamRefused, AttachmentMissing)):
                raise
            await self.notice(str(exc))  # nothing was stored
            return
        # Each relay holds its fragments until the page has the elements they target.
        self.page_ready = asyncio.Event()
        self.replies.clear()
        written = []
        for (pane, spec), stream in zip(planned, early or [None] * len(planned), strict=True):
            written.append(stream.written if stream else asyncio.Event())
            self.start_reply(
                pane.pk,
                self._run_pane(pane, spec, started, written[-1], stream),
                settle=self._settler(pane.pk, stream),
            )
        self.coordinator = asyncio.create_task(self._finish_when_done(comparison, started))
        try:
            # Drawing the frame holds the GIL for milliseconds: the requests go out first.
            await requests_written(written)
            await self._send_started(comparison, [pane for pane, _ in planned], request)
        finally:
            self.page_ready.set()

    def _check(self, request: CompareRequest) -> tuple[bool, CompareAhead | None]:
        """Cleaning reads the database (attachments must be the sender's): off the event loop,
        in one trip with admitting a valid run's requests ahead."""
        if not request.ok:
            return False, None
        return True, compare_ahead(user=self.user, request=request)

    async def _run_pane(
        self,
        pane: Pane,
        spec: RunSpec,
        started: float,
        written: asyncio.Event,
        early: EarlyStream | None,
    ) -> None:
        if early is None:
            request_written_signal(written)  # this task's request
        try:
            saved = await pane_run(
                pane=pane, spec=spec, send=self.send_text, owner=self.user,
                stream=(lambda _spec: early.events()) if early else self.stream,
                run_started=started, ready=self.page_ready,
                started=early.started if early else None,
            )  # fmt: skip
        finally:
            if early is not None:
                await early.close()
        await self._send_pane(saved)

    async def _send_pane(self, pane: Pane) -> None:
        """A pane's final HTML, once the page holds the pane (a run stopped or failed before
        its first step ends before the run's frame is sent)."""
        if self.page_ready is not None:
            await self.page_ready.wait()
        await self.send_html("compare/_pane.html", {"pane": pane, "oob": True})

    def _settler(self, pane_id: int, early: EarlyStream | None) -> Any:
        async def settle() -> None:
            """Stopped before its first step: stored as stopped, shown as stopped."""
            if early is not None:
                await early.close()
            pane = await database_sync_to_async(pane_settle)(
                pane_id=pane_id, state=ReplyState.CANCELLED, error=None
            )
            await self._send_pane(pane)

        return settle

    async def _finish_when_done(self, comparison: Comparison, started: float) -> None:
        try:
            await asyncio.wait(self.replies.values())
            if self.settling:
                await asyncio.wait(set(self.settling))
            for pane_id, task in self.replies.items():
                # Failed past the run engine (storing it, say): settled here, kept if saved.
                if not task.cancelled() and task.exception() is not None:
                    log.error("pane %s failed", pane_id, exc_info=task.exception())
                    pane = await database_sync_to_async(pane_settle)(
                        pane_id=pane_id, state=ReplyState.ERROR, error={"message": RELAY_FAILED}
                    )
                    await self._send_pane(pane)
            wall_ms = round((time.monotonic() - started) * 1000)
            await self.send_text(await self._finished_html(comparison.pk, wall_ms))
        except Exception:
            log.exception("finishing comparison %s failed", comparison.pk)
            await self.notice("The summary could not be made; reload the page to see the panes.")

    @database_sync_to_async
    def _finished_html(self, comparison_id: int, wall_ms: int) -> str:
        """Rendered off the loop: the share control reads the comparison's link. The saved
        list is as the run's frame left it (the run added itself there; reading and drawing
        100 items again took ~11 ms)."""
        comparison = comparison_finish(comparison_id=comparison_id, wall_ms=wall_ms)
        panes = panes_of(comparison)
        context = {
            "comparison": comparison,
            "summary": comparison_summary(comparison, panes),
            "oob": True,
        }
        return render_to_string("compare/_run_finished.html", context)

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        if self.coordinator is not None:
            await asyncio.wait({self.coordinator}, timeout=5.0)

    async def _send_started(
        self, comparison: Comparison, panes: list[Pane], request: CompareRequest
    ) -> None:
        """The panes redrawn around their new runs: the settings as sent (so a fixed field's
        error is gone), each pane's runs streaming below its header. Read and rendered off the
        event loop (16 ms for eight panes), which meanwhile sends the panes' requests."""

        def started_html() -> str:
            context = {
                "comparison": comparison,
                "panes_formset": request.panes,
                "slots": pane_slots(forms=request.panes.forms, panes=panes),
                "saved": list(comparisons_of(self.user)[:100]),
                "oob": True,
                "prompt_attachments": comparison_attachments(comparison),
            }
            return render_to_string("compare/_run_started.html", context)

        await self.send_text(await database_sync_to_async(started_html)())

    async def _send_errors(self, request: CompareRequest) -> None:
        context = {
            "form": request.form,
            "panes_formset": request.panes,
            "slots": pane_slots(forms=request.panes.forms, panes=[]),
            "model_choices": active_model_ids(request.model_choices),
            "oob": True,
        }
        await self.send_html("compare/_invalid.html", context)
