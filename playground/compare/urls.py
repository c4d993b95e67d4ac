from __future__ import annotations

app_name = "compare"

urlpatterns: list = []
