"""Attachments: upload, list, serve and delete, each only for the attachment's owner."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from playground.error_pages import found_or_404
from playground.media.forms import AttachmentUploadForm
from playground.media.limits import UploadLimits, size_label
from playground.media.models import Attachment
from playground.media.receiving import SizeLimitedUpload
from playground.media.selectors import (
    LIST_LIMIT,
    attachment_for_viewer,
    attachment_of,
    attachments_of,
)
from playground.media.services import attachment_create, attachment_delete
from playground.media.serving import attachment_response

PAGE = "media/index.html"


def _wants_json(request: HttpRequest) -> bool:
    return not request.htmx and "application/json" in request.headers.get("Accept", "")


def attachment_json(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": str(attachment.pk),
        "kind": attachment.kind,
        "mime_type": attachment.mime_type,
        "byte_size": attachment.byte_size,
        "width": attachment.width,
        "height": attachment.height,
        "duration_seconds": attachment.duration_seconds,
        "original_name": attachment.original_name,
        "sha256": attachment.sha256,
        "notes": attachment.notes,
        "url": reverse("media:file", args=[attachment.pk]),
        "thumbnail_url": (
            reverse("media:thumbnail", args=[attachment.pk]) if attachment.thumbnail else None
        ),
    }


def _page(request: HttpRequest, form: AttachmentUploadForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "attachments": attachments_of(owner=request.user)[:LIST_LIMIT],
        "image_limit": size_label(form.limits.image_bytes),
        "audio_limit": size_label(form.limits.audio_bytes),
        "audio_seconds": form.limits.audio_seconds,
    }
    return render(request, PAGE, context, status=status)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _page(request, AttachmentUploadForm(limits=UploadLimits.from_settings()))


def _refused(request: HttpRequest, form: AttachmentUploadForm) -> HttpResponse:
    status = 413 if form.has_error("file", "too_big") else 400
    message = form.errors["file"][0]
    if request.htmx:
        return render(request, f"{PAGE}#upload_error", {"message": message}, status=status)
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return _page(request, form, status=status)


def _created(request: HttpRequest, attachment: Attachment) -> HttpResponse:
    if request.htmx:
        return render(request, f"{PAGE}#card", {"attachment": attachment}, status=201)
    if _wants_json(request):
        return JsonResponse(attachment_json(attachment), status=201)
    messages.success(request, f"Uploaded “{attachment.original_name}”.")
    return redirect("media:index")


@csrf_exempt
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Counts the file's bytes while the body is parsed, then checks CSRF as usual.

    The counting handler must be in place before anything reads `request.POST`, and the CSRF
    check reads it: hence the exempt outer view and the protected inner one (Django's
    documented way to change upload handlers per view).
    """
    limits = UploadLimits.from_settings()
    too_big = limits.body_refusal(request.headers.get("Content-Length"))
    if too_big is not None:
        form = AttachmentUploadForm(data={}, files={}, limits=limits, refusal=too_big)
        form.is_valid()
        return _refused(request, form)
    counter = SizeLimitedUpload(request, limits=limits)
    request.upload_handlers.insert(0, counter)
    return _upload_counted(request, limits, counter)


@csrf_protect
def _upload_counted(
    request: HttpRequest, limits: UploadLimits, counter: SizeLimitedUpload
) -> HttpResponse:
    form = AttachmentUploadForm(request.POST, request.FILES, limits=limits, refusal=counter.refusal)
    if not form.is_valid():
        return _refused(request, form)
    attachment = attachment_create(
        owner=request.user, checked=form.cleaned_data["file"], original_name=form.original_name
    )
    return _created(request, attachment)


def _viewable(request: HttpRequest, pk: uuid.UUID) -> Attachment:
    return found_or_404(attachment_for_viewer(viewer=request.user, attachment_id=pk), "attachment")


@require_GET
def file(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    return attachment_response(_viewable(request, pk), request=request)


@require_GET
def thumbnail(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    return attachment_response(_viewable(request, pk), thumbnail=True, request=request)


@require_http_methods(["GET", "POST"])
def _in_use(request: HttpRequest, attachment: Attachment) -> HttpResponse:
    message = (
        f"“{attachment.original_name or 'This file'}” was sent in a conversation or a comparison "
        "and stays while that does. Delete the conversation or comparison first."
    )
    if request.htmx or _wants_json(request):
        return JsonResponse({"error": message}, status=409)
    messages.error(request, message)
    return redirect("media:index")


def delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    attachment = found_or_404(attachment_of(owner=request.user, attachment_id=pk), "attachment")
    if request.method == "GET":
        return render(request, "media/delete.html", {"attachment": attachment})
    try:
        attachment_delete(attachment=attachment)
    except ProtectedError:
        return _in_use(request, attachment)
    if request.htmx:
        # The card asks htmx to remove itself; an empty 200 is what htmx swaps.
        return HttpResponse("")
    if _wants_json(request):
        return JsonResponse({"deleted": str(pk)})
    messages.success(request, f"Deleted “{attachment.original_name}”.")
    return redirect("media:index")
