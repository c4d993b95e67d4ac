"""Issue 20's "Done when", as a user meets it in Chromium: a deck built from a real conversation
and a real four-pane comparison, presented with the keyboard, exported, imported into a second
playground whose upstream is unreachable, replayed at the recorded pace, and run live with a
fallback to the recording when the upstream fails."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_chat_branches import console_errors
from tests.servers import START_TIMEOUT_SECONDS, ServedPlayground, free_port, running

TITLE = "Launch demo"
CHAT_PROMPT = "What is the capital of France?"
COMPARE_PROMPT = "Why is the sky blue?"
REPLAYED = re.compile(r"^replayed, recorded on \d{1,2} \w+ \d{4} from gemini-[\w.-]+$")
# The timeline every step replays after import: known offsets, long enough to time in a page.
FIRST_MS = 300  # the first answer fragment ("ALPHA")
END_MS = 2000
USAGE = '{"prompt_tokens":4,"completion_tokens":3,"total_tokens":19,"thinking_tokens":12}'
LONG = 30_000

# Records, in the page, when each presented reply first shows its first answer fragment and
# when it is done: the replay's pace measured where the audience sees it.
TIMING_SCRIPT = """
window.__deckTimes = {};
new MutationObserver(function () {
  document.querySelectorAll(".deck-slot").forEach(function (slot) {
    var times = window.__deckTimes[slot.id] = window.__deckTimes[slot.id] || {};
    var now = performance.now();
    if (times.first === undefined && slot.textContent.indexOf("ALPHA") !== -1) times.first = now;
    if (times.done === undefined && slot.dataset.state === "done") times.done = now;
  });
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ["data-state"]});
"""


def known_recording(text: str) -> dict:
    return {"v": 1, "end_ms": END_MS, "truncated": False, "fragments": [
        ["thought", 100, "Thinking it over."],
        ["answer", FIRST_MS, f"ALPHA {text} "],
        ["answer", 1200, "OMEGA."],
        ["usage", END_MS - 50, USAGE],
        ["finish", END_MS - 40, "stop"],
    ]}  # fmt: skip


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[Future[ServedPlayground]]:
    """A second playground, fresh data folder, its upstream a closed port: started in the
    background while the first part of the test runs (it takes 12-17 s to migrate and start)."""
    closed = free_port()  # bound then released: nothing listens there
    server = ServedPlayground(
        data_dir=tmp_path / "offline",
        env={"EMULATOR_BASE_URL": f"http://127.0.0.1:{closed}/v1beta/openai/"},
    )
    serving = running(server)
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = pool.submit(next, serving)
        try:
            yield started
        finally:
            started.exception()  # wait for the start, whatever it did, then stop the server
            serving.close()


def add_to_deck(page: Page, deck: str | None) -> str:
    """“Add to deck…” on the page shown; into `deck` (its id) or a new deck. Returns its id."""
    page.get_by_role("link", name="Add to deck…").click()
    expect(page.get_by_role("heading", name="Add to deck")).to_be_visible()
    if deck is None:
        page.get_by_label("Deck", exact=True).select_option(label="A new deck")
        page.get_by_label("Title of the new deck").fill(TITLE)
    else:
        page.get_by_label("Deck", exact=True).select_option(value=deck)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page).to_have_url(re.compile(r"/decks/\d+/$"))
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    return page.url.rstrip("/").rsplit("/", 1)[1]


def paced(page: Page, slot_id: str) -> None:
    """The reply in `slot_id` played its recording at the recorded pace (within 10%): from its
    first answer fragment on screen to done, against the recording's span between them."""
    times = page.evaluate("id => window.__deckTimes[id]", slot_id)
    took = times["done"] - times["first"]
    span = END_MS - FIRST_MS
    assert abs(took - span) <= span * 0.10, f"{slot_id}: {span} ms recorded, {took:.0f} ms shown"


