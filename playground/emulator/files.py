"""Gemini's Files API, as the google-genai SDK uses it for batch input and output.

These routes live beside `v1beta/openai/`, not under it: the SDK is pointed at the emulator's
root and builds `upload/{version}/files`, `{version}/files/{id}` and
`{version}/files/{id}:download?alt=media` itself. The SDK's default version is `v1`; Google's
documentation uses `v1beta`; both are served.

Uploads follow Google's resumable protocol: a `start` request (with the key) answers with an
upload URL carrying an `upload_id`, then chunks are sent to that URL with `upload` and a final
`upload, finalize` command. The chunk requests carry no key: the upload id is the credential.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import string
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from playground.emulator.access import emulator_endpoint, key_owner
from playground.emulator.errors import GeminiError, invalid_argument, json_response
from playground.emulator.json_body import body_json
from playground.emulator.models import EmulatedFile, FileSource, FileState

VERSIONS = ("v1beta", "v1")
# The emulator keeps files in its database; Gemini's own limit is 2 GB.
MAX_FILE_BYTES = 50 * 1024 * 1024
FILE_LIFETIME = timedelta(hours=48)
FILE_ID_ALPHABET = string.ascii_lowercase + string.digits
FILE_ID = re.compile(r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")
LIST_PAGE_SIZE = 10
LIST_MAX_PAGE_SIZE = 100


def new_file_id() -> str:
    return "".join(secrets.choice(FILE_ID_ALPHABET) for _ in range(12))


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def file_id_of(given: str) -> str:
    """`files/abc`, `files%2Fabc` (decoded by the server) and `abc` all name file `abc`."""
    return given.strip().removeprefix("files/")


class StatusError(GeminiError):
    """An error whose google.rpc status the shared table does not name."""

    def __init__(self, code: int, message: str, status: str):
        super().__init__(code, message)
        self.status = status

    def body(self) -> list[dict[str, Any]]:
        body = super().body()
        body[0]["error"]["status"] = self.status
        return body


def file_missing(name: str) -> GeminiError:
    # Gemini does not tell a missing file from someone else's.
    return StatusError(
        403,
        f"You do not have permission to access the File {name} or it may not exist.",
        "PERMISSION_DENIED",
    )


def _route_suffix(version: str) -> str:
    return "" if version == "v1beta" else f"_{version}"


def file_resource(request: HttpRequest, file: EmulatedFile, version: str) -> dict[str, Any]:
    """The File as Gemini describes it: camelCase, sizes as strings, times in RFC 3339."""
    suffix = _route_suffix(version)
    resource: dict[str, Any] = {
        "createTime": rfc3339(file.created_at),
        "expirationTime": rfc3339(file.expires_at),
        "mimeType": file.mime_type,
        "name": f"files/{file.name}",
        "sha256Hash": file.sha256_hash,
        "sizeBytes": str(file.size_bytes or 0),
        "source": file.source,
        "state": file.state,
        "updateTime": rfc3339(file.updated_at),
        "uri": request.build_absolute_uri(
            reverse(f"emulator:file{suffix}", kwargs={"file_path": file.name})
        ),
    }
    if file.display_name:
        resource["displayName"] = file.display_name
    if file.source == FileSource.GENERATED:
        address = reverse(f"emulator:file_download{suffix}", kwargs={"file_path": file.name})
        resource["downloadUri"] = request.build_absolute_uri(f"{address}:download?alt=media")
    return resource


async def active_file(name: str, *, owner: str) -> EmulatedFile:
    """The owner's file; someone else's is missing, as Gemini tells neither apart."""
    file = await EmulatedFile.objects.filter(
        owner=owner, name=file_id_of(name), state=FileState.ACTIVE, expires_at__gt=timezone.now()
    ).afirst()
    if file is None:
        raise file_missing(f"files/{file_id_of(name)}")
    return file


def file_generate(*, owner: str, content: bytes, display_name: str, mime_type: str) -> EmulatedFile:
    """A file the emulator writes itself (batch output), for the owner of what made it."""
    now = timezone.now()
    return EmulatedFile.objects.create(
        owner=owner,
        name=new_file_id(),
        display_name=display_name,
        mime_type=mime_type,
        source=FileSource.GENERATED,
        state=FileState.ACTIVE,
        size_bytes=len(content),
        content=content,
        sha256_hash=_sha256(content),
        created_at=now,
        updated_at=now,
        expires_at=now + FILE_LIFETIME,
    )


def _sha256(content: bytes) -> str:
    # Gemini sends the hex digest, base64-encoded.
    return base64.b64encode(hashlib.sha256(content).hexdigest().encode()).decode()


# Starting an upload


def _start_metadata(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    body = body_json(raw)
    file = body.get("file") if isinstance(body, dict) else None
    return file if isinstance(file, dict) else {}


def _declared_size(request: HttpRequest, metadata: dict[str, Any]) -> int | None:
    given = request.headers.get("X-Goog-Upload-Header-Content-Length") or metadata.get(
        "sizeBytes", metadata.get("size_bytes")
    )
    if given in (None, ""):
        return None
    try:
        size = int(given)
    except (TypeError, ValueError):
        raise invalid_argument(f"Invalid upload size: {given!r}.") from None
    if size > MAX_FILE_BYTES:
        raise invalid_argument(
            f"The file is {size} bytes; the emulator keeps files of at most {MAX_FILE_BYTES} bytes."
        )
    return size


async def _new_file_name(metadata: dict[str, Any], owner: str) -> str:
    given = metadata.get("name")
    if not given:
        return new_file_id()
    name = file_id_of(str(given))
    if not FILE_ID.match(name):
        raise invalid_argument(
            f"Invalid file name files/{name}: up to 40 lowercase letters, digits or dashes, "
            "not starting or ending with a dash."
        )
    if await EmulatedFile.objects.filter(owner=owner, name=name).aexists():
        raise StatusError(409, f"File files/{name} already exists.", "ALREADY_EXISTS")
    return name


@emulator_endpoint(methods=("POST",))
async def upload_start(request: HttpRequest, version: str) -> HttpResponse:
    protocol = request.headers.get("X-Goog-Upload-Protocol", "").strip().lower()
    command = request.headers.get("X-Goog-Upload-Command", "").strip().lower()
    if protocol != "resumable" or command != "start":
        raise invalid_argument(
            "Only resumable uploads are served: send X-Goog-Upload-Protocol: resumable and "
            "X-Goog-Upload-Command: start first."
        )
    metadata = _start_metadata(request.read(64 * 1024))
    mime_type = request.headers.get("X-Goog-Upload-Header-Content-Type") or metadata.get(
        "mimeType", metadata.get("mime_type")
    )
    if not mime_type:
        raise invalid_argument("Mime type is required: send X-Goog-Upload-Header-Content-Type.")
    now = timezone.now()
    owner = key_owner(request)
    file = await EmulatedFile.objects.acreate(
        owner=owner,
        name=await _new_file_name(metadata, owner),
        display_name=str(metadata.get("displayName", metadata.get("display_name")) or "")[:512],
        mime_type=str(mime_type)[:255],
        source=FileSource.UPLOADED,
        state=FileState.UPLOADING,
        size_bytes=_declared_size(request, metadata),
        upload_id=secrets.token_urlsafe(32),
        created_at=now,
        updated_at=now,
        expires_at=now + FILE_LIFETIME,
    )
    address = reverse(f"emulator:file_upload{_route_suffix(version)}")
    response = HttpResponse(b"", content_type="text/plain; charset=utf-8")
    response["X-Goog-Upload-Status"] = "active"
    response["X-Goog-Upload-URL"] = request.build_absolute_uri(
        f"{address}?upload_id={file.upload_id}&upload_protocol=resumable"
    )
    response["X-Goog-Upload-Chunk-Granularity"] = "262144"
    return response


# Sending the bytes


def upload_session_endpoint(view: Callable[..., Awaitable[HttpResponse]]) -> Callable:
    """Chunk requests: no key, and every answer (errors too) ends or continues the session."""

    @wraps(view)
    async def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if request.method != "POST":
                raise GeminiError(404, f"Method not found: {request.method} {request.path}.")
            return await view(request, *args, **kwargs)
        except GeminiError as error:
            response = error.response()
            # Without a status header the SDK would retry the chunk three times, then fail.
            response["X-Goog-Upload-Status"] = "final"
            return response

    return endpoint


def _upload_commands(request: HttpRequest) -> set[str]:
    header = request.headers.get("X-Goog-Upload-Command", "")
    return {part.strip().lower() for part in header.split(",") if part.strip()}


def _chunk(request: HttpRequest, file: EmulatedFile) -> bytes:
    received = len(file.content)
    try:
        offset = int(request.headers.get("X-Goog-Upload-Offset", str(received)))
    except ValueError:
        raise invalid_argument("X-Goog-Upload-Offset must be a whole number.") from None
    if offset != received:
        raise invalid_argument(
            f"The upload offset {offset} does not match the {received} bytes received so far."
        )
    room = MAX_FILE_BYTES - received
    chunk = request.read(room + 1)
    if len(chunk) > room:
        raise invalid_argument(f"The emulator keeps files of at most {MAX_FILE_BYTES} bytes.")
    return chunk


def _session_response(file: EmulatedFile, status: str) -> HttpResponse:
    response = HttpResponse(b"", content_type="text/plain; charset=utf-8")
    response["X-Goog-Upload-Status"] = status
    response["X-Goog-Upload-Size-Received"] = str(len(file.content))
    return response


@upload_session_endpoint
async def upload_chunk(request: HttpRequest, version: str) -> HttpResponse:
    file = await EmulatedFile.objects.filter(
        upload_id=request.GET.get("upload_id", ""), state=FileState.UPLOADING
    ).afirst()
    if file is None:
        raise GeminiError(404, "No upload with this upload_id is in progress.")
    commands = _upload_commands(request)
    if "cancel" in commands:
        await file.adelete()
        return _session_response(file, "cancelled")
    if "upload" in commands:
        file.content = bytes(file.content) + _chunk(request, file)
        file.updated_at = timezone.now()
    if "finalize" not in commands:
        await file.asave(update_fields=["content", "updated_at"])
        return _session_response(file, "active")
    received = len(file.content)
    if file.size_bytes is not None and received != file.size_bytes:
        await file.adelete()
        raise invalid_argument(
            f"The upload was finalized after {received} bytes, but "
            f"{file.size_bytes} were announced."
        )
    file.state, file.upload_id, file.size_bytes = FileState.ACTIVE, "", received
    file.sha256_hash = _sha256(bytes(file.content))
    await file.asave()
    response = json_response({"file": file_resource(request, file, version)})
    response["X-Goog-Upload-Status"] = "final"
    return response


@csrf_exempt
@login_not_required
async def upload(request: HttpRequest, version: str) -> HttpResponseBase:
    """One address for both steps, as Google's: the upload id tells a chunk from a start."""
    if not settings.EMULATOR_ENABLED:
        return GeminiError(404, "The emulator is turned off (EMULATOR_ENABLED=false).").response()
    if "upload_id" in request.GET:
        return await upload_chunk(request, version)
    return await upload_start(request, version)


