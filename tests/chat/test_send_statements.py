"""What one chat send costs the database: each statement is ~0.3 ms of the one thread every
socket shares, and the read-ahead is on the way of the request (issue 15's fixed cost)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from playground.chat import runs
from playground.chat.forms import ChatSendForm
from playground.chat.models import ReplyState, Turn
from playground.chat.services import turn_finish
from playground.runs.lifecycle import unstarted_outcome
from tests.chat.conftest import send_payload

pytestmark = pytest.mark.django_db


def send(user, prompt: str, conversation: object = "") -> runs.PreparedRun:
    form = ChatSendForm(
        send_payload(prompt, conversation=str(conversation)), model_choices=[], user=user
    )
    assert form.is_valid(), form.errors
    ahead = runs.run_send_ahead(user=user, cleaned=form.cleaned_data, settings=form.settings())
    return runs.run_prepare_send(
        user=user, cleaned=form.cleaned_data, settings=form.settings(), ahead=ahead
    )


@pytest.mark.parametrize("existing", [False, True], ids=["new conversation", "fifth exchange"])
def test_a_send_reads_ahead_stores_and_finishes_in_few_statements(
    make_user, settings, django_assert_max_num_queries, existing
) -> None:
    settings.LIMIT_CONCURRENT_STREAMS = 16  # the default limits: counted and claimed
    settings.LIMIT_REQUESTS_PER_MINUTE = 60
    user = make_user()
    conversation = ""
    if existing:
        for number in range(4):
            prepared = send(user, f"Question {number}", conversation)
            conversation = prepared.conversation.pk
            turn_finish(turn_id=prepared.assistant_turn.pk,
                        outcome=unstarted_outcome(ReplyState.DONE))  # fmt: skip
    form = ChatSendForm(
        send_payload("Once more", conversation=str(conversation)), model_choices=[], user=user
    )
    assert form.is_valid(), form.errors
    # On the request's way: the conversation and its branch, and the stream count.
    with django_assert_max_num_queries(6 if existing else 2):
        ahead = runs.run_send_ahead(user=user, cleaned=form.cleaned_data, settings=form.settings())
    # Alongside the request: the turns, the admission under its lock and the claim.
    with django_assert_max_num_queries(13 if existing else 10):
        prepared = runs.run_prepare_send(
            user=user, cleaned=form.cleaned_data, settings=form.settings(), ahead=ahead
        )
    with django_assert_max_num_queries(5):
        turn_finish(turn_id=prepared.assistant_turn.pk, outcome=unstarted_outcome(ReplyState.DONE))
    stored = Turn.objects.filter(conversation=prepared.conversation).count()
    assert stored == (10 if existing else 2)


def test_a_sends_read_ahead_leaves_the_replies_run_specs_and_timelines_unread(make_user) -> None:
    """Each reply's run_spec holds the whole history it was sent with: reading them for the
    next request grew with the square of the conversation (25 exchanges: ~500 KB of JSON)."""
    user = make_user()
    prepared = send(user, "Question 0")
    turn_finish(turn_id=prepared.assistant_turn.pk, outcome=unstarted_outcome(ReplyState.DONE))
    form = ChatSendForm(
        send_payload("Once more", conversation=str(prepared.conversation.pk)),
        model_choices=[],
        user=user,
    )
    assert form.is_valid(), form.errors

    with CaptureQueriesContext(connection) as read:
        ahead = runs.run_send_ahead(user=user, cleaned=form.cleaned_data, settings=form.settings())

    turns = [sql for query in read.captured_queries if '"chat_turn"' in (sql := query["sql"])]
    assert turns, "the history was read"
    assert not any('"run_spec"' in sql or '"timeline"' in sql for sql in turns)
    assert [message.role for message in ahead.spec.messages][-1] == "user"


def test_a_replys_finish_writes_what_arrived_not_the_request_it_was_sent_with(make_user) -> None:
    user = make_user()
    prepared = send(user, "Question 0")

    with CaptureQueriesContext(connection) as wrote:
        turn = turn_finish(
            turn_id=prepared.assistant_turn.pk, outcome=unstarted_outcome(ReplyState.CANCELLED)
        )

    updates = [sql for query in wrote.captured_queries
               if (sql := query["sql"]).startswith('UPDATE "chat_turn"')]  # fmt: skip
    assert len(updates) == 1 and '"run_spec"' not in updates[0]
    assert '"state"' in updates[0] and '"candidates"' in updates[0]
    turn.refresh_from_db()
    assert turn.state == ReplyState.CANCELLED and turn.run_spec == prepared.spec.to_dict()
