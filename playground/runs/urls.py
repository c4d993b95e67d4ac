from __future__ import annotations

from django.urls import path

from playground.runs import tool_editor

app_name = "runs"

urlpatterns = [
    path("tools/check/", tool_editor.tools_check, name="tools_check"),
    path("tools/editor/", tool_editor.tool_editor, name="tool_editor"),
    path("schema/check/", tool_editor.schema_check, name="schema_check"),
    path("schema/example/", tool_editor.schema_example, name="schema_example"),
]
