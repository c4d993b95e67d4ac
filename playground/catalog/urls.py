from __future__ import annotations

from django.urls import path

from playground.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("_provider-models/", views.provider_models, name="provider_models"),
    # Gemini names models `models/x`: `/models/models/x/`, `/models/x/` and `models%2Fx` all work.
    path("<path:model_id>/", views.model_detail, name="model"),
]
