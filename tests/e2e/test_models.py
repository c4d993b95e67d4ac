"""Signing in and the model registry, in Chromium against `manage.py serve` and its emulator."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.servers import ServedPlayground

GROUPS = ["Chat with thinking", "Chat", "Image generation", "Video generation", "Embeddings"]


def test_a_login_link_signs_in_and_lands_on_the_playground(
    page: Page, served: ServedPlayground
) -> None:
    page.goto(served.login_link())

    expect(page).to_have_url(f"{served.base_url}/chat/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(
        [
            "Chat",
            "Compare",
            "Decks",
            "Images",
            "Video",
            "Embeddings",
            "Batches",
            "Attachments",
            "Models",
        ]
    )


def test_a_used_login_link_says_it_no_longer_works(page: Page, served: ServedPlayground) -> None:
    link = served.login_link()
    page.goto(link)
    page.context.clear_cookies()

    response = page.goto(link)

    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This login link no longer works")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_the_badge_says_the_emulator_answers_offline(logged_in_page: Page) -> None:
    badge = logged_in_page.locator("#provider-badge")

    expect(badge).to_have_text("Emulator: offline")
    expect(badge).to_have_attribute("title", re.compile("No GEMINI_API_KEY is set"))


def test_the_models_page_groups_the_emulators_models(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Models").click()

    expect(page).to_have_url(f"{served.base_url}/models/")
    expect(page.locator(".model-group h2")).to_have_text([re.compile(g) for g in GROUPS])
    thinking = page.get_by_role("region", name=re.compile("^Chat with thinking"))
    expect(thinking.get_by_role("link", name="gemini-2.5-flash", exact=True)).to_be_visible()
    embeddings = page.get_by_role("region", name=re.compile("^Embeddings"))
    expect(embeddings.get_by_role("link")).to_have_count(2)


def test_typing_in_the_filter_narrows_the_list_without_reloading(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page
    page.goto(f"{served.base_url}/models/")
    models = page.locator(".model-list li")
    expect(models).not_to_have_count(0)
    everything = models.count()
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Filter models").press_sequentially("embedding", delay=20)

    expect(models).to_have_count(2)
    expect(page.locator(".model-group h2")).to_have_text([re.compile("^Embeddings")])
    expect(page).to_have_url(re.compile(r"/models/\?q=embedding$"))
    assert everything > 2
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("Filter models").fill("")
    page.get_by_label("Filter models").dispatch_event("input")
    expect(models).to_have_count(everything)


def test_a_model_page_shows_its_fields_and_reasoning_table(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page
    page.goto(f"{served.base_url}/models/")

    page.get_by_role("link", name="gemini-2.5-flash", exact=True).click()

    expect(page).to_have_url(f"{served.base_url}/models/gemini-2.5-flash/")
    expect(page.get_by_role("heading", level=1)).to_have_text("models/gemini-2.5-flash")
    expect(page.locator("#returned-fields")).to_contain_text("owned_by")
    rows = page.locator("#reasoning-table tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.filter(has_text="medium")).to_contain_text("8,192-token thinking budget")
    expect(rows.filter(has_text="none")).to_contain_text("thinking off")
    expect(page.locator("#model-pages").get_by_role("link", name="Chat")).to_have_attribute(
        "href", "/chat/?model=gemini-2.5-flash"
    )


def test_a_model_page_answers_to_every_spelling_of_its_id(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page
    for path in ["models/gemini-2.5-pro", "gemini-2.5-pro", "models%2Fgemini-2.5-pro"]:
        response = page.goto(f"{served.base_url}/models/{path}/")

        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text("models/gemini-2.5-pro")


def test_an_unknown_model_shows_geminis_not_found_message(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page

    response = page.goto(f"{served.base_url}/models/models/xyz/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("HTTP 404")
    expect(page.get_by_role("alert")).to_contain_text("models/xyz is not found")


def test_the_model_pages_fit_a_desktop_and_a_phone(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page
    for width, height, name in [(1280, 900, "desktop"), (390, 844, "phone")]:
        page.set_viewport_size({"width": width, "height": height})
        for path, shot in [("/models/", "models"), ("/models/gemini-3.1-pro-preview/", "model")]:
            page.goto(f"{served.base_url}{path}")
            expect(page.locator("main h1")).to_be_visible()

            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=f"/tmp/{shot}-{name}.png", full_page=True)

            assert scroll_width <= width, f"{path} scrolls sideways on a {name} ({scroll_width}px)"
