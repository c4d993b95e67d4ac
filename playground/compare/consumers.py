"""The compare page's socket: one validated run fans out into one asyncio task per pane.

Each pane streams on its own through the chat relay, with its own DOM ids; a pane that fails
or is stopped ends alone. When every pane has ended, the summary is sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string
from django.utils.html import format_html

from playground.chat.attachments import AttachmentMissing
from playground.chat.models import TurnState
from playground.compare.models import Comparison, Pane
from playground.compare.runs import (
    RELAY_FAILED,
    CompareRequest,
    compare_request,
    comparison_prepare,
    pane_run,
)
from playground.compare.selectors import (
    comparison_attachments,
    comparison_summary,
    comparisons_of,
    panes_of,
)
from playground.compare.services import comparison_finish, pane_settle
from playground.limits.admission import StreamRefused
from playground.llm.runspec import RunSpec

log = logging.getLogger(__name__)

PAGE = "compare/page.html"
# How long a closing socket waits for its panes to store what arrived.
SETTLE_SECONDS = 5.0


@dataclass
class ActiveRun:
    comparison: Comparison
    started: float
    tasks: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    coordinator: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.coordinator is not None and not self.coordinator.done()


class CompareConsumer(AsyncWebsocketConsumer):
    active: ActiveRun | None = None
    closed = False

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()  # before accept: the handshake is refused with 403
            return
        await self.accept()

    async def disconnect(self, code: int) -> None:
        self.closed = True
        await self._stop_all(wait=True)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            payload = json.loads(text_data or "")
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            await self._notice("That message could not be read; reload the page and try again.")
            return
        action = payload.get("action") or "run"
        if action == "run":
            await self._start(payload)
        elif action == "stop":
            self._stop_pane(payload.get("pane"))
        elif action == "stop_all":
            await self._stop_all(wait=False)
        else:
            await self._notice(f"Unknown action {str(action)[:40]!r}.")

    async def _start(self, payload: dict[str, Any]) -> None:
        if self.active is not None and self.active.running:
            await self._notice("A comparison is still running. Stop it first (Esc).")
            return
        data = {key: value for key, value in payload.items() if key != "HEADERS"}
        request = await compare_request(data, user=self.scope["user"])
        # Cleaning reads the database (attachments must be the sender's): off the event loop.
        if not await database_sync_to_async(lambda: request.ok)():
            await self._send_errors(request)
            return
        try:
            comparison, planned = await database_sync_to_async(comparison_prepare)(
                user=self.scope["user"], request=request
            )
        except (StreamRefused, AttachmentMissing) as exc:  # nothing was stored
            await self._notice(str(exc))
            return
        await self._send_started(comparison, [pane for pane, _ in planned])
        run = ActiveRun(comparison, started=time.monotonic())
        for pane, spec in planned:
            run.tasks[pane.pk] = asyncio.create_task(self._run_pane(pane, spec, run.started))
        run.coordinator = asyncio.create_task(self._finish_when_done(run))
        self.active = run

    async def _run_pane(self, pane: Pane, spec: RunSpec, started: float) -> None:
        saved = await pane_run(pane=pane, spec=spec, send=self._send_text, run_started=started)
        await self._send_html("compare/_pane.html", {"pane": saved, "oob": True})

    async def _finish_when_done(self, run: ActiveRun) -> None:
        try:
            await asyncio.wait(run.tasks.values())
            wall_ms = round((time.monotonic() - run.started) * 1000)
            for pane_id, task in run.tasks.items():
                # Stopped before its first step or during its save, or failed past the relay:
                # settled here (a pane already saved is left as it was).
                if task.cancelled():
                    state, error = TurnState.CANCELLED, None
                elif task.exception() is not None:
                    log.error("pane %s failed", pane_id, exc_info=task.exception())
                    state, error = TurnState.ERROR, {"message": RELAY_FAILED}
                else:
                    continue
                pane = await database_sync_to_async(pane_settle)(
                    pane_id=pane_id, state=state, error=error
                )
                await self._send_html("compare/_pane.html", {"pane": pane, "oob": True})
            await self._send_text(await self._finished_html(run.comparison.pk, wall_ms))
        except Exception:
            log.exception("finishing comparison %s failed", run.comparison.pk)
            await self._notice("The summary could not be made; reload the page to see the panes.")

    @database_sync_to_async
    def _finished_html(self, comparison_id: int, wall_ms: int) -> str:
        """Rendered off the loop: the share control reads the comparison's link."""
        comparison = comparison_finish(comparison_id=comparison_id, wall_ms=wall_ms)
        panes = panes_of(comparison)
        context = {
            "comparison": comparison,
            "summary": comparison_summary(comparison, panes),
            "saved": comparisons_of(self.scope["user"])[:100],
            "oob": True,
        }
        return render_to_string("compare/_run_finished.html", context)

    def _stop_pane(self, pane_id: object) -> None:
        run = self.active
        try:
            task = run.tasks.get(int(str(pane_id))) if run is not None else None
        except ValueError:
            task = None
        if task is not None and not task.done():
            task.cancel()

    async def _stop_all(self, *, wait: bool) -> None:
        run = self.active
        if run is None or not run.running:
            return
        for task in run.tasks.values():
            task.cancel()
        if wait and run.coordinator is not None:
            await asyncio.wait({run.coordinator}, timeout=SETTLE_SECONDS)

    async def _send_started(self, comparison: Comparison, panes: list[Pane]) -> None:
        user = self.scope["user"]
        saved, attachments = await database_sync_to_async(
            lambda: (list(comparisons_of(user)[:100]), comparison_attachments(comparison))
        )()
        context = {"comparison": comparison, "panes": panes, "saved": saved, "oob": True,
                   "prompt_attachments": attachments}  # fmt: skip
        await self._send_html("compare/_run_started.html", context)

    async def _send_errors(self, request: CompareRequest) -> None:
        context = {
            "form": request.form,
            "panes_formset": request.panes,
            "model_choices": request.model_choices,
            "oob": True,
        }
        await self._send_html("compare/_invalid.html", context)

    async def _notice(self, message: str) -> None:
        await self._send_text(
            format_html(
                '<div id="compare-notice" hx-swap-oob="true" role="alert">{}</div>', message
            )
        )

    async def _send_html(self, template: str, context: dict[str, Any]) -> None:
        await self._send_text(render_to_string(template, context))

    async def _send_text(self, text: str) -> None:
        if self.closed:
            return
        try:
            await self.send(text_data=text)
        except Exception:  # the socket went away between two frames
            log.debug("socket closed while sending", exc_info=True)
            self.closed = True
