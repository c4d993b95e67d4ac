"""The page's socket: validates composer messages, starts runs as tasks, relays their streams."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string
from django.utils.html import format_html

from playground.chat import runs
from playground.chat.attachments import AttachmentMissing, resolve_attachments
from playground.chat.forms import (
    ChatEditForm,
    ChatRegenerateForm,
    ChatSendForm,
    ChatToolResultsForm,
)
from playground.chat.models import TurnState
from playground.chat.relay import ReplyRelay
from playground.chat.selectors import chat_model_ids, transcript
from playground.chat.services import TurnOutcome, turn_finish
from playground.llm.streaming import stream_reply

log = logging.getLogger(__name__)

FORMS = {
    "send": ChatSendForm,
    "regenerate": ChatRegenerateForm,
    "edit": ChatEditForm,
    "tool_results": ChatToolResultsForm,
}
PREPARE = {
    "send": runs.run_prepare_send,
    "regenerate": runs.run_prepare_regenerate,
    "edit": runs.run_prepare_edit,
    "tool_results": runs.run_prepare_tool_results,
}
RELAY_FAILED = "The playground failed while relaying this reply; what arrived is kept."
# How long a closing socket waits for its run to store what arrived.
SETTLE_SECONDS = 5.0


class PlayConsumer(AsyncWebsocketConsumer):
    run_task: asyncio.Task[None] | None = None
    settle_task: asyncio.Future[None] | None = None
    closed = False

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()  # before accept: the handshake is refused with 403
            return
        await self.accept()

    async def disconnect(self, code: int) -> None:
        self.closed = True
        await self._stop_run(wait=True)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            payload = json.loads(text_data or "")
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            await self._notice("That message could not be read; reload the page and try again.")
            return
        action = payload.get("action") or "send"
        if action == "stop":
            await self._stop_run(wait=False)
        elif action in FORMS:
            await self._start(action, payload)
        else:
            await self._notice(f"Unknown action {action!r}.")

    async def _start(self, action: str, payload: dict[str, Any]) -> None:
        if self.run_task is not None and not self.run_task.done():
            await self._notice("A reply is still being generated. Stop it first (Esc).")
            return
        data = {key: value for key, value in payload.items() if key != "HEADERS"}
        user = self.scope["user"]
        form = FORMS[action](data, model_choices=await chat_model_ids(), user=user)
        # Cleaning reads the database (attachments must be the sender's): off the event loop.
        if not await database_sync_to_async(form.is_valid)():
            await self._send_html(
                "chat/_composer_errors.html", {"errors": form.errors, "oob": True}
            )
            return
        try:
            prepared = await database_sync_to_async(PREPARE[action])(
                user=user, cleaned=form.cleaned_data, settings=form.settings_dict()
            )
        except runs.RunRefused as exc:
            await self._notice(str(exc))
            return
        # Edits and regenerations mark earlier turns replaced, tool results end the calls'
        # forms: show the whole transcript.
        turns = [] if action == "send" else await self._transcript(prepared)
        # The upstream call starts first; the relay holds its fragments until the page has
        # the elements they target.
        page_ready = asyncio.Event()
        self.run_task = asyncio.create_task(self._run(prepared, page_ready))
        self.run_task.add_done_callback(lambda task: self._settle_unstarted(task, prepared))
        try:
            await self._send_html(
                "chat/_run_started.html",
                {
                    "prepared": prepared,
                    "action": action,
                    "turns": turns,
                },
            )
        finally:
            page_ready.set()

    async def _run(self, prepared: runs.PreparedRun, page_ready: asyncio.Event) -> None:
        turn = prepared.assistant_turn
        relay = ReplyRelay(
            turn_id=turn.pk, n=prepared.spec.n, send=self._send_text, ready=page_ready
        )
        outcome: TurnOutcome | None = None
        try:
            spec = await database_sync_to_async(resolve_attachments)(
                prepared.spec, owner=self.scope["user"]
            )
            outcome = await relay.run(stream_reply(spec))
        except AttachmentMissing as exc:
            outcome = relay.outcome(TurnState.ERROR, {"message": str(exc)})
        except Exception:
            log.exception("relaying turn %s failed", turn.pk)
            outcome = relay.outcome(TurnState.ERROR, {"message": RELAY_FAILED})
        finally:
            if outcome is None:  # cancelled before the relay began
                outcome = relay.outcome(TurnState.CANCELLED, None)
            # Shielded: a second cancel (the tab closing after Stop) must not lose the save.
            turn = await asyncio.shield(
                database_sync_to_async(turn_finish)(turn_id=turn.pk, outcome=outcome)
            )
        await self._send_html("chat/_run_finished.html", {"turn": turn})

    def _settle_unstarted(self, task: asyncio.Task[None], prepared: runs.PreparedRun) -> None:
        """A run cancelled before its first step never reached its own `finally`: settle it."""
        if task.cancelled():
            outcome = TurnOutcome(state=TurnState.CANCELLED, answers=[""], thoughts=[""])
            self.settle_task = asyncio.ensure_future(self._finish(prepared, outcome))

    async def _finish(self, prepared: runs.PreparedRun, outcome: TurnOutcome) -> None:
        turn = await database_sync_to_async(turn_finish)(
            turn_id=prepared.assistant_turn.pk, outcome=outcome
        )
        await self._send_html("chat/_run_finished.html", {"turn": turn})

    async def _stop_run(self, *, wait: bool) -> None:
        task = self.run_task
        if task is None or task.done():
            return
        task.cancel()
        if wait:
            await asyncio.wait({task}, timeout=SETTLE_SECONDS)
            if self.settle_task is not None:
                await asyncio.wait({self.settle_task}, timeout=SETTLE_SECONDS)

    @database_sync_to_async
    def _transcript(self, prepared: runs.PreparedRun) -> list[Any]:
        return transcript(prepared.conversation)

    async def _notice(self, message: str) -> None:
        await self._send_text(
            format_html('<div id="chat-notice" hx-swap-oob="true" role="alert">{}</div>', message)
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
