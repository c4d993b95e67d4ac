"""Reads for the chat pages and the consumer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Q, QuerySet

from playground.chat.models import Conversation, Turn, attachments_read
from playground.chat.turn_html import turn_html_key
from playground.llm import Message, ToolCall
from playground.runs.attachments import user_content
from playground.runs.states import FINAL_STATES, ReplyState


def conversations_of(user: AbstractBaseUser) -> QuerySet[Conversation]:
    return Conversation.objects.filter(user=user).only("pk", "title", "updated_at")


# The list shows the newest conversations first and loads older ones a page at a time as the
# person scrolls (or follows "More"): a long history costs neither the page's weight nor its
# drawing time.
SIDEBAR_PAGE_SIZE = 30


@dataclass(frozen=True)
class SidebarCursor:
    """Where a page of the list ends: the (updated_at, pk) of its last entry. The next page
    starts strictly after it, so a conversation that moves to the top in between (a new
    message) is neither shown twice nor makes another one be skipped."""

    updated_at: datetime
    pk: int


@dataclass(frozen=True)
class SidebarPage:
    conversations: list[Conversation]
    next_cursor: SidebarCursor | None  # None: nothing older
    skip: int | None = None  # listed out of order on the first page: later pages leave it out

    @property
    def next_query(self) -> str:
        """The query string of the next page's address ("" when there is none)."""
        if self.next_cursor is None:
            return ""
        query = {
            "before": self.next_cursor.updated_at.isoformat(),
            "before_id": self.next_cursor.pk,
        }
        if self.skip is not None:
            query["skip"] = self.skip
        return urlencode(query)


def _sidebar_page(conversations: QuerySet[Conversation], *, skip: int | None) -> SidebarPage:
    listed = list(conversations[: SIDEBAR_PAGE_SIZE + 1])  # one more: is there a next page?
    more = len(listed) > SIDEBAR_PAGE_SIZE
    listed = listed[:SIDEBAR_PAGE_SIZE]
    cursor = SidebarCursor(listed[-1].updated_at, listed[-1].pk) if more else None
    return SidebarPage(conversations=listed, next_cursor=cursor, skip=skip)


def sidebar_conversations(user: AbstractBaseUser, *, current: Conversation | None) -> SidebarPage:
    """The first page of the list, and always the one open: a new message moves its entry
    to the top of the list, which must be there to move. Listed after the page when it is
    older, it is left out of the pages that follow."""
    page = _sidebar_page(conversations_of(user), skip=None)
    if current is None or any(item.pk == current.pk for item in page.conversations):
        return page
    return SidebarPage(
        conversations=[*page.conversations, current],
        next_cursor=page.next_cursor,
        skip=current.pk if page.next_cursor is not None else None,
    )


def sidebar_page_after(
    user: AbstractBaseUser, *, cursor: SidebarCursor, skip: int | None = None
) -> SidebarPage:
    """The page of the list that follows `cursor`, older conversations only."""
    after = Q(updated_at__lt=cursor.updated_at) | Q(updated_at=cursor.updated_at, pk__lt=cursor.pk)
    conversations = conversations_of(user).filter(after)
    if skip is not None:
        conversations = conversations.exclude(pk=skip)
    return _sidebar_page(conversations, skip=skip)


def conversation_of(user: AbstractBaseUser, conversation_id: int) -> Conversation | None:
    return Conversation.objects.filter(pk=conversation_id, user=user).first()


def turn_of(user: AbstractBaseUser, turn_id: int) -> Turn | None:
    return Turn.objects.filter(pk=turn_id, conversation__user=user).first()


@dataclass(frozen=True)
class BranchPlace:
    """Where a shown turn sits among its versions (edits of a message, regenerated replies)."""

    number: int  # 1-based, oldest first
    count: int
    previous_id: int | None
    next_id: int | None

    @classmethod
    def among(cls, sibling_ids: list[int], pk: int) -> BranchPlace:
        index = sibling_ids.index(pk)
        return cls(
            number=index + 1,
            count=len(sibling_ids),
            previous_id=sibling_ids[index - 1] if index else None,
            next_id=sibling_ids[index + 1] if index + 1 < len(sibling_ids) else None,
        )


