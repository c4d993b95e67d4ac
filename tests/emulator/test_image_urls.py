"""Pictures must travel inline: Gemini's endpoint refuses http(s) image addresses."""

from __future__ import annotations

import pytest

from tests.emulator.conftest import error_of, post_raw


def asking_with(url: str) -> dict:
    content = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": url}},
    ]
    return {"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": content}]}


@pytest.mark.parametrize(
    "url", ["https://upload.wikimedia.org/cat.jpg", "http://127.0.0.1:8080/chart.png"]
)
def test_it_refuses_an_image_address_with_geminis_wording(base_url: str, url: str) -> None:
    response = post_raw(base_url, "chat/completions", asking_with(url))

    assert response.status_code == 400
    assert error_of(response)["message"] == f"Invalid or unsupported file uri: {url}"


def test_it_refuses_an_image_part_without_a_url(base_url: str) -> None:
    body = asking_with("data:image/png;base64,AAAA")
    body["messages"][0]["content"][1]["image_url"] = {"detail": "low"}

    response = post_raw(base_url, "chat/completions", body)

    assert response.status_code == 400
    assert "messages[0].content[1].image_url.url" in error_of(response)["message"]
