"""Which streaming replies a sweep marks interrupted: only those whose worker is gone."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from playground.chat.models import Conversation, ReplyState, Turn
from playground.compare.models import Comparison, Pane
from playground.workers import presence
from playground.workers.identity import THIS_PROCESS
from playground.workers.models import RunClaim, Worker
from playground.workers.services import runs_claim, streams_interrupt_orphaned, worker_beat

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(django_user_model) -> Conversation:
    user = django_user_model.objects.create_user("ada", password=None)
    return Conversation.objects.create(user=user, title="Rivers")


def streaming_turn(conversation: Conversation, *, worker: str | None, age: float = 0) -> Turn:
    turn = Turn.objects.create(conversation=conversation, role="assistant",
                               state=ReplyState.STREAMING, candidates=[{"answer": ""}])  # fmt: skip
    Turn.objects.filter(pk=turn.pk).update(created_at=timezone.now() - timedelta(seconds=age))
    if worker is not None:
        RunClaim.objects.create(kind="turn", object_id=turn.pk, worker_id=worker)
    return turn


def worker(wid: str, *, host: str = "elsewhere", pid: int = 4242, silent_for: float = 0) -> str:
    beat = timezone.now() - timedelta(seconds=silent_for)
    Worker.objects.create(id=wid, host=host, pid=pid, started_at=beat, heartbeat_at=beat)
    return wid


def state(turn: Turn) -> str:
    turn.refresh_from_db()
    return turn.state


def finished_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_it_leaves_replies_of_a_worker_with_a_fresh_heartbeat_alone(conversation) -> None:
    turn = streaming_turn(conversation, worker=worker("alive"))

    assert streams_interrupt_orphaned() == 0
    assert state(turn) == ReplyState.STREAMING


def test_it_interrupts_replies_of_a_worker_whose_heartbeat_stopped(conversation) -> None:
    turn = streaming_turn(conversation, worker=worker("silent", silent_for=600))

    assert streams_interrupt_orphaned() == 1
    assert state(turn) == ReplyState.INTERRUPTED
    assert turn.error == {"message": "The server stopped while this reply was being generated."}


def test_a_worker_gone_from_this_machine_is_known_dead_at_once(conversation) -> None:
    here = THIS_PROCESS.host
    user = conversation.user
    cut_off = streaming_turn(conversation, worker=worker("killed", host=here, pid=finished_pid()))
    alive = streaming_turn(Conversation.objects.create(user=user),
                           worker=worker("running", host=here, pid=os.getppid()))  # fmt: skip
    # Our own PID under another id: an earlier process that had it.
    earlier = streaming_turn(Conversation.objects.create(user=user),
                             worker=worker("earlier", host=here, pid=THIS_PROCESS.pid))  # fmt: skip

    assert streams_interrupt_orphaned() == 2
    assert state(cut_off) == state(earlier) == ReplyState.INTERRUPTED
    assert state(alive) == ReplyState.STREAMING


def test_replies_claimed_by_this_process_are_never_swept(conversation) -> None:
    turn = streaming_turn(conversation, worker=None, age=3600)
    runs_claim(kind="turn", ids=[turn.pk])

    assert streams_interrupt_orphaned() == 0
    assert state(turn) == ReplyState.STREAMING


def test_unclaimed_replies_are_swept_only_once_they_are_old(conversation) -> None:
    young = streaming_turn(conversation, worker=None, age=1)
    old = streaming_turn(Conversation.objects.create(user=conversation.user), worker=None,
                         age=3600)  # fmt: skip

    assert streams_interrupt_orphaned() == 1
    assert (state(young), state(old)) == (ReplyState.STREAMING, ReplyState.INTERRUPTED)


def test_panes_of_a_gone_worker_are_interrupted_too(conversation) -> None:
    comparison = Comparison.objects.create(user=conversation.user, prompt="Why?")
    pane = Pane.objects.create(comparison=comparison, position=0, label="a")
    RunClaim.objects.create(kind="pane", object_id=pane.pk, worker_id=worker("x", silent_for=600))

    assert streams_interrupt_orphaned() == 1
    pane.refresh_from_db()
    assert pane.state == ReplyState.INTERRUPTED
    assert pane.error == {"message": "The server stopped while this pane was being generated."}


def test_claims_of_finished_replies_are_cleared(conversation) -> None:
    turn = streaming_turn(conversation, worker=worker("alive"))
    Turn.objects.filter(pk=turn.pk).update(state=ReplyState.DONE)

    streams_interrupt_orphaned()

    assert not RunClaim.objects.exists()


def test_a_heartbeat_registers_this_process_then_refreshes_it() -> None:
    worker_beat()
    first = Worker.objects.get(pk=THIS_PROCESS.id)
    worker_beat()
    again = Worker.objects.get(pk=THIS_PROCESS.id)

    assert (first.host, first.pid) == (THIS_PROCESS.host, THIS_PROCESS.pid)
    assert again.heartbeat_at >= first.heartbeat_at and again.started_at == first.started_at


def test_processes_that_serve_nothing_start_no_heartbeat(settings) -> None:
    settings.WORKER_HEARTBEAT_SECONDS = 0

    assert presence.presence_start() is False