# Reading, listing, deleting, downloading


@emulator_endpoint(methods=("GET", "DELETE"))
async def file_member(request: HttpRequest, version: str, file_path: str) -> HttpResponse:
    if file_path.endswith(":download"):
        if request.method != "GET":
            raise GeminiError(404, f"Method not found: {request.method} {request.path}.")
        return await _download(request, file_path.removesuffix(":download"), version)
    file = await active_file(file_path, owner=key_owner(request))
    if request.method == "DELETE":
        await file.adelete()
        return json_response({})
    return json_response(file_resource(request, file, version))


@emulator_endpoint(methods=("GET",))
async def file_download(request: HttpRequest, version: str, file_path: str) -> HttpResponse:
    return await _download(request, file_path.removesuffix(":download"), version)


async def _download(request: HttpRequest, name: str, version: str) -> HttpResponse:
    file = await active_file(name, owner=key_owner(request))
    if request.GET.get("alt") != "media":
        return json_response(file_resource(request, file, version))
    if file.source != FileSource.GENERATED:
        raise invalid_argument(
            f"Only generated files can be downloaded; files/{file.name} was uploaded."
        )
    return HttpResponse(bytes(file.content), content_type=file.mime_type)


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("pageSize") or LIST_PAGE_SIZE)
    except ValueError:
        raise invalid_argument("pageSize must be a whole number.") from None
    return max(1, min(size, LIST_MAX_PAGE_SIZE))


