from __future__ import annotations

app_name = "catalog"

urlpatterns: list = []
