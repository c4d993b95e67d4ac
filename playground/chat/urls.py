from __future__ import annotations

app_name = "chat"

urlpatterns: list = []