def _shown_places(rows: list[tuple[int, int | None, bool]]) -> list[tuple[int, BranchPlace]]:
    """The ids of the shown branch, first to last, each with its place among its siblings,
    from the tree's (pk, parent_id, is_chosen) rows in pk order."""
    children: dict[int | None, list[tuple[int, bool]]] = defaultdict(list)
    for pk, parent_id, is_chosen in rows:
        children[parent_id].append((pk, is_chosen))
    shown: list[tuple[int, BranchPlace]] = []
    parent: int | None = None
    while siblings := children.pop(parent, None):  # popped: a bad row cannot make a loop
        ids = [pk for pk, _ in siblings]
        # Exactly one sibling is chosen; should none be, the newest is what was seen last.
        chosen = next((pk for pk, is_chosen in siblings if is_chosen), ids[-1])
        shown.append((chosen, BranchPlace.among(ids, chosen)))
        parent = chosen
    return shown


def shown_branch(conversation: Conversation) -> list[tuple[int, BranchPlace]]:
    """The ids of the turns the conversation shows, first to last, each with its place among
    its siblings. Reads only the tree's ids, whatever the number of branches."""
    rows = conversation.turns.order_by("pk").values_list("pk", "parent_id", "is_chosen")
    return _shown_places(list(rows))


# What a run's history never reads of a turn, and the largest part of a long conversation's rows:
# each reply's run_spec holds the whole history it was sent with (a 25-exchange conversation:
# ~500 KB of JSON; reading its history took 12.2 ms with them, 9.2 without), and its timeline
# another copy of its text.
HISTORY_UNREAD = ("run_spec", "timeline")


def shown_turns(conversation: Conversation, *, for_history: bool = False) -> list[Turn]:
    """The turns of the shown branch, in order, each with `branch` (its `BranchPlace`).
    `for_history`: without what a history leaves out (`HISTORY_UNREAD`)."""
    shown = shown_branch(conversation)
    rows = conversation.turns.filter(pk__in=[pk for pk, _ in shown])
    if for_history:
        rows = rows.defer(*HISTORY_UNREAD)
    by_id = {turn.pk: turn for turn in rows}
    attachments_read(by_id.values())
    turns = []
    for pk, place in shown:
        turn = by_id[pk]
        turn.branch = place
        turns.append(turn)
    return turns


@dataclass
class TurnOutline:
    """What a turn's place in the tree and its cached HTML's key need (see `turn_html_key`):
    a page of finished turns is drawn from these, without reading the turns' rows."""

    pk: int
    role: str
    state: str
    created_at: datetime
    branch: BranchPlace | None = None
    is_last_live: bool = False
    calls_answered: bool = False
    cached_html: tuple[str | None, str | None] = (None, None)  # (its key, the HTML)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


def transcript(conversation: Conversation, *, share: Any = None) -> list[Turn | TurnOutline]:
    """The shown branch, with `is_last_live` set for the page's buttons and `calls_answered`
    on assistant turns whose tool calls the next turn answers.

    A turn whose HTML (as the owner, or `share`'s reader, sees it) is in the cache comes as a
    `TurnOutline` carrying that HTML: a page of finished turns is one cache read and no turn
    rows. Only the others are read whole, in one query.
    """
    tree = conversation.turns.order_by("pk").values_list(
        "pk", "parent_id", "is_chosen", "role", "state", "created_at"
    )
    by_id = {row[0]: row for row in tree}
    outlines = [
        TurnOutline(pk, *by_id[pk][3:], branch=place)
        for pk, place in _shown_places([row[:3] for row in by_id.values()])
    ]
    if outlines and outlines[-1].role == Turn.Role.ASSISTANT:
        outlines[-1].is_last_live = True
    for outline, following in pairwise(outlines):
        outline.calls_answered = following.role == Turn.Role.TOOL
    keys = {outline.pk: turn_html_key(outline, share=share) for outline in outlines}
    cached = cache.get_many([key for key in keys.values() if key is not None])
    missing = [pk for pk, key in keys.items() if key not in cached]
    read = {}
    if missing:
        whole = conversation.turns.filter(pk__in=missing)
        read = {turn.pk: turn for turn in whole}
        attachments_read(read.values())
    turns: list[Turn | TurnOutline] = []
    for outline in outlines:
        turn = read.get(outline.pk)
        if turn is None:
            outline.cached_html = (keys[outline.pk], cached[keys[outline.pk]])
            turns.append(outline)
            continue
        turn.branch = outline.branch
        turn.is_last_live, turn.calls_answered = outline.is_last_live, outline.calls_answered
        turns.append(turn)
    return turns


