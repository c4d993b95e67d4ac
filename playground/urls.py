from __future__ import annotations

import re

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from playground import error_pages
from playground.static_files import static_file

handler403 = error_pages.forbidden
handler404 = error_pages.not_found
handler500 = error_pages.server_error

# Browsers ask for /favicon.ico on pages that name no icon (and some always do).
favicon = login_not_required(RedirectView.as_view(url=static("img/favicon.svg"), permanent=True))

urlpatterns = [
    re_path(
        rf"^{re.escape(settings.STATIC_URL.lstrip('/'))}(?P<path>.+)$", static_file, name="static"
    ),
    path("favicon.ico", favicon, name="favicon"),
    path("", RedirectView.as_view(pattern_name="chat:index"), name="home"),
    path("accounts/", include("playground.accounts.urls")),
    path("admin/", admin.site.urls),
    path("emulator/", include("playground.emulator.urls")),
    path("models/", include("playground.catalog.urls")),
    path("runs/", include("playground.runs.urls")),
    path("chat/", include("playground.chat.urls")),
    path("compare/", include("playground.compare.urls")),
    path("share/", include("playground.sharing.urls")),
    path("decks/", include("playground.decks.urls")),
    path("media/", include("playground.media.urls")),
    path("images/", include("playground.images.urls")),
    path("video/", include("playground.video.urls")),
    path("embeddings/", include("playground.embeddings.urls")),
    path("batches/", include("playground.batches.urls")),
]
