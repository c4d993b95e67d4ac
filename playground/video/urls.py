from __future__ import annotations

from django.urls import path

from playground.video import views

app_name = "video"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/file/", views.video_file, name="file"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
