from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from playground.accounts.services import login_link_redeem


@login_not_required
@never_cache
@require_GET
def redeem_link(request: HttpRequest, token: str) -> HttpResponse:
    user = login_link_redeem(token=token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=410)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("home")
