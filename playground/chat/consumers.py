"""The chat page's socket: validates composer messages, runs one reply at a time, relays it."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async

from playground.chat import runs
from playground.chat.forms import (
    ChatEditForm,
    ChatRegenerateForm,
    ChatSendForm,
    ChatToolResultsForm,
)
from playground.chat.models import Turn
from playground.chat.selectors import branch_place, transcript
from playground.chat.services import turn_finish
from playground.runs.consumers import Handler, RunConsumer
from playground.runs.forms import error_lines
from playground.runs.lifecycle import reply_run, unstarted_outcome
from playground.runs.outcome import ReplyOutcome
from playground.runs.relay import ReplyRelay
from playground.runs.states import ReplyState

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
REPLY = "reply"  # one reply at a time per page


class PlayConsumer(RunConsumer):
    notice_id = "chat-notice"
    default_action = "send"

    def handlers(self) -> dict[str, Handler]:
        start = {action: self._starter(action) for action in FORMS}
        return {**start, "stop": self._stop}

    def _starter(self, action: str) -> Handler:
        async def handle(data: dict[str, Any]) -> None:
            await self._start(action, data)

        return handle

    async def _stop(self, data: dict[str, Any]) -> None:
        self.stop_reply(REPLY)

    async def _start(self, action: str, data: dict[str, Any]) -> None:
        if self.busy:
            await self.notice("A reply is still being generated. Stop it first (Esc).")
            return
        form = FORMS[action](data, model_choices=await self.model_ids(), user=self.user)
        # Cleaning reads the database (attachments must be the sender's): off the event loop.
        if not await database_sync_to_async(form.is_valid)():
            await self.send_html(
                "chat/page.html#composer-errors", {"errors": error_lines(form), "oob": True}
            )
            return
        try:
            prepared = await database_sync_to_async(PREPARE[action])(
                user=self.user, cleaned=form.cleaned_data, settings=form.settings()
            )
        except runs.RunRefused as exc:
            await self.notice(str(exc))
            return
        # Edits and regenerations show a new branch, tool results end the calls' forms:
        # show the whole transcript.
        turns = [] if action == "send" else await self._transcript(prepared)
        # The upstream call starts first; the relay holds its fragments until the page has
        # the elements they target.
        page_ready = asyncio.Event()
        self.start_reply(
            REPLY, self._run(prepared, page_ready), settle=lambda: self._settle(prepared)
        )
        try:
            context = {"prepared": prepared, "action": action, "turns": turns}
            await self.send_html("chat/page.html#run-started", context)
        finally:
            page_ready.set()

    async def _run(self, prepared: runs.PreparedRun, page_ready: asyncio.Event) -> None:
        turn = prepared.assistant_turn
        relay = ReplyRelay(
            dom_prefix=turn.reply.dom_prefix, n=prepared.spec.n, send=self.send_text,
            ready=page_ready,
        )  # fmt: skip
        saved = await reply_run(
            spec=prepared.spec,
            stream=self.stream,
            relay=relay,
            owner=self.user,
            finish=lambda outcome: self._save(turn.pk, outcome),
        )
        await self._send_finished(saved)

    async def _settle(self, prepared: runs.PreparedRun) -> None:
        """A run stopped before its first step: stored as stopped, shown as stopped."""
        outcome = unstarted_outcome(ReplyState.CANCELLED)
        await self._send_finished(await self._save(prepared.assistant_turn.pk, outcome))

    @database_sync_to_async
    def _save(self, turn_id: int, outcome: ReplyOutcome) -> Turn:
        turn = turn_finish(turn_id=turn_id, outcome=outcome)
        turn.branch = branch_place(turn)  # a regenerated reply shows "< 2 / 2 >" once done
        return turn

    async def _send_finished(self, turn: Turn) -> None:
        await self.send_html("chat/page.html#run-finished", {"turn": turn})

    @database_sync_to_async
    def _transcript(self, prepared: runs.PreparedRun) -> list[Any]:
        return transcript(prepared.conversation)
