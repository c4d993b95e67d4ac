from __future__ import annotations

from django.urls import path

from playground.chat import tool_views, views

app_name = "chat"

urlpatterns = [
    path("", views.index, name="index"),
    path("send/", views.send, name="send"),
    path("reasoning/", views.reasoning, name="reasoning"),
    path("tools/check/", tool_views.tools_check, name="tools_check"),
    path("tools/editor/", tool_views.tool_editor, name="tool_editor"),
    path("schema/check/", tool_views.schema_check, name="schema_check"),
    path("schema/example/", tool_views.schema_example, name="schema_example"),
    path("reply/<int:pk>/code/", views.turn_code, name="turn_code"),
    path("<int:pk>/", views.conversation_page, name="conversation"),
    path("<int:pk>/rename/", views.rename, name="rename"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
