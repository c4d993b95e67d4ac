"""Two providers at once in Chromium: the served playground's own emulator (`gemini`) and a
second emulator process answering as an OpenAI-compatible server (`openai`)."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.servers import START_TIMEOUT_SECONDS, ServedPlayground

OPENAI_KEY = "openai-stand-in-key"


@pytest.fixture
def two_served(tmp_path: Path) -> Iterator[tuple[ServedPlayground, ServedPlayground]]:
    """(the playground with both providers, the OpenAI stand-in), started side by side: each
    migrates a fresh data folder, which is most of the wait."""
    openai_served = ServedPlayground(
        data_dir=tmp_path / "openai",
        env={"EMULATOR_FLAVOUR": "openai", "EMULATOR_API_KEY": OPENAI_KEY},
    )
    extra = [{"name": "openai", "label": "OpenAI stand-in", "base_url": openai_served.emulator_url,
              "api_key_env": "OPENAI_STAND_IN_KEY"}]  # fmt: skip
    env = {"PLAYGROUND_EXTRA_PROVIDERS": json.dumps(extra), "OPENAI_STAND_IN_KEY": OPENAI_KEY}
    both_served = ServedPlayground(data_dir=tmp_path / "gemini", env=env)
    with ThreadPoolExecutor(max_workers=1) as pool:
        openai_started = pool.submit(openai_served.start, timeout=START_TIMEOUT_SECONDS)
        try:
            both_served.start(timeout=START_TIMEOUT_SECONDS)
            yield both_served, openai_started.result(timeout=START_TIMEOUT_SECONDS)
        finally:
            both_served.stop()
            wait([openai_started])  # a start still under way is stopped once it is up
            openai_served.stop()


def received(served: ServedPlayground) -> list[dict]:
    request = urllib.request.Request(
        served.emulator_url + "_received", headers={"Authorization": "Bearer any"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return [item["body"] for item in json.load(response)["data"]]


def chat_with(page: Page, prompt: str) -> None:
    page.get_by_label("Message").fill(prompt)
    page.get_by_label("Message").press("Enter")


def htmx_idle(page: Page) -> None:
    """Wait until no htmx request is in flight and every swap has settled: a control redrawn by
    the server listens for changes only once it settles (20 ms, stretched on a loaded machine),
    and a reply still in flight would redraw a control over a choice made meanwhile."""
    # Both at one moment, twice 100 ms apart: a swap's settling ends by triggering events (the
    # provider's models redraw the reasoning controls), so "no request" checked before "settled"
    # could pass just before the request that settling starts.
    idle = "() => !document.querySelector('.htmx-request, .htmx-settling')"
    for _ in range(2):
        page.wait_for_function(idle, timeout=15000)
        page.wait_for_timeout(100)
    page.wait_for_function(idle, timeout=15000)


def test_each_provider_gets_its_own_requests_and_one_down_leaves_the_other(
    page: Page, two_served: tuple[ServedPlayground, ServedPlayground]
) -> None:
    both_served, openai_served = two_served
    errors: list[str] = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(f"{message.text} at {page.url}"),
    )
    page.goto(both_served.login_link())
    expect(page).to_have_url(re.compile(r"/chat/$"))

    # Chat: picking the OpenAI provider swaps in its own models and drops Gemini's controls.
    page.locator("#id_provider").select_option("openai")
    expect(page.locator("#id_model option[value='o4-mini']")).to_have_count(1)
    htmx_idle(page)
    page.locator("#id_model").select_option("o4-mini")
    expect(page.locator("#gemini-only-note")).to_be_visible()
    htmx_idle(page)
    page.locator("#id_reasoning_effort").select_option("low")
    htmx_idle(page)
    chat_with(page, "Name one river")
    expect(page.locator('.turn-assistant[data-state="done"]')).to_have_count(1, timeout=10000)
    sent = received(openai_served)[-1]
    assert sent["model"] == "o4-mini" and sent["reasoning_effort"] == "low"
    assert "extra_body" not in sent

    # Get code names the provider's address and key variable; a reload keeps the provider.
    page.get_by_role("button", name="Get code").click()
    code = page.locator(".code-panel")
    expect(code).to_contain_text(openai_served.emulator_url)
    expect(code).to_contain_text("OPENAI_STAND_IN_KEY")
    page.reload()
    expect(page.locator("#id_provider")).to_have_value("openai")
    expect(page.locator(".turn-assistant .turn-head")).to_contain_text("OpenAI stand-in")

    # Compare: the first pane on the OpenAI provider, the others on the Gemini emulator.
    page.goto(f"{both_served.base_url}/compare/")
    panes = page.locator(".pane-fieldset").count()
    page.locator("#pane-column-0 summary").click()  # settings fold into the pane's header
    page.locator("#id_pane-0-provider").select_option("openai")
    expect(page.locator("#id_pane-0-model")).to_have_value("gpt-4o-mini")
    htmx_idle(page)
    page.locator("#id_pane-0-reasoning_mode").select_option("default")
    fieldset = page.locator("#pane-fieldset-0")
    expect(fieldset).to_have_attribute("data-mode", "default", timeout=15000)
    expect(page.locator("#pane-summary-0")).to_contain_text("OpenAI stand-in · gpt-4o-mini")
    gemini_before = len(received(both_served))
    page.get_by_label("Prompt", exact=True).fill("Why is the sky blue?")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator('.pane[data-state="done"]')).to_have_count(panes, timeout=15000)
    to_openai = received(openai_served)[-1]
    to_gemini = received(both_served)[gemini_before:]
    assert to_openai["model"] == "gpt-4o-mini" and "extra_body" not in to_openai
    assert len(to_gemini) == panes - 1
    assert all(body["model"] == "gemini-3-flash-preview" for body in to_gemini)

    # Images: the OpenAI provider's own image model; Gemini's extras are not sent, and it says so.
    page.goto(f"{both_served.base_url}/images/")
    page.locator("#id_provider").select_option("openai")
    expect(page.locator("#id_model")).to_have_value("gpt-image-1")
    expect(page.locator("#extras-not-sent")).to_be_visible()
    htmx_idle(page)
    page.locator("#id_aspect_ratio").select_option("16:9")
    page.get_by_label("Prompt").fill("A lighthouse at dusk")
    page.get_by_role("button", name="Generate").click()
    expect(page.locator(".gallery-meta").first).to_contain_text("OpenAI stand-in")
    expect(page.locator("#id_provider")).to_have_value("openai")
    drawn = received(openai_served)[-1]
    assert drawn["model"] == "gpt-image-1" and "extra_body" not in drawn

    # Embeddings: the note on the emulator's made-up vectors follows the provider picked.
    page.goto(f"{both_served.base_url}/embeddings/")
    stand_in = page.locator("#stand-in-note")
    expect(stand_in).to_be_visible()
    page.locator("#id_provider").select_option("openai")
    expect(page.locator("#id_model")).to_have_value("text-embedding-3-small")
    expect(stand_in).to_be_hidden()
    page.locator("#id_provider").select_option("emulator")
    expect(stand_in).to_be_visible()
    htmx_idle(page)

    # The OpenAI provider stops: the Models page says so, and Gemini still answers.
    openai_served.stop()
    page.goto(f"{both_served.base_url}/models/?refresh=1")
    expect(page.locator("#provider-openai .provider-reach")).to_have_text("unreachable")
    expect(page.locator("#provider-emulator")).to_contain_text("gemini-2.5-flash")
    page.goto(f"{both_served.base_url}/chat/")
    page.locator("#id_provider").select_option("emulator")
    expect(page.locator("#id_model option[value='gemini-2.5-flash']")).to_have_count(1)
    htmx_idle(page)
    chat_with(page, "Name one lake")
    expect(page.locator('.turn-assistant[data-state="done"]')).to_have_count(1, timeout=10000)
    assert errors == []
