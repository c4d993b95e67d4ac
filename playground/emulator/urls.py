from __future__ import annotations

app_name = "emulator"

urlpatterns: list = []