def test_a_deck_built_presented_exported_and_replayed_offline(
    logged_in_page: Page, browser: Browser, offline: Future[ServedPlayground], tmp_path: Path
) -> None:
    page = logged_in_page
    errors = console_errors(page)
    origin = re.match(r"https?://[^/]+", page.url).group(0)

    # A chat message, then "Add to deck…" on the conversation: a new deck.
    page.goto(f"{origin}/chat/")
    page.get_by_label("Message").fill(CHAT_PROMPT)
    page.get_by_label("Message").press("Enter")
    expect(page.locator('.turn-assistant[data-state="done"]')).to_have_count(1, timeout=LONG)
    expect(page).to_have_url(re.compile(r"/chat/\d+/$"))
    page.reload()  # the conversation's actions (share, add to deck) are drawn with the page
    deck = add_to_deck(page, None)

    # A four-pane comparison (the thinking budgets preset), added to the same deck.
    page.goto(f"{origin}/compare/")
    page.get_by_label("Preset").select_option("budgets")
    page.locator("#id_preset_model").select_option("gemini-2.5-flash")
    page.get_by_role("button", name="Apply preset").click()
    expect(page.locator(".pane-fieldset")).to_have_count(4)
    page.get_by_label("Prompt", exact=True).fill(COMPARE_PROMPT)
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator('.pane[data-state="done"]')).to_have_count(4, timeout=LONG)
    expect(page).to_have_url(re.compile(r"/compare/\d+/$"))
    assert add_to_deck(page, deck) == deck
    steps = page.locator(".deck-step")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text(CHAT_PROMPT)
    expect(steps.nth(1)).to_contain_text("4 panes")
    expect(steps.nth(1)).to_contain_text(COMPARE_PROMPT)

    # Presented with the keyboard: each step runs on arrival.
    page.get_by_role("link", name="Present").click()
    where = page.locator("#deck-where")
    slide = page.locator(".deck-slide:not([hidden])")
    expect(where).to_have_text("Step 1 of 2")
    expect(slide.locator(".deck-prompt")).to_have_text(CHAT_PROMPT)
    expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(1, timeout=LONG)
    expect(slide.locator(".deck-figures")).to_contain_text("Time to first token")
    page.keyboard.press("ArrowRight")
    expect(where).to_have_text("Step 2 of 2")
    expect(slide.locator(".deck-prompt")).to_have_text(COMPARE_PROMPT)
    expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(4, timeout=LONG)
    page.keyboard.press("ArrowLeft")
    expect(where).to_have_text("Step 1 of 2")
    expect(slide.locator(".deck-prompt")).to_have_text(CHAT_PROMPT)
    expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(1, timeout=LONG)
    page.keyboard.press("PageDown")
    expect(where).to_have_text("Step 2 of 2")
    expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(4, timeout=LONG)

    # Exported to one file, with the recordings of both runs.
    page.get_by_role("link", name="Leave").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export").click()
    exported = tmp_path / "exported.json"
    download.value.save_as(exported)
    data = json.loads(exported.read_text())
    assert data["format"] == "gemini-playground-deck" and data["title"] == TITLE
    chat, compare = data["steps"]
    assert (chat["kind"], chat["prompt"]) == ("chat", CHAT_PROMPT)
    assert (compare["kind"], compare["prompt"]) == ("compare", COMPARE_PROMPT)
    assert len(compare["panes"]) == 4
    for recorded in [chat["recording"], *(pane["recording"] for pane in compare["panes"])]:
        assert recorded["fragments"] and isinstance(recorded["end_ms"], int), recorded
    assert chat["recorded_at"] and compare["recorded_at"]
    # The emulator answered at instant pace: give every reply a timeline long enough to time,
    # and ask for replay.
    data["mode"] = "replay"
    chat["recording"] = known_recording("chat")
    for n, pane in enumerate(compare["panes"]):
        pane["recording"] = known_recording(f"pane {n + 1}")
    upload = tmp_path / "launch-demo.json"
    upload.write_text(json.dumps(data))
    assert errors == [], errors

    # Imported into the second, offline playground, in its own browser session.
    server = offline.result(timeout=START_TIMEOUT_SECONDS)
    context = browser.new_context()
    try:
        far = context.new_page()
        far_errors = console_errors(far)
        far.goto(server.login_link())
        expect(far.get_by_role("button", name="Sign out")).to_be_visible()
        far.goto(f"{server.base_url}/decks/")
        far.get_by_label("Deck file (.json)").set_input_files(upload)
        far.get_by_role("button", name="Import").click()
        expect(far.get_by_role("heading", name=TITLE)).to_be_visible()
        expect(far.locator(".deck-step")).to_have_count(2)
        expect(far.get_by_label("Mode")).to_have_value("replay")

        # Replayed at the recorded pace, both steps, with the badge.
        far.add_init_script(TIMING_SCRIPT)
        far.get_by_role("link", name="Present").click()
        where = far.locator("#deck-where")
        slide = far.locator(".deck-slide:not([hidden])")
        expect(slide.locator(".deck-prompt")).to_have_text(CHAT_PROMPT)
        expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(1, timeout=LONG)
        expect(slide.locator(".deck-badge")).to_have_text(REPLAYED)
        expect(slide.locator(".deck-slot")).to_contain_text("ALPHA chat OMEGA.")
        paced(far, slide.locator(".deck-slot").get_attribute("id"))
        far.keyboard.press("ArrowRight")
        expect(where).to_have_text("Step 2 of 2")
        expect(slide.locator('.deck-slot[data-replayed="true"]')).to_have_count(4, timeout=LONG)
        expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(4, timeout=LONG)
        for n in range(4):
            pane = slide.locator(".deck-slot").nth(n)
            expect(pane.locator(".deck-badge")).to_have_text(REPLAYED)
            expect(pane).to_contain_text(f"ALPHA pane {n + 1} OMEGA.")
            paced(far, pane.get_attribute("id"))

        # Live with fallback: the upstream refuses, and the recording is shown instead.
        far.get_by_role("link", name="Leave").click()
        far.get_by_label("Mode").select_option("fallback")
        far.get_by_role("button", name="Save").click()
        expect(far.get_by_text("Deck saved.")).to_be_visible()
        far.get_by_role("link", name="Present").click()
        expect(far.locator(".deck-bar")).to_contain_text("Live, falling back to the recording")
        slide = far.locator(".deck-slide:not([hidden])")
        expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(1, timeout=LONG)
        expect(slide.locator(".deck-badge")).to_have_text(REPLAYED)
        expect(slide.locator(".deck-fallback-reason")).to_contain_text(
            "Live run did not finish: Could not reach the model endpoint"
        )
        expect(slide.locator(".deck-slot")).to_contain_text("ALPHA chat OMEGA.")
        assert far_errors == [], far_errors
    finally:
        context.close()
