"""Relays one run's events to a socket as HTML fragments, coalesced per ~30 ms.

Answer and thought text render as markdown while they stream: each finished block is rendered
(and sanitised) once and appended to `<target>-md`; only the open block is shown as escaped text
in `<target>`, grown by appends and replaced when a block finishes. The last flush renders the
open block too, so what shows when the run ends is the whole text rendered.

Nothing here touches the database: text is accumulated in memory and handed back as a
`ReplyOutcome` once, when the run ends for whatever reason.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from playground.llm import (
    AnswerDelta,
    FinishEvent,
    SignatureEvent,
    ThoughtDelta,
    ToolCallEvent,
    UpstreamError,
    UsageEvent,
)
from playground.runs.markdown import render_markdown
from playground.runs.markdown_stream import MarkdownBlocks
from playground.runs.outcome import ReplyOutcome
from playground.runs.states import ReplyState
from playground.runs.timeline import TimelineRecorder, usage_counts

COALESCE_SECONDS = 0.03
LINK_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.M)
Send = Callable[[str], Awaitable[None]]


class ReplyRelay:
    def __init__(
        self,
        *,
        dom_prefix: str,
        n: int,
        send: Send,
        interval: float = COALESCE_SECONDS,
        ready: asyncio.Event | None = None,
        started: float | None = None,
    ):
        # Fragments target `<prefix>-c<choice>-answer` (see `Reply.dom_prefix`).
        self.dom_prefix = dom_prefix
        self.send = send
        # Set once the page holds the elements the fragments target; nothing is sent before.
        self.ready = ready
        self.interval = interval
        self.answers: list[list[str]] = [[] for _ in range(n)]
        self.thoughts: list[list[str]] = [[] for _ in range(n)]
        self.finish_reasons: list[str | None] = [None] * n
        self.extra_contents: list[dict[str, Any] | None] = [None] * n
        # Each call as the next request must repeat it, its extra_content untouched.
        self.tool_calls: list[list[dict[str, Any]]] = [[] for _ in range(n)]
        self.usage: UsageEvent | None = None
        self.pending: dict[tuple[str, int], list[str]] = {}
        self.blocks: dict[tuple[str, int], MarkdownBlocks] = {}
        # The HTML each stream showed, kept so the stored reply need not be rendered again.
        self.shown: dict[tuple[str, int], list[str]] = {}
        self.rendered_all = False
        # Choices whose thoughts were rendered whole when their answer began, and those whose
        # thoughts went on after that (rare; their stored HTML is then rendered again).
        self.thoughts_closed: set[int] = set()
        self.thoughts_reopened: set[int] = set()
        # When the request left (`time.monotonic()`); the figures count from there.
        self.started = time.monotonic() if started is None else started
        # What arrived and when, for replaying the reply at pace (stored once, at the end).
        self.recorder = TimelineRecorder(started=self.started)
        self.first_token_at: float | None = None
        # When the thought summary and the answer began, for compare's timeline.
        self.first_thought_at: float | None = None
        self.first_answer_at: float | None = None
        self.last_flush = 0.0
        # The first answer text leaves at once; coalescing applies only after it.
        self.flush_now = False
        self.timer: asyncio.TimerHandle | None = None
        self.timer_flush: asyncio.Future[None] | None = None

    async def run(self, events: AsyncIterator[object]) -> ReplyOutcome:
        """Consume `events` to the end, a stop, or an error; always returns an outcome."""
        state, error = ReplyState.DONE, None
        try:
            async with aclosing(events):  # closes the upstream response on every way out
                async for event in events:
                    if self._take(event):
                        await self._maybe_flush()
        except asyncio.CancelledError:
            state = ReplyState.CANCELLED
        except UpstreamError as exc:
            state = ReplyState.TIMEOUT if exc.kind == "timeout" else ReplyState.ERROR
            error = exc.as_dict()
        await self.flush(final=True)
        return self.outcome(state, error)

    def _take(self, event: object) -> bool:
        """Record an event; True when it carries text to show now."""
        match event:
            case AnswerDelta(text=text, choice=choice) | ThoughtDelta(text=text, choice=choice):
                if not text or choice >= len(self.answers):
                    return False
                kind = "answer" if isinstance(event, AnswerDelta) else "thought"
                (self.answers if kind == "answer" else self.thoughts)[choice].append(text)
                if choice == 0:
                    self.recorder.add(kind, text)
                self.pending.setdefault((kind, choice), []).append(text)
                now = time.monotonic()
                if self.first_token_at is None:
                    self.first_token_at = now
                if kind == "answer" and self.first_answer_at is None:
                    self.first_answer_at = now
                    self.flush_now = True
                elif kind == "thought" and self.first_thought_at is None:
                    self.first_thought_at = now
                return True
            case UsageEvent():
                self.usage = event  # some streams repeat usage on every chunk: keep the last
                self.recorder.add_usage(usage_counts(event))
            case FinishEvent(choice=choice, reason=reason) if choice < len(self.answers):
                self.finish_reasons[choice] = reason
                if choice == 0:
                    self.recorder.add("finish", reason)
            case SignatureEvent(choice=choice, extra_content=extra) if choice < len(self.answers):
                self.extra_contents[choice] = extra
            case ToolCallEvent(choice=choice) if choice < len(self.answers):
                self.tool_calls[choice].append(event.as_tool_call().to_wire())
                if choice == 0:
                    self.recorder.add("tool_call", json.dumps(self.tool_calls[0][-1]))
                if self.first_token_at is None:  # a reply that only calls tools starts here
                    self.first_token_at = time.monotonic()
        return False

    async def _maybe_flush(self) -> None:
        since = time.monotonic() - self.last_flush
        if since >= self.interval or self.flush_now:
            self.flush_now = False
            await self.flush()
        elif self.timer is None:
            loop = asyncio.get_running_loop()
            self.timer = loop.call_later(self.interval - since, self._flush_later)

    def _flush_later(self) -> None:
        self.timer = None
        # A stalled stream must still show what it has: flush from the timer.
        self.timer_flush = asyncio.ensure_future(self.flush())

    async def flush(self, *, final: bool = False) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.ready is not None and not self.ready.is_set():
            await self.ready.wait()
        if not self.pending and not final:
            return
        pending, self.pending = self.pending, {}
        self.last_flush = time.monotonic()
        texts = {key: "".join(pieces) for key, pieces in pending.items()}
        for kind, choice in list(self.blocks):  # thoughts whose answer begins end here
            if kind == "thought" and choice not in self.thoughts_closed:
                if ("answer", choice) in texts:
                    texts.setdefault((kind, choice), "")
        if final:  # the open blocks of every stream shown so far get rendered too
            texts |= {key: texts.get(key, "") for key in self.blocks}
            self.rendered_all = True
        parts = [
            part
            for (kind, choice), text in texts.items()
            for part in self._fragments(
                kind, choice, text, final=final or self._thoughts_end(kind, choice, texts)
            )
        ]
        if parts:
            await self.send("".join(parts))

    def _thoughts_end(self, kind: str, choice: int, texts: dict[tuple[str, int], str]) -> bool:
        """Whether a choice's thoughts are over: its answer began, so their open block can
        render now rather than when the whole run ends."""
        if kind != "thought":
            return False
        if choice in self.thoughts_closed:
            if texts.get((kind, choice)):
                self.thoughts_reopened.add(choice)
            return False
        if ("answer", choice) in texts or ("answer", choice) in self.blocks:
            self.thoughts_closed.add(choice)
            return True
        return False

    def _fragments(self, kind: str, choice: int, text: str, *, final: bool) -> list[str]:
        """What one stream's new text changes on the page: finished blocks rendered, and the
        open block's escaped text grown (or replaced, when a block finished)."""
        target = f"{self.dom_prefix}-c{choice}-{'answer' if kind == 'answer' else 'thoughts'}"
        blocks = self.blocks.setdefault((kind, choice), MarkdownBlocks())
        finished = blocks.feed(text)
        if final:
            finished.append(blocks.close())
        if not any(finished):
            if not text:
                return []
            return [format_html('<span id="{}" hx-swap-oob="beforeend">{}</span>', target, text)]
        # Finished blocks render alike one by one or together: one call is cheaper.
        html = render_markdown("".join(finished))
        self.shown.setdefault((kind, choice), []).append(html)
        rendered = mark_safe(html)  # render_markdown's output is sanitised by nh3
        return [
            format_html('<div id="{}-md" hx-swap-oob="beforeend">{}</div>', target, rendered),
            format_html(
                '<span id="{}" hx-swap-oob="innerHTML">{}</span>', target, blocks.open_text()
            ),
        ]

    def elapsed_ms(self, moment: float | None) -> int | None:
        """Milliseconds from the start of the run to `moment` (None stays None)."""
        return None if moment is None else round((moment - self.started) * 1000)

    def _shown_html(self, kind: str, texts: list[list[str]]) -> list[str | None]:
        """Per choice, the HTML shown when the run ended, when it is the whole text rendered
        (None: render it again). A link reference may be defined after the block that uses
        it, so a text that defines one is rendered whole."""
        if not self.rendered_all:
            return [None] * len(texts)
        reopened = self.thoughts_reopened if kind == "thought" else set()
        return [
            None if choice in reopened or LINK_REFERENCE.search(text := "".join(pieces)) else
            "".join(self.shown.get((kind, choice), [])) if text else ""
            for choice, pieces in enumerate(texts)
        ]  # fmt: skip

    def outcome(self, state: ReplyState, error: dict[str, Any] | None) -> ReplyOutcome:
        now = time.monotonic()
        usage = self.usage
        return ReplyOutcome(
            state=state,
            answers=["".join(pieces) for pieces in self.answers],
            thoughts=["".join(pieces) for pieces in self.thoughts],
            answers_html=self._shown_html("answer", self.answers),
            thoughts_html=self._shown_html("thought", self.thoughts),
            finish_reasons=list(self.finish_reasons),
            extra_contents=list(self.extra_contents),
            tool_calls=[list(calls) for calls in self.tool_calls],
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
            thinking_tokens=usage.thinking_tokens if usage else None,
            ttft_ms=self.elapsed_ms(self.first_token_at),
            first_thought_ms=self.elapsed_ms(self.first_thought_at),
            first_answer_ms=self.elapsed_ms(self.first_answer_at),
            total_ms=round((now - self.started) * 1000),
            error=error,
            timeline=self.recorder.timeline(),
        )
