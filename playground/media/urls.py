from __future__ import annotations

app_name = "media"

urlpatterns: list = []
