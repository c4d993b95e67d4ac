"""Share links: the owner makes and revokes them; anyone with the token reads, and only reads."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from playground.chat.models import Conversation
from playground.chat.selectors import transcript
from playground.compare.models import Comparison
from playground.compare.selectors import (
    comparison_attachments,
    comparison_has_attachment,
    comparison_summary,
    panes_of,
)
from playground.compare.views import diff_response, export_response
from playground.media.models import Attachment
from playground.media.selectors import attachment_for_viewer
from playground.media.serving import attachment_response
from playground.sharing.forms import ShareCreateForm
from playground.sharing.models import ShareLink
from playground.sharing.selectors import share_link_by_token, share_link_of, share_target_of
from playground.sharing.services import share_link_create, share_link_revoke

CONTROL = "sharing/_share_control.html"


def _control(request: HttpRequest, target: Conversation | Comparison) -> HttpResponse:
    """The share control again (htmx), or back to the page it sits on."""
    kind = "conversation" if isinstance(target, Conversation) else "comparison"
    if request.htmx:
        return render(request, CONTROL, {"target": target, "kind": kind})
    if kind == "conversation":
        return redirect("chat:conversation", target.pk)
    return redirect("compare:detail", target.pk)


@require_POST
def create(request: HttpRequest) -> HttpResponse:
    form = ShareCreateForm(request.POST)
    if not form.is_valid():
        raise Http404("Nothing to share.")
    target = share_target_of(
        request.user, kind=form.cleaned_data["kind"], target_id=form.cleaned_data["target"]
    )
    if target is None:
        raise Http404("Nothing to share.")
    share_link_create(user=request.user, target=target)
    return _control(request, target)


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = share_link_of(request.user, pk)
    if link is None:
        raise Http404("No such share link.")
    share_link_revoke(link=link)
    return _control(request, link.target)


def _shared(token: str) -> ShareLink:
    link = share_link_by_token(token)
    if link is None:
        raise Http404("This link does not exist or has been revoked.")
    return link


def _context(link: ShareLink) -> dict[str, object]:
    if link.conversation is not None:
        return {"link": link, "conversation": link.conversation,
                "turns": transcript(link.conversation, share=link)}  # fmt: skip
    comparison = link.comparison
    assert comparison is not None
    panes = panes_of(comparison)
    finished = all(pane.is_final for pane in panes)
    return {
        "link": link,
        "comparison": comparison,
        "panes": panes,
        "prompt_attachments": comparison_attachments(comparison),
        "summary": comparison_summary(comparison, panes) if finished else None,
        "diff_url": reverse("sharing:diff", args=[link.token]),
    }


@login_not_required
@require_GET
def view(request: HttpRequest, token: str) -> HttpResponse:
    link = _shared(token)
    template = "sharing/conversation.html" if link.conversation else "sharing/comparison.html"
    return render(request, template, _context(link))


@login_not_required
@require_GET
def present(request: HttpRequest, token: str) -> HttpResponse:
    """Large type, no sidebars, nothing to click but the answers: for a projector."""
    return render(request, "sharing/present.html", _context(_shared(token)))


@login_not_required
@require_GET
def diff(request: HttpRequest, token: str) -> HttpResponse:
    link = _shared(token)
    if link.comparison is None:
        raise Http404("Only a shared comparison has answers to compare.")
    back_url = reverse("sharing:view", args=[link.token])
    return diff_response(request, link.comparison, back_url=back_url)


@login_not_required
@require_GET
def export(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    link = _shared(token)
    if link.comparison is None:
        raise Http404("Only a shared comparison downloads as a file.")
    return export_response(link.comparison, fmt=fmt, shared=True)


def _shared_attachment(token: str, pk: uuid.UUID) -> Attachment:
    """An attachment the link's comparison or conversation was sent with; anything else 404s."""
    link = _shared(token)

    def grant(attachment: Attachment) -> bool:
        if link.comparison is not None:
            return comparison_has_attachment(link.comparison, attachment)
        return attachment.turns.filter(conversation=link.conversation).exists()

    attachment = attachment_for_viewer(viewer=AnonymousUser(), attachment_id=pk, grant=grant)
    if attachment is None:
        raise Http404("No such file in this share.")
    return attachment


@login_not_required
@require_GET
def attachment_file(request: HttpRequest, token: str, pk: uuid.UUID) -> HttpResponse:
    return attachment_response(_shared_attachment(token, pk))


@login_not_required
@require_GET
def attachment_thumbnail(request: HttpRequest, token: str, pk: uuid.UUID) -> HttpResponse:
    return attachment_response(_shared_attachment(token, pk), thumbnail=True)
