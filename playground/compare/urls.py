from __future__ import annotations

from django.urls import path

from playground.compare import views

app_name = "compare"

urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.run, name="run"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("<int:pk>/panes/<int:number>/to-chat/", views.send_to_chat, name="send_to_chat"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
