from __future__ import annotations

from django.urls import path

from playground.batches import views

app_name = "batches"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:job_id>/", views.job_page, name="job"),
    path("<int:job_id>/cancel", views.job_cancel, name="cancel"),
    path("<int:job_id>/input.jsonl", views.job_input, name="input"),
    path("<int:job_id>/output.jsonl", views.job_output, name="output"),
]