@emulator_endpoint(methods=("GET",))
async def file_list(request: HttpRequest, version: str) -> HttpResponse:
    size = _page_size(request)
    token = request.GET.get("pageToken") or "0"
    start = int(token) if token.isdigit() else 0
    files = await sync_to_async(list)(
        EmulatedFile.objects.filter(
            owner=key_owner(request), state=FileState.ACTIVE, expires_at__gt=timezone.now()
        ).defer("content")[start : start + size + 1]
    )
    body: dict[str, Any] = {
        "files": [file_resource(request, file, version) for file in files[:size]]
    }
    if len(files) > size:
        body["nextPageToken"] = str(start + size)
    return json_response(body)


def file_routes() -> list[URLPattern]:
    """The Files API under each version; see the module docstring."""
    routes = []
    for version in VERSIONS:
        suffix = _route_suffix(version)
        given = {"version": version}
        routes += [
            path(f"upload/{version}/files", upload, given, name=f"file_upload{suffix}"),
            path(f"{version}/files", file_list, given, name=f"files{suffix}"),
            path(f"{version}/files/<path:file_path>", file_member, given, name=f"file{suffix}"),
            path(
                f"download/{version}/files/<path:file_path>",
                file_download,
                given,
                name=f"file_download{suffix}",
            ),
        ]
    return routes
