"""The presenter's socket: runs one step at a time, each reply live, replayed, or live with a
fallback to its recording (`decks.presenting`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from channels.db import database_sync_to_async

from playground.decks.forms import StepRunForm
from playground.decks.models import Deck
from playground.decks.presenting import Attempt, Plan, Slot, SlotRun, slot_reply, step_slots
from playground.decks.selectors import step_of
from playground.limits.admission import RequestRefused, requests_admit
from playground.runs.consumers import Handler, RunConsumer
from playground.runs.outcome import ReplyOutcome

GONE = "That step does not exist any more (it may have been deleted). Reload the page."


async def _nothing_to_settle() -> None:
    """A deck's replies are not stored: one stopped early leaves nothing to settle."""


class DeckConsumer(RunConsumer):
    notice_id = "deck-notice"
    default_action = "run"

    def handlers(self) -> dict[str, Handler]:
        return {"run": self._run, "stop": self._stop}

    async def _stop(self, data: dict[str, Any]) -> None:
        await self.stop_replies(wait=False)

    @database_sync_to_async
    def _load(self, deck_id: int, step_id: int) -> tuple[Deck, list[Slot]] | None:
        step = step_of(self.user, deck_id, step_id)
        if step is None:
            return None
        return step.deck, step_slots(step)

    async def _run(self, data: dict[str, Any]) -> None:
        form = StepRunForm(data)
        if not form.is_valid():
            await self.notice("That step cannot be presented; reload the page and try again.")
            return
        loaded = await self._load(form.cleaned_data["deck"], form.cleaned_data["step"])
        if loaded is None:
            await self.notice(GONE)
            return
        deck, slots = loaded
        await self.stop_replies(wait=True)  # one step at a time: the one left is stopped
        plan = Plan(deck.mode, deck.fallback_seconds, form.cleaned_data["speed"])
        plan = await self._admitted(plan, slots)
        if plan is None:
            return
        self.replies.clear()
        for slot in slots:
            run = SlotRun(slot=slot, plan=plan, show=self._show, send=self.send_text,
                          stream=self.stream, owner=self.user)  # fmt: skip
            self.start_reply(slot.slot_id, self._present(run), settle=_nothing_to_settle)

    async def _admitted(self, plan: Plan, slots: list[Slot]) -> Plan | None:
        """The plan the person's limits allow: past them, a fallback deck replays and a live
        one says why it cannot run (None)."""
        if plan.mode == Deck.Mode.REPLAY:
            return plan
        ceilings = [s.spec.max_tokens for s in slots if s.spec and s.spec.max_tokens is not None]
        try:
            await database_sync_to_async(requests_admit)(
                user_id=self.user.pk, count=len(slots), max_tokens=max(ceilings, default=None)
            )
        except RequestRefused as exc:
            if plan.mode == Deck.Mode.LIVE:
                await self.notice(str(exc))
                return None
            return replace(plan, mode=Deck.Mode.REPLAY)
        return plan

    async def _present(self, run: SlotRun) -> None:
        await run.run()

    async def _show(self, attempt: Attempt, outcome: ReplyOutcome | None) -> None:
        reply = slot_reply(attempt, outcome)
        context = {"slot": attempt.slot, "attempt": attempt, "reply": reply, "oob": True}
        await self.send_html("decks/_slot.html", context)
