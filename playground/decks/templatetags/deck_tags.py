from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def add_to_deck(target: Any, kind: str) -> str:
    """“Add to deck…” on a conversation or a comparison: the page that picks the deck."""
    url = f"{reverse('decks:add')}?{urlencode({'source': kind, 'target': target.pk})}"
    return format_html(
        '<p class="add-to-deck"><a class="button" href="{}">Add to deck…</a></p>', url
    )
