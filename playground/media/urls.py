from __future__ import annotations

from django.urls import path

from playground.media import views

app_name = "media"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("<uuid:pk>/file/", views.file, name="file"),
    path("<uuid:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
]
