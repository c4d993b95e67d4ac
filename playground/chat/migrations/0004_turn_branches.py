"""Turns become a tree: each turn knows the one it follows (`parent`), and among siblings one is
chosen (shown and sent). Stored conversations keep every turn: the old flat list with "replaced"
marks is replayed into the same tree the new code would have built."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

BATCH = 500


def branches_from_replaced(turns: list) -> None:
    """Set `parent` and `is_chosen` on one conversation's turns (in pk order), in place.

    An edit or a regeneration marked a suffix of the shown turns replaced, all with one new
    branch number, then appended the new turns: so the replaced group whose last turn is T was
    taken off the shown path just after T was created. Replaying that gives each turn the turn
    that was last on the path when it was made.
    """
    groups: dict[int, set[int]] = defaultdict(set)
    for turn in turns:
        if turn.replaced_at is not None:
            groups[turn.branch].add(turn.pk)
    taken_off_after = {max(pks): pks for pks in groups.values()}
    path: list[int] = []
    parent_of: dict[int, int | None] = {}
    for turn in turns:
        parent_of[turn.pk] = path[-1] if path else None
        path.append(turn.pk)
        if turn.pk in taken_off_after:
            path = [pk for pk in path if pk not in taken_off_after[turn.pk]]
    shown = set(path)
    siblings: dict[int | None, list[int]] = defaultdict(list)
    for turn in turns:
        siblings[parent_of[turn.pk]].append(turn.pk)
    chosen = {next((pk for pk in group if pk in shown), max(group)) for group in siblings.values()}
    for turn in turns:
        turn.parent_id = parent_of[turn.pk]
        turn.is_chosen = turn.pk in chosen


def forwards(apps, schema_editor) -> None:
    Turn = apps.get_model("chat", "Turn")
    rows = Turn.objects.order_by("conversation_id", "pk").only(
        "pk", "conversation_id", "replaced_at", "branch"
    )
    changed = []
    for _conversation, group in groupby(rows.iterator(), key=lambda turn: turn.conversation_id):
        turns = list(group)
        branches_from_replaced(turns)
        changed += turns
        if len(changed) >= BATCH:
            Turn.objects.bulk_update(changed, ["parent", "is_chosen"], batch_size=BATCH)
            changed = []
    Turn.objects.bulk_update(changed, ["parent", "is_chosen"], batch_size=BATCH)


def backwards(apps, schema_editor) -> None:
    """Back to a flat list: turns off the shown branch are marked replaced (none is lost)."""
    Turn = apps.get_model("chat", "Turn")
    rows = Turn.objects.order_by("conversation_id", "pk").only(
        "pk", "conversation_id", "parent", "is_chosen"
    )
    now = timezone.now()
    changed = []
    for _conversation, group in groupby(rows.iterator(), key=lambda turn: turn.conversation_id):
        turns = list(group)
        shown: set[int] = set()
        for turn in turns:  # a parent always comes before its children
            if turn.is_chosen and (turn.parent_id is None or turn.parent_id in shown):
                shown.add(turn.pk)
        for turn in turns:
            turn.replaced_at = None if turn.pk in shown else now
            turn.branch = 0 if turn.pk in shown else 1
        changed += turns
    Turn.objects.bulk_update(changed, ["replaced_at", "branch"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0003_turn_tool_results"),
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="turn",
            name="is_chosen",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="turn",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="children",
                to="chat.turn",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveIndex(model_name="turn", name="chat_turn_convers_f6c637_idx"),
        migrations.AddIndex(
            model_name="turn",
            index=models.Index(fields=["conversation", "id"], name="chat_turn_conversation_order"),
        ),
        migrations.RemoveField(model_name="turn", name="branch"),
        migrations.RemoveField(model_name="turn", name="replaced_at"),
    ]
