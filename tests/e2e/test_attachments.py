"""Attachments in a real browser: paste a picture, drop a recording, send, reload."""

from __future__ import annotations

import base64

from playwright.sync_api import Page, expect

from tests.media import files

BY = "\u00d7"  # the multiplication sign, as in "640 by 480"

MAKE_TRANSFER = """([data, name, type]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type }));
  return transfer;
}"""
PASTE = """([transfer]) => {
  const event = new ClipboardEvent(
    "paste", { clipboardData: transfer, bubbles: true, cancelable: true });
  document.getElementById("prompt").dispatchEvent(event);
}"""


def transfer(page: Page, data: bytes, name: str, content_type: str):
    return page.evaluate_handle(
        MAKE_TRANSFER, [base64.b64encode(data).decode(), name, content_type]
    )


def test_a_pasted_picture_and_a_dropped_recording_are_sent_and_kept(logged_in_page: Page, served):
    page = logged_in_page
    page.goto(served.base_url + "/chat/")
    attached = page.locator("#composer-attachments .attachment-card")

    page.evaluate(PASTE, [transfer(page, files.picture((300, 150)), "pasted.png", "image/png")])
    expect(attached).to_have_count(1)
    expect(attached.first).to_contain_text(f"300{BY}150")

    page.dispatch_event(
        "#composer",
        "drop",
        {"dataTransfer": transfer(page, files.wav(2.0), "memo.wav", "audio/wav")},
    )
    expect(attached).to_have_count(2)
    expect(attached.nth(1).locator("audio")).to_have_count(1)

    page.get_by_label("Message").fill("What did I send?")
    page.get_by_role("button", name="Send").click()
    done = page.locator('.turn-assistant[data-state="done"]')
    expect(done).to_have_count(1, timeout=20000)
    expect(done).to_contain_text(f"300{BY}150")
    expect(done).to_contain_text("2.00 s")
    expect(attached).to_have_count(0)
    user_turn = page.locator(".turn-user")
    expect(user_turn.locator("img")).to_have_count(1)
    expect(user_turn.locator("audio")).to_have_count(1)

    page.reload()
    expect(page.locator(".turn-user img")).to_have_count(1)
    expect(page.locator(".turn-user audio")).to_have_count(1)
    expect(page.locator('.turn-assistant[data-state="done"]')).to_contain_text(f"300{BY}150")
    # The thumbnail really loads (served to its owner).
    image = page.locator(".turn-user img")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0


def test_a_refused_upload_says_why_and_attaches_nothing(logged_in_page: Page, served):
    page = logged_in_page
    page.goto(served.base_url + "/chat/")
    page.evaluate(PASTE, [transfer(page, b"not an image at all", "fake.png", "image/png")])
    expect(page.locator("#attachment-errors")).not_to_be_empty()
    expect(page.locator("#attachment-errors")).not_to_contain_text("Uploading")
    expect(page.locator("#composer-attachments .attachment-card")).to_have_count(0)
