"""Images in Chromium against `manage.py serve` and its emulator: two pictures into the gallery,
then the full view with its code."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.servers import ServedPlayground


def test_generating_two_images_fills_the_gallery_and_opens_full_size(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Images").click()
    expect(page).to_have_url(f"{served.base_url}/images/")

    page.get_by_label("Prompt", exact=True).fill("a lighthouse on a cliff at dawn")
    page.get_by_label("Images (n)").fill("2")
    page.get_by_label("Aspect ratio").select_option("16:9")
    page.get_by_role("button", name="Generate").click()

    entry = page.locator(".gallery-entry").filter(has_text="a lighthouse on a cliff at dawn")
    expect(entry.locator("img")).to_have_count(2, timeout=20000)
    for image in entry.locator("img").all():
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0
    expect(entry.locator(".setting-chips")).to_contain_text("aspect_ratio: 16:9")

    entry.locator("a.gallery-image").first.click()
    expect(page).to_have_url(re.compile(r"/images/\d+/$"))
    expect(page.get_by_role("heading", name="Image 1")).to_be_visible()
    full = page.locator(".image-full img")
    expect(full).to_have_js_property("naturalWidth", 1024)
    page.get_by_text("Get code").click()
    expect(page.locator(".code-snippet pre").first).to_contain_text("client.images.generate(")
    expect(page.get_by_role("link", name="Download")).to_have_attribute(
        "href", re.compile(r"download=1$")
    )
