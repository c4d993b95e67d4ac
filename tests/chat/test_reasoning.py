from __future__ import annotations

import pytest
from django.urls import reverse

from playground.chat.forms import ChatSendForm
from playground.llm.runspec import Message, RunSpec
from playground.runs.settings import RunSettings

pytestmark = pytest.mark.django_db


def a_form(**data: str) -> ChatSendForm:
    return ChatSendForm({"prompt": "hi", "n": "1", **data})


def test_it_refuses_reasoning_effort_together_with_a_thinking_level():
    form = a_form(model="gemini-3-flash-preview", reasoning_effort="low", thinking_level="high")
    assert not form.is_valid()
    assert "overlap" in form.errors["__all__"][0]


def test_it_refuses_an_effort_mixed_in_through_the_advanced_box():
    form = a_form(
        model="gemini-2.5-flash",
        reasoning_effort="low",
        extra_body='{"google": {"thinking_config": {"thinking_budget": 512}}}',
    )
    assert not form.is_valid()
    assert "overlap" in form.errors["__all__"][0]


def test_none_is_refused_where_thinking_cannot_be_turned_off_with_the_reason():
    form = a_form(model="gemini-2.5-pro", reasoning_effort="none")
    assert not form.is_valid()
    assert "gemini-2.5-pro" in form.errors["__all__"][0]
    assert a_form(model="gemini-2.5-flash", reasoning_effort="none").is_valid()


def test_it_refuses_a_budget_the_model_does_not_take():
    form = a_form(model="gemini-2.5-pro", thinking_budget="0")
    assert not form.is_valid()
    assert a_form(model="gemini-2.5-flash", thinking_budget="0").is_valid()
    assert not a_form(model="gemini-3-flash-preview", thinking_budget="1024").is_valid()


def test_a_model_unknown_to_the_catalog_gets_the_upstreams_verdict():
    assert a_form(model="my-local-model", reasoning_effort="none").is_valid()
    assert not a_form(
        model="my-local-model", reasoning_effort="low", thinking_level="low"
    ).is_valid()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{nope",
            "Not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2).",
        ),
        ("[1, 2]", "extra_body must be a JSON object"),
        ('{"extra_body": {"google": {}}}', "(the outer extra_body is added for you)"),
        ('{"google": 3}', '"google" must be a JSON object.'),
    ],
)
def test_the_advanced_box_takes_only_a_json_object_under_google(text, message):
    form = a_form(model="gemini-2.5-flash", extra_body=text)
    assert not form.is_valid()
    assert message in form.errors["extra_body"][0]


def test_extras_end_up_in_the_run_spec_and_come_back_for_open_in_playground():
    form = a_form(
        model="gemini-2.5-flash",
        thinking_budget="2048",
        include_thoughts="on",
        service_tier="priority",
        cached_content="cachedContents/xyz",
        include_usage="on",
        stream="on",
        extra_body='{"google": {"safety_settings": []}}',
    )
    assert form.is_valid(), form.errors
    spec = form.settings().to_spec([Message("user", "hi")])
    body = spec.request_body()
    assert body["service_tier"] == "priority"
    assert body["extra_body"]["google"] == {
        "cached_content": "cachedContents/xyz",
        "safety_settings": [],
        "thinking_config": {"include_thoughts": True, "thinking_budget": 2048},
    }
    restored = RunSettings.from_spec(RunSpec.from_dict(spec.to_dict())).to_dict()
    assert restored["thinking_budget"] == 2048 and restored["service_tier"] == "priority"
    assert restored["extra_body"] == '{"google":{"safety_settings":[]}}'


def test_the_controls_follow_the_model(client, make_user):
    client.force_login(make_user())
    url = reverse("chat:reasoning")

    flash_25 = client.get(url, {"model": "gemini-2.5-flash", "reasoning_effort": "medium"})
    page = flash_25.content.decode()
    assert "medium on gemini-2.5-flash = 8,192-token thinking budget" in page
    assert 'name="thinking_budget"' in page and 'name="thinking_level"' not in page
    assert '<option value="none"' in page

    flash_3 = client.get(url, {"model": "gemini-3-flash-preview"}).content.decode()
    assert 'name="thinking_level"' in flash_3 and 'name="thinking_budget"' not in flash_3
    assert '<option value="none"' not in flash_3
    assert "Not offered: none (gemini-3-flash-preview cannot turn thinking off)" in flash_3

    pro_25 = client.get(url, {"model": "gemini-2.5-pro"}).content.decode()
    assert "Not offered: none (gemini-2.5-pro cannot turn thinking off)" in pro_25

    unknown = client.get(url, {"model": "my-local-model"}).content.decode()
    assert 'name="thinking_level"' in unknown and 'name="thinking_budget"' in unknown

    assert "does not think" in client.get(url, {"model": "gemini-2.0-flash"}).content.decode()
