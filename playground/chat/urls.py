from __future__ import annotations

from django.urls import path

from playground.chat import views

app_name = "chat"

urlpatterns = [
    path("", views.index, name="index"),
    path("conversations/", views.conversation_list, name="conversations"),
    path("send/", views.send, name="send"),
    path("reasoning/", views.reasoning, name="reasoning"),
    path("branch/", views.choose_branch, name="branch"),
    path("reply/<int:pk>/code/", views.turn_code, name="turn_code"),
    path("reply/<int:pk>/stop/", views.turn_stop, name="turn_stop"),
    path("<int:pk>/", views.conversation_page, name="conversation"),
    path("<int:pk>/rename/", views.rename, name="rename"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
