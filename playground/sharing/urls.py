from __future__ import annotations

from django.urls import path

from playground.sharing import views

app_name = "sharing"

urlpatterns = [
    path("new/", views.create, name="create"),
    path("links/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<str:token>/", views.view, name="view"),
    path("<str:token>/present/", views.present, name="present"),
    path("<str:token>/diff/", views.diff, name="diff"),
    path("<str:token>/export.<str:fmt>", views.export, name="export"),
    path("<str:token>/files/<uuid:pk>/", views.attachment_file, name="file"),
    path("<str:token>/files/<uuid:pk>/thumbnail/", views.attachment_thumbnail, name="thumbnail"),
]
