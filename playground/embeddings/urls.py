from __future__ import annotations

app_name = "embeddings"

urlpatterns: list = []
