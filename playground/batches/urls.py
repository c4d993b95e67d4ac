from __future__ import annotations

app_name = "batches"

urlpatterns: list = []
