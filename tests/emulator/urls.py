"""Only the emulator, mounted where the site mounts it: in-process tests need no other app."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("emulator/", include("playground.emulator.urls"))]