def last_shown_turn(
    conversation: Conversation, shown: list[tuple[int, BranchPlace]] | None = None
) -> Turn | None:
    """The shown branch's last turn, with its `branch` place (`shown`: the branch, if read)."""
    shown = shown_branch(conversation) if shown is None else shown
    if not shown:
        return None
    pk, place = shown[-1]
    turn = conversation.turns.get(pk=pk)
    turn.branch = place
    return turn


def branch_place(turn: Turn) -> BranchPlace:
    """Where a turn sits among its versions (for a turn shown on its own, as a finished reply)."""
    ids = list(
        Turn.objects.filter(conversation_id=turn.conversation_id, parent_id=turn.parent_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return BranchPlace.among(ids, turn.pk)


def shown_branch_streaming(
    conversation: Conversation, shown: list[tuple[int, BranchPlace]] | None = None
) -> bool:
    """Whether a reply on the shown branch (`shown`: the branch, if read) is being written."""
    ids = [pk for pk, _ in (shown_branch(conversation) if shown is None else shown)]
    return conversation.turns.filter(pk__in=ids, state=ReplyState.STREAMING).exists()


def calls_of(turn: Turn) -> list[dict[str, Any]]:
    """The tool calls of an assistant turn's first choice (the one a tool loop continues)."""
    calls = turn.candidates[0].get("tool_calls") if turn.candidates else None
    return calls if isinstance(calls, list) else []


def tool_calls_awaiting(*, conversation: Conversation | None, turn_id: int) -> list[dict] | None:
    """The calls of `turn_id` when they can be answered now: it is the last turn of the
    shown branch, a finished reply that called tools. None otherwise."""
    if conversation is None:
        return None
    last = last_shown_turn(conversation)
    if last is None or last.pk != turn_id or last.role != Turn.Role.ASSISTANT:
        return None
    if last.state != ReplyState.DONE:
        return None
    return calls_of(last) or None


def history_for_run(conversation: Conversation) -> list[Message]:
    """The messages of the shown branch a new run should send.

    An assistant turn that called tools goes back with its calls, each call's `extra_content`
    and the turn's own exactly as received, when the next turn answers them; then one tool
    message per result. Calls nobody answered are left out (the conversation moved on), with
    the signature that came for them, and so are assistant turns left with nothing to send:
    Gemini refuses empty content.
    """
    return history_of(shown_turns(conversation, for_history=True))


def history_of(shown: list[Turn]) -> list[Message]:
    """`history_for_run` of the shown branch's turns, already read."""
    turns = [turn for turn in shown if turn.state != ReplyState.STREAMING]
    history: list[Message] = []
    for index, turn in enumerate(turns):
        following = turns[index + 1] if index + 1 < len(turns) else None
        if turn.role == Turn.Role.USER:
            content = user_content(turn.content, turn.attached)
            history.append(Message("user", content))
        elif turn.role == Turn.Role.ASSISTANT:
            answered = following is not None and following.role == Turn.Role.TOOL
            calls = tuple(ToolCall.from_wire(call) for call in calls_of(turn)) if answered else ()
            if not turn.content.strip() and not calls:
                continue
            extra = (turn.candidates[0].get("extra_content") if turn.candidates else None) or None
            if calls_of(turn) and not calls:
                extra = None  # a signature made for calls that are left out has nothing to sign
            history.append(
                Message("assistant", turn.content, extra_content=extra, tool_calls=calls)
            )
        elif history and history[-1].tool_calls:
            history += [
                Message("tool", result["content"], tool_call_id=result["call_id"])
                for result in turn.tool_results
            ]
    return history
