"""Error responses in the site's layout, each with a way back: 404, 403, 500, a form refused by
the CSRF check, and a share link that no longer opens (revoked, or never made)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

# The share pages whose token is the thing that was not found.
SHARE_PAGES = frozenset({"sharing:view", "sharing:present", "sharing:diff"})


def found_or_404[T](found: T | None, what: str) -> T:
    """What a view looked up, or a 404 whose page says "No such <what>.": selectors find only
    the asker's own objects, so someone else's is as absent as one never made."""
    if found is None:
        raise Http404(f"No such {what}.")
    return found


def _not_found_detail(exception: Exception | None) -> str:
    """A view's own words for what is missing ("No such conversation."); nothing for an
    address that matched no page (Django's message there is a dict of patterns tried)."""
    if not isinstance(exception, Http404) or isinstance(exception, Resolver404):
        return ""
    message = exception.args[0] if exception.args else ""
    return message if isinstance(message, str) else ""


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    match = request.resolver_match
    if match is not None and match.view_name in SHARE_PAGES:
        return render(request, "errors/share_gone.html", status=404)
    detail = _not_found_detail(exception)
    return render(request, "errors/404.html", {"detail": detail}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors: whatever failed (the database, a
    setting) may be what they need. Only the CSP nonce is passed on, so the page keeps its
    scripts when the nonce middleware ran."""
    nonce = get_nonce(request)
    context = {} if nonce is None else {"csp_nonce": nonce}
    html = loader.get_template("errors/500.html").render(context)
    return HttpResponse(html, status=500)


def _same_site_page(request: HttpRequest, address: str | None) -> str:
    """The path (and query) of `address` when it is a page of this site, else "". A header
    anyone can set is never shown as a link to somewhere else."""
    if not address or not url_has_allowed_host_and_scheme(
        address, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(address)
    return parts._replace(scheme="", netloc="", fragment="").geturl() or "/"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (a page left open too long, a lost session, cookies
    blocked, a post from another site), told in plain words with the way back to its page.

    Django's middleware has already logged the reason and the path (`django.security.csrf`, at
    WARNING); the reason is shown only with DEBUG on. htmx gets a short notice and a
    `csrf-failed` event, which playground.js shows at the foot of the page (htmx swaps no 403).
    """
    htmx = HtmxDetails(request)
    came_from = _same_site_page(
        request, htmx.current_url if htmx else request.headers.get("Referer")
    )
    context = {"came_from": came_from, "reason": reason if settings.DEBUG else ""}
    if htmx:
        response = render(request, "errors/csrf_failure.html#notice", context, status=403)
        return trigger_client_event(response, "csrf-failed")
    return render(request, "errors/csrf_failure.html", context, status=403)
