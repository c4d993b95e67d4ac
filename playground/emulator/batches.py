"""`/batches`: create, retrieve, cancel and list, as Gemini's OpenAI-compatible Batch API.

The input file comes from the Files API (`files.py`), as Google's example uploads it with the
genai SDK. A batch needs no worker: whoever asks about it advances it. Progress follows the
clock: after `run_seconds` (EMULATOR_BATCH_SECONDS at creation) every line has run; before
that, a proportional share has. The lines that are due run when the batch is next read, inside
one database transaction, so restarts and several server processes agree.
"""

from __future__ import annotations

import math
import secrets
import string
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from playground.emulator.access import emulator_endpoint, key_owner
from playground.emulator.batch_lines import (
    ENDPOINTS,
    input_lines_parse,
    line_output,
    lines_as_jsonl,
    lines_from_jsonl,
)
from playground.emulator.errors import (
    GeminiError,
    dumps,
    invalid_argument,
    invalid_value,
    json_response,
    unknown_field,
)
from playground.emulator.files import active_file, file_generate
from playground.emulator.json_body import body_json
from playground.emulator.models import BatchStatus, EmulatedBatch, EmulatedFile, FileSource
from playground.emulator.views import request_bytes

ACCEPTED_FIELDS = frozenset({"input_file_id", "endpoint", "completion_window", "metadata"})
COMPLETION_WINDOWS = ("24h",)
BATCH_LIFETIME = timedelta(hours=24)
BATCH_ID_ALPHABET = string.ascii_lowercase + string.digits
LIST_LIMIT = 20
LIST_MAX_LIMIT = 100
FINAL = frozenset({BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.CANCELLED})


def new_batch_id() -> str:
    return "".join(secrets.choice(BATCH_ID_ALPHABET) for _ in range(40))


def batch_id_of(given: str) -> str:
    """`batches/x`, `batches%2Fx` (decoded by the server) and `x` all name batch `x`."""
    return given.strip().strip("/").removeprefix("batches/")


def batch_missing(name: str) -> GeminiError:
    return GeminiError(404, f"Batch batches/{name} not found.")


def _seconds(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment else None


def batch_resource(batch: EmulatedBatch) -> dict[str, Any]:
    """The batch as openai's `Batch` type reads it; unset fields are left out, as protobuf does."""
    resource: dict[str, Any] = {
        "completion_window": batch.completion_window,
        "endpoint": batch.endpoint,
        "id": f"batches/{batch.name}",
        "input_file_id": f"files/{batch.input_file_name}",
        "object": "batch",
        "request_counts": {
            "completed": batch.processed - batch.failed,
            "failed": batch.failed,
            "total": batch.total,
        },
        "status": batch.status,
    }
    for field in (
        "created_at", "in_progress_at", "finalizing_at", "completed_at", "failed_at",
        "cancelling_at", "cancelled_at", "expires_at",
    ):  # fmt: skip
        if (moment := getattr(batch, field)) is not None:
            resource[field] = _seconds(moment)
    if batch.output_file_name:
        resource["output_file_id"] = f"files/{batch.output_file_name}"
    if batch.errors:
        resource["errors"] = {"data": batch.errors, "object": "list"}
    if batch.metadata:
        resource["metadata"] = batch.metadata
    return resource


# Creating


def _create_fields(raw: bytes) -> dict[str, Any]:
    body = body_json(raw)
    if not isinstance(body, dict):
        raise invalid_argument("Invalid JSON payload received. Root element must be a message.")
    for name in body:
        if name not in ACCEPTED_FIELDS:
            raise unknown_field(name)
    if body.get("endpoint") not in ENDPOINTS:
        raise invalid_argument(
            f"Invalid endpoint: {body.get('endpoint')}. Valid values are: {', '.join(ENDPOINTS)}"
        )
    if body.get("completion_window") not in COMPLETION_WINDOWS:
        raise invalid_argument(
            f"Invalid completion_window: {body.get('completion_window')}. Valid values are: 24h"
        )
    if not isinstance(body.get("input_file_id"), str) or not body["input_file_id"].strip():
        raise invalid_argument("input_file_id is required: upload the JSONL with the Files API.")
    metadata = body.get("metadata")
    if metadata is not None and not (
        isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values())
    ):
        raise invalid_value("metadata", "TYPE_MAP", metadata)
    return body


def batch_create_from(*, body: dict[str, Any], input_file: EmulatedFile) -> EmulatedBatch:
    """A batch in progress, or one already failed when its input lines cannot be run; it
    belongs to whoever owns its input file."""
    lines, errors = input_lines_parse(bytes(input_file.content), body["endpoint"])
    now = timezone.now()
    batch = EmulatedBatch(
        name=new_batch_id(),
        owner=input_file.owner,
        endpoint=body["endpoint"],
        completion_window=body["completion_window"],
        metadata=body.get("metadata"),
        input_file_name=input_file.name,
        run_seconds=settings.EMULATOR_BATCH_SECONDS,
        created_at=now,
        expires_at=now + BATCH_LIFETIME,
    )
    if errors:
        batch.status, batch.errors, batch.failed_at = BatchStatus.FAILED, errors, now
    else:
        batch.status, batch.in_progress_at, batch.total = BatchStatus.IN_PROGRESS, now, len(lines)
        # Kept with the batch: deleting the input file later must not lose the requests.
        batch.input_lines = lines_as_jsonl(lines)
    batch.save()
    return batch


