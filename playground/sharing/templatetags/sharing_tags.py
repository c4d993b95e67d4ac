from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse

from playground.chat.models import Conversation
from playground.compare.models import Comparison
from playground.sharing.models import ShareLink
from playground.sharing.selectors import active_share_link

register = template.Library()


@dataclass(frozen=True)
class ShareState:
    link: ShareLink | None
    url: str = ""
    present_url: str = ""


@register.simple_tag(takes_context=True)
def share_state(context: template.Context, target: Conversation | Comparison) -> ShareState:
    """The target's active link with its full addresses, ready to paste elsewhere."""
    # Set where the target was made by this very request (a chat's first send, rendered on the
    # socket's event loop, where no query may run): it cannot have a link yet.
    link = None if context.get("no_share_link") else active_share_link(target)
    if link is None:
        return ShareState(None)
    request = context.get("request")
    view = reverse("sharing:view", args=[link.token])
    present = reverse("sharing:present", args=[link.token])
    if request is not None:
        view, present = request.build_absolute_uri(view), request.build_absolute_uri(present)
    return ShareState(link, view, present)
