from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, url_name: str, label: str, app_name: str) -> str:
    """A navigation link, or nothing when that page does not exist (yet)."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    match = getattr(context.get("request"), "resolver_match", None)
    current = match is not None and match.app_name == app_name
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)
