from __future__ import annotations

app_name = "images"

urlpatterns: list = []
