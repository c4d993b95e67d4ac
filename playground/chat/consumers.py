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
from playground.chat.selectors import BranchPlace, branch_place, transcript
from playground.chat.services import turn_finish
from playground.runs.consumers import Handler, RunConsumer
from playground.runs.forms import error_lines
from playground.runs.lifecycle import EarlyStream, reply_run, unstarted_outcome
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
# The actions whose request is read ahead, so that it leaves while their turns are written.
AHEAD = {"send": runs.run_send_ahead, "regenerate": runs.run_regenerate_ahead}
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
        try:
            ahead = await self._check(action, form)
        except runs.RunRefused as exc:
            await self.notice(str(exc))
            return
        if not form.is_valid():  # cleaned already: answered from the form's own state
            await self.send_html(
                "chat/page.html#composer-errors", {"errors": error_lines(form), "oob": True}
            )
            return
        # A send's or regeneration's request leaves now, while its turns are written.
        early = EarlyStream(self.stream(ahead.spec)) if ahead and ahead.can_leave_early else None
        try:
            if early is not None:
                await early.request_written()
            prepared = await database_sync_to_async(PREPARE[action])(
                user=self.user, cleaned=form.cleaned_data, settings=form.settings(),
                **({"ahead": ahead} if ahead else {}),
            )  # fmt: skip
        except BaseException as exc:
            if early is not None:
                await early.close()
            if ahead is not None:
                await database_sync_to_async(ahead.refused)()
            if not isinstance(exc, runs.RunRefused):
                raise
            await self.notice(str(exc))
            return
        # Edits and regenerations show a new branch, tool results end the calls' forms:
        # show the whole transcript.
        turns = [] if action == "send" else await self._transcript(prepared)
        # The relay holds the reply's fragments until the page has the elements they target.
        page_ready = asyncio.Event()
        self.start_reply(
            REPLY,
            self._run(prepared, page_ready, early),
            settle=lambda: self._settle(prepared, early),
        )
        try:
            context = {"prepared": prepared, "action": action, "turns": turns}
            await self.send_html("chat/page.html#run-started", context)
        finally:
            page_ready.set()

    @database_sync_to_async
    def _check(self, action: str, form: Any) -> runs.SendAhead | None:
        """Cleaning reads the database (attachments must be the sender's): off the event loop,
        in one trip with reading a valid send's or regeneration's request ahead."""
        if not form.is_valid() or action not in AHEAD:
            return None
        return AHEAD[action](user=self.user, cleaned=form.cleaned_data, settings=form.settings())

    async def _run(
        self, prepared: runs.PreparedRun, page_ready: asyncio.Event, early: EarlyStream | None
    ) -> None:
        turn = prepared.assistant_turn
        relay = ReplyRelay(
            dom_prefix=turn.reply.dom_prefix, n=prepared.spec.n, send=self.send_text,
            ready=page_ready, started=early.started if early else None,
        )  # fmt: skip
        try:
            saved = await reply_run(
                spec=prepared.spec,
                stream=(lambda _spec: early.events()) if early else self.stream,
                relay=relay,
                owner=self.user,
                finish=lambda outcome: self._save(prepared, outcome),
            )
        finally:
            if early is not None:
                await early.close()
        await self._send_finished(saved)

    async def _settle(self, prepared: runs.PreparedRun, early: EarlyStream | None) -> None:
        """A run stopped before its first step: stored as stopped, shown as stopped."""
        if early is not None:
            await early.close()
        outcome = unstarted_outcome(ReplyState.CANCELLED)
        await self._send_finished(await self._save(prepared, outcome))

    @database_sync_to_async
    def _save(self, prepared: runs.PreparedRun, outcome: ReplyOutcome) -> Turn:
        turn = turn_finish(turn_id=prepared.assistant_turn.pk, outcome=outcome)
        # A regenerated reply shows "< 2 / 2 >" once done; a sent one is its only version.
        alone = BranchPlace.among([turn.pk], turn.pk) if prepared.reply_alone else None
        turn.branch = alone or branch_place(turn)
        return turn

    async def _send_finished(self, turn: Turn) -> None:
        await self.send_html("chat/page.html#run-finished", {"turn": turn})

    @database_sync_to_async
    def _transcript(self, prepared: runs.PreparedRun) -> list[Any]:
        return transcript(prepared.conversation)
