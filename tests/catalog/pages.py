"""Reading the registry page the way a person does: group titles and the models under them."""

from __future__ import annotations

import re
from html import unescape

GROUP = re.compile(r'<section class="model-group".*?<h2[^>]*>(.*?)<span.*?</section>', re.S)
MODEL_LINK = re.compile(r'<li>\s*<a href="[^"]*">([^<]*)</a>')


def groups_on(html: str) -> dict[str, list[str]]:
    """Group title -> model ids listed under it, in page order."""
    return {
        unescape(match.group(1)).strip(): MODEL_LINK.findall(match.group(0))
        for match in GROUP.finditer(html)
    }
