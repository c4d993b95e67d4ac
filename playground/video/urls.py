from __future__ import annotations

app_name = "video"

urlpatterns: list = []
