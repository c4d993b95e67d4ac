from __future__ import annotations

from django.urls import path

from playground.embeddings import views

app_name = "embeddings"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:run_id>/", views.run_page, name="run"),
    path("<int:run_id>/vectors.json", views.run_json, name="run_json"),
    path("<int:run_id>/vectors.csv", views.run_csv, name="run_csv"),
]
