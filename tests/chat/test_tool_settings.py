"""The tools editor and the structured-output settings: the form that checks them, the live
checks and examples the page asks for, and what ends up in the request."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from playground.chat.forms import ChatSendForm
from playground.chat.models import Conversation
from playground.llm.runspec import Message, RunSpec
from playground.llm.tooling import schema_examples, tool_examples
from playground.runs.settings import RunSettings

pytestmark = pytest.mark.django_db

WEATHER = next(example.value for example in tool_examples() if example.key == "weather")
CALENDAR = next(example for example in schema_examples() if example.key == "calendar_event")
BROKEN = """{
  "type": "function",
  "function": {
    "name": "get_weather"
    "description": "x"
  }
}"""
BAD_TYPE = """{
  "type": "function",
  "function": {
    "name": "lookup",
    "description": "Look a word up",
    "parameters": {
      "type": "object",
      "properties": {
        "word": {"type": "strin"}
      }
    }
  }
}"""


def a_form(**data: object) -> ChatSendForm:
    return ChatSendForm({"prompt": "hi", "model": "gemini-2.5-flash", "n": "1", **data})


def errors_of(form: ChatSendForm) -> list[str]:
    assert not form.is_valid()
    return [message for messages in form.errors.values() for message in messages]


@pytest.fixture
def signed_in(client, make_user):
    client.force_login(make_user("alice"))
    return client


def test_it_points_broken_tool_json_at_its_line_and_column():
    [error] = errors_of(a_form(tools=[json.dumps(WEATHER), BROKEN]))
    assert error == "Tool 2: Line 5, column 5: Expecting ',' delimiter."


def test_it_points_a_bad_schema_keyword_at_its_line_and_json_pointer():
    [error] = errors_of(a_form(tools=[BAD_TYPE]))
    assert error.startswith(
        "Tool 1 (lookup), line 9, column 18, at /function/parameters/properties/word/type:"
    )
    assert "Unknown type 'strin'" in error


def test_it_refuses_tool_choice_naming_a_tool_that_is_not_defined():
    form = a_form(tools=json.dumps(WEATHER), tool_choice="function:get_time")
    assert not form.is_valid()
    assert form.errors["tool_choice"] == [
        "tool_choice names get_time, which is not among the tools defined."
    ]


def test_it_refuses_two_tools_with_one_name():
    assert errors_of(a_form(tools=[json.dumps(WEATHER), json.dumps(WEATHER)])) == [
        "Two tools are named get_weather: give each its own name."
    ]


def test_keywords_gemini_refuses_are_warned_about_but_may_still_be_sent(signed_in):
    tool = {**WEATHER, "function": {**WEATHER["function"]}}
    tool["function"]["parameters"] = {
        "type": "object",
        "properties": {"unit": {"const": "celsius"}},
    }
    assert a_form(tools=json.dumps(tool)).is_valid(), "Gemini's own 400 will say the rest"
    response = signed_in.post(reverse("runs:tools_check"), {"tools": json.dumps(tool, indent=2)})
    page = response.content.decode()
    assert "<strong>Warning:</strong> Tool 1 (get_weather), line 10, column 11" in page
    assert "Gemini refuses &quot;const&quot;" in page


def test_it_refuses_a_bad_response_schema_with_its_line():
    form = a_form(
        response_format="json_schema",
        response_schema='{\n  "type": "object",\n  "required": "name"\n}',
    )
    assert not form.is_valid()
    [error] = form.errors["response_schema"]
    assert error.startswith("Schema, line 3, column 3, at /required: Not valid JSON Schema:")


def test_json_schema_needs_a_schema_and_text_ignores_a_broken_one():
    form = a_form(response_format="json_schema", response_schema=" ")
    assert not form.is_valid()
    assert "json_schema needs a schema" in form.errors["response_schema"][0]
    assert a_form(response_format="text", response_schema="{not json").is_valid()


def test_tools_and_format_are_stored_sent_and_restored():
    form = a_form(
        tools=[json.dumps(WEATHER, indent=4), ""],
        tool_choice="function:get_weather",
        response_format="json_schema",
        response_schema=CALENDAR.pretty,
        response_schema_name="CalendarEvent",
    )
    assert form.is_valid(), form.errors
    settings = form.settings().to_dict()
    assert json.loads(json.dumps(settings)) == settings, "stored as JSON with the conversation"
    assert settings["tools"] == [WEATHER]

    body = RunSettings.from_dict(settings).to_spec([Message("user", "hi")]).request_body()
    assert body["tools"] == [WEATHER]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "CalendarEvent", "schema": CALENDAR.value},
    }

    stored = RunSettings.from_dict(settings).to_spec([]).to_dict()
    restored = RunSettings.from_spec(RunSpec.from_dict(stored)).to_dict()
    assert restored["tools"] == [WEATHER]
    assert restored["tool_choice"] == "function:get_weather"
    assert json.loads(restored["response_schema"]) == CALENDAR.value
    assert restored["response_schema_name"] == "CalendarEvent"


def test_without_tools_no_tool_choice_is_sent():
    form = a_form(tool_choice="required")
    assert form.is_valid(), form.errors
    body = form.settings().to_spec([Message("user", "hi")]).request_body()
    assert "tools" not in body and "tool_choice" not in body and "response_format" not in body


def test_the_live_check_lists_problems_and_tool_choice_follows_the_tools(signed_in):
    response = signed_in.post(
        reverse("runs:tools_check"),
        {"tools": [json.dumps(WEATHER), BROKEN], "tool_choice": "function:calculate"},
    )
    page = response.content.decode()
    assert "<strong>Error:</strong> Tool 2: Line 5, column 5: Expecting" in page
    assert 'id="tool-choice-group" hx-swap-oob="true"' in page
    assert '<option value="function:get_weather" >get_weather: must call it</option>' in page
    assert '<option value="function:calculate" selected>calculate (not among the tools)' in page

    fine = signed_in.post(reverse("runs:tools_check"), {"tools": [json.dumps(WEATHER)]})
    assert "1 tool ready to send." in fine.content.decode()


def test_ready_examples_come_as_new_editors(signed_in):
    response = signed_in.get(reverse("runs:tool_editor"), {"example": "weather"})
    page = response.content.decode()
    assert 'name="tools"' in page and 'form="composer"' in page
    assert "&quot;name&quot;: &quot;get_weather&quot;" in page
    assert "What&#x27;s the weather like in Chicago today?" in page
    assert json.loads(response["HX-Trigger-After-Settle"]) == {"tools-changed": {}}
    blank = signed_in.get(reverse("runs:tool_editor")).content.decode()
    assert "New tool (JSON)" in blank
    assert signed_in.get(reverse("runs:tool_editor"), {"example": "nope"}).status_code == 404


def test_a_ready_schema_fills_the_structured_output_fields(signed_in):
    response = signed_in.get(reverse("runs:schema_example"), {"example": "calendar_event"})
    page = response.content.decode()
    assert '<option value="json_schema" selected>' in page
    assert 'value="CalendarEvent"' in page
    assert "&quot;participants&quot;" in page
    assert "A valid JSON Schema." in page
    checked = signed_in.post(
        reverse("runs:schema_check"), {"response_schema": '{"type": "objec"}'}
    ).content.decode()
    assert "Schema, line 1, column 2, at /type: Not valid JSON Schema" in checked


def test_the_page_shows_the_tools_and_format_a_conversation_was_left_with(signed_in, settings):
    settings.EMULATOR_BASE_URL = "http://127.0.0.1:9/unreachable/"
    user = signed_in.session["_auth_user_id"]
    conversation = Conversation.objects.create(
        user_id=user,
        title="Weather",
        settings={
            "model": "gemini-2.5-flash",
            "tools": [WEATHER],
            "tool_choice": "required",
            "response_format": "json_object",
        },
    )
    page = signed_in.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert '<details class="settings-extras" id="tools-settings" open>' in page
    assert "Tool get_weather (JSON)" in page
    assert '<option value="required" selected>' in page
    assert '<option value="function:get_weather" >get_weather: must call it</option>' in page
    assert '<option value="json_object" selected>' in page
    # The side panel says in one line what is set; the editors open in dialogs.
    assert '<span id="tools-summary" class="muted small">1 tool: get_weather</span>' in page
    assert '<span id="structured-summary" class="muted small">json_object</span>' in page
    assert 'data-open-dialog="tools-dialog"' in page and '<dialog id="tools-dialog"' in page
    assert 'data-open-dialog="structured-dialog"' in page


def test_the_editors_are_for_signed_in_people_only(client):
    for name in ("runs:tools_check", "runs:schema_check"):
        response = client.post(reverse(name), {"tools": "{}"})
        assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_without_javascript_tools_are_sent_and_the_calls_shown(signed_in, emulator_url):
    response = signed_in.post(
        reverse("chat:send"),
        {
            "prompt": "What's the weather like in Chicago today?",
            "model": "gemini-2.5-flash",
            "n": "1",
            "tools": [json.dumps(WEATHER)],
            "tool_choice": "required",
        },
    )
    page = signed_in.get(response["Location"]).content.decode()
    assert "&quot;location&quot;: &quot;Chicago&quot;" in page
    assert '<option value="required" selected>' in page
