"""Static files served by the app itself, so one command gives a working site.

They go through the middleware like any page, which gzips them (GZipMiddleware) and answers
conditional requests with 304 (the view sets Last-Modified). A deployment behind a proxy can
serve STATIC_ROOT (`manage.py collectstatic`) directly instead.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles.views import serve
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

CACHE_SECONDS = 3600


@login_not_required
@require_safe
def static_file(request: HttpRequest, path: str) -> HttpResponse:
    try:
        response = serve(request, path, insecure=True)
    except SuspiciousFileOperation:
        raise Http404("No such file.") from None
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