@emulator_endpoint(methods=("GET", "POST"))
async def batch_collection(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return await _batch_list(request)
    body = _create_fields(request_bytes(request))
    input_file = await active_file(body["input_file_id"], owner=key_owner(request))
    if input_file.source != FileSource.UPLOADED:
        raise invalid_argument(f"files/{input_file.name} is not an uploaded input file.")
    batch = await sync_to_async(batch_create_from)(body=body, input_file=input_file)
    return json_response(batch_resource(batch))


# Progress


def _due_count(batch: EmulatedBatch, now: datetime) -> int:
    elapsed = (now - batch.created_at).total_seconds()
    if batch.run_seconds <= 0 or elapsed >= batch.run_seconds:
        return batch.total
    return min(batch.total, math.floor(batch.total * elapsed / batch.run_seconds))


def _run_due_lines(batch: EmulatedBatch, due: int) -> None:
    pending = lines_from_jsonl(batch.input_lines)[batch.processed : due]
    written = []
    for line in pending:
        output, succeeded = line_output(line, batch.endpoint)
        written.append(dumps(output))
        batch.failed += 0 if succeeded else 1
    if written:
        batch.output_lines += "".join(f"{text}\n" for text in written)
    batch.processed = due


def _write_output(batch: EmulatedBatch) -> None:
    if not batch.output_lines:
        return
    output = file_generate(
        owner=batch.owner,
        content=batch.output_lines.encode("utf-8"),
        display_name=f"batch-{batch.name}-output",
        mime_type="application/jsonl",
    )
    batch.output_file_name = output.name


def batch_advance(*, name: str, owner: str, now: datetime | None = None) -> EmulatedBatch:
    """Runs the lines that are due by now and settles a batch that is cancelling or done.
    Another owner's batch is missing."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = EmulatedBatch.objects.select_for_update().filter(name=name, owner=owner).first()
        if batch is None:
            raise batch_missing(name)
        if batch.status == BatchStatus.IN_PROGRESS:
            due = _due_count(batch, now)
            if due > batch.processed:
                _run_due_lines(batch, due)
            if batch.processed >= batch.total:
                batch.finalizing_at = batch.completed_at = now
                batch.status = BatchStatus.COMPLETED
                _write_output(batch)
            batch.save()
        elif batch.status == BatchStatus.CANCELLING:
            # What had run before the cancel is kept, as OpenAI keeps partial results.
            batch.status, batch.cancelled_at = BatchStatus.CANCELLED, now
            _write_output(batch)
            batch.save()
    return batch


def batch_cancel(*, name: str, owner: str) -> EmulatedBatch:
    with transaction.atomic():
        batch = batch_advance(name=name, owner=owner)
        if batch.status in FINAL:
            raise invalid_argument(f"Cannot cancel a batch with status {batch.status}.")
        if batch.status == BatchStatus.IN_PROGRESS:
            batch.status, batch.cancelling_at = BatchStatus.CANCELLING, timezone.now()
            batch.save(update_fields=["status", "cancelling_at"])
    return batch


@emulator_endpoint(methods=("GET", "POST"))
async def batch_member(request: HttpRequest, batch_path: str) -> HttpResponse:
    """`batches/{id}` (GET) and `batches/{id}/cancel` (POST); the id may carry `batches/`."""
    wants_cancel = batch_path.rstrip("/").endswith("/cancel")
    name = batch_id_of(batch_path.rstrip("/").removesuffix("/cancel"))
    if wants_cancel != (request.method == "POST"):
        raise GeminiError(404, f"Method not found: {request.method} {request.path}.")
    owner = key_owner(request)
    if wants_cancel:
        batch = await sync_to_async(batch_cancel)(name=name, owner=owner)
    else:
        batch = await sync_to_async(batch_advance)(name=name, owner=owner)
    return json_response(batch_resource(batch))


def _list_limit(request: HttpRequest) -> int:
    try:
        limit = int(request.GET.get("limit") or LIST_LIMIT)
    except ValueError:
        raise invalid_argument("limit must be a whole number.") from None
    return max(1, min(limit, LIST_MAX_LIMIT))


def batch_page(*, owner: str, limit: int, after: str) -> tuple[list[EmulatedBatch], bool]:
    batches = EmulatedBatch.objects.filter(owner=owner)
    if after and (cursor := batches.filter(name=batch_id_of(after)).first()):
        batches = batches.filter(pk__lt=cursor.pk)
    names = list(batches.order_by("-pk").values_list("name", flat=True)[: limit + 1])
    return [batch_advance(name=name, owner=owner) for name in names[:limit]], len(names) > limit


async def _batch_list(request: HttpRequest) -> HttpResponse:
    batches, has_more = await sync_to_async(batch_page)(
        owner=key_owner(request), limit=_list_limit(request), after=request.GET.get("after", "")
    )
    data = [batch_resource(batch) for batch in batches]
    body: dict[str, Any] = {"data": data, "has_more": has_more, "object": "list"}
    if data:
        body["first_id"], body["last_id"] = data[0]["id"], data[-1]["id"]
    return json_response(body)
