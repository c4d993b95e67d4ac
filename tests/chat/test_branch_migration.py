"""Stored conversations from before branches keep every turn: the flat list with "replaced"
marks becomes the tree the new code would have built."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("chat", "0003_turn_tool_results")]
AFTER = [("chat", "0004_turn_branches")]


def latest():
    """Chat's newest migration: what the live code (and every later test) expects."""
    graph = MigrationExecutor(connection).loader.graph
    return [node for node in graph.leaf_nodes() if node[0] == "chat"]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_replaced_turns_become_branches_and_the_shown_one_stays_shown(make_user):
    user = make_user("alice")
    apps = migrate(BEFORE)
    Conversation, Turn = apps.get_model("chat", "Conversation"), apps.get_model("chat", "Turn")
    conversation = Conversation.objects.create(user_id=user.pk, title="Old")
    now = timezone.now()

    def turn(role: str, content: str, replaced_after: int | None = None, branch: int = 0):
        replaced = now + timedelta(seconds=replaced_after) if replaced_after else None
        return Turn.objects.create(conversation=conversation, role=role, content=content,
                                   replaced_at=replaced, branch=branch).pk  # fmt: skip

    # one → r1 → two → r2; r2 regenerated (branch 1) as r2b; then "one" edited (branch 2)
    # as "one, edited" → r3.
    one = turn("user", "one", 2, branch=2)
    r1 = turn("assistant", "r1", 2, branch=2)
    two = turn("user", "two", 2, branch=2)
    r2 = turn("assistant", "r2", 1, branch=1)
    r2b = turn("assistant", "r2b", 2, branch=2)
    edited = turn("user", "one, edited")
    r3 = turn("assistant", "r3")
    other = Conversation.objects.create(user_id=user.pk, title="Plain")
    plain = [Turn.objects.create(conversation=other, role=role, content=role).pk
             for role in ("user", "assistant")]  # fmt: skip

    apps = migrate(AFTER)
    from playground.chat.selectors import shown_turns  # the code that reads the new tree

    Turn = apps.get_model("chat", "Turn")
    rows = {row.pk: row for row in Turn.objects.all()}
    assert len(rows) == 9, "no turn is lost"
    parents = {pk: row.parent_id for pk, row in rows.items()}
    assert parents == {one: None, r1: one, two: r1, r2: two, r2b: two, edited: None,
                       r3: edited, plain[0]: None, plain[1]: plain[0]}  # fmt: skip
    chosen = {pk for pk, row in rows.items() if row.is_chosen}
    assert chosen == {edited, r3, r1, two, r2b, *plain}, "hidden branches remember their last"

    from playground.chat.models import Conversation as LiveConversation

    migrate(latest())
    shown = shown_turns(LiveConversation.objects.get(pk=conversation.pk))
    assert [t.content for t in shown] == ["one, edited", "r3"]
    assert shown[0].branch.count == 2 and shown[0].branch.previous_id == one

    apps = migrate(BEFORE)  # and back: hidden branches are marked replaced, none is lost
    Turn = apps.get_model("chat", "Turn")
    live = set(Turn.objects.filter(replaced_at__isnull=True).values_list("pk", flat=True))
    assert live == {edited, r3, *plain} and Turn.objects.count() == 9
    migrate(latest())
