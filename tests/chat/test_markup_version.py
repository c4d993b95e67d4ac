"""Cached chat HTML outlives a deploy in a shared cache: its keys carry what it was drawn with."""

from __future__ import annotations

import pytest

from playground.chat.turn_html import markup_version


@pytest.fixture(autouse=True)
def _read_afresh():
    markup_version.cache_clear()
    yield
    markup_version.cache_clear()


def test_another_template_or_price_table_is_another_markup_version(settings, tmp_path) -> None:
    (tmp_path / "chat").mkdir()
    turn = tmp_path / "chat" / "_turn.html"
    turn.write_text("<article>{{ turn.content }}</article>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    first = markup_version()
    markup_version.cache_clear()
    assert markup_version() == first, "the same files read again"

    turn.write_text('<article class="turn">{{ turn.content }}</article>')
    markup_version.cache_clear()
    changed = markup_version()
    assert changed != first

    settings.PLAYGROUND_PRICES = '{"gemini-2.5-flash": {"input": 1, "output": 2}}'
    markup_version.cache_clear()
    assert markup_version() not in (first, changed)
