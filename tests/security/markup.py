"""What served HTML must never contain when model output (untrusted) is part of it.

`findings(html)` lists every place where markup could run something, call something or fetch
something: script elements that are not the page's own (a `/static/` file carrying the page's
nonce), event handler attributes, `javascript:`-like URLs, remote images, frames, objects,
base and refresh tags, inline styles. Inside the regions that hold model output (`.markdown`,
the live answer and thought boxes, and streamed fragments) only the markdown renderer's own
tags and attributes may appear: no htmx or data attributes, no ids to clobber the page's.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}  # fmt: skip
NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "ping",
                  "xlink:href", "srcset", "hx-get", "hx-post", "hx-put", "hx-delete",
                  "hx-patch", "ws-connect"}  # fmt: skip
IMAGE_TAGS = {"img", "image", "source", "video", "audio", "input", "picture"}
# What the markdown renderer may put inside a model-output region (rendering.py).
MODEL_TAGS = {"p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul",
              "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "div", "table",
              "thead", "tbody", "tr", "th", "td"}  # fmt: skip
MODEL_ATTRIBUTES = {"a": {"href", "title", "rel"}, "span": {"class"}, "div": {"class"},
                    "pre": {"class"}, "code": {"class"}, "ol": {"start"}}  # fmt: skip
MODEL_REGION = re.compile(r"\b(markdown|answer-live|thought-text)\b")
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript|mocha):", re.I)
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _same_origin(url: str) -> bool:
    return (url.startswith("/") and not url.startswith("//")) or url.startswith(("#", "?"))


class _Checker(HTMLParser):
    def __init__(self, *, nonce: str | None, fragment: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.fragment = fragment
        self.stack: list[tuple[str, bool]] = []  # (tag, opens a model region)
        self.found: list[str] = []
        self.in_script = False

    @property
    def in_model_region(self) -> bool:
        return any(region for _, region in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, dict(attrs))
        if tag in VOID:
            return
        classes = dict(attrs).get("class") or ""
        opens = bool(MODEL_REGION.search(classes)) or self._streamed(tag, dict(attrs))
        self.stack.append((tag, opens))
        self.in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.found.append(f"inline script: {data[:60]!r}")

    def _streamed(self, tag: str, attrs: dict[str, str | None]) -> bool:
        """A streamed fragment's span holds model text and nothing else."""
        return tag == "span" and attrs.get("hx-swap-oob") == "beforeend"

    def _check(self, tag: str, attrs: dict[str, str | None]) -> None:
        where = f"<{tag} {' '.join(attrs)}>"
        if tag in NEVER:
            self.found.append(f"forbidden element {where}")
        if tag == "script":
            src = attrs.get("src") or ""
            if self.fragment or not src.startswith("/static/"):
                self.found.append(f"script that is not the page's own: {where}")
            elif self.nonce is None or attrs.get("nonce") != self.nonce:
                self.found.append(f"script without the page's nonce: {where}")
        if tag == "meta" and "http-equiv" in attrs:
            self.found.append(f"meta http-equiv: {where}")
        if tag == "link" and not _same_origin(attrs.get("href") or ""):
            self.found.append(f"link elsewhere: {where}")
        for name, value in attrs.items():
            self._check_attribute(tag, name, value or "", where)
        if self.in_model_region:
            self._check_model_markup(tag, attrs, where)

    def _check_attribute(self, tag: str, name: str, value: str, where: str) -> None:
        if name.startswith("on"):
            self.found.append(f"event handler {name}: {where}")
        if name in {"style", "srcdoc"}:
            self.found.append(f"{name} attribute: {where}")
        if name in URL_ATTRIBUTES:
            url = CONTROL.sub("", value)
            if BAD_SCHEME.match(url) and not (tag == "img" and url.startswith("data:image/")):
                self.found.append(f"{name}={value[:60]!r}: {where}")
            if tag in IMAGE_TAGS and name in {"src", "srcset", "poster"}:
                if not (_same_origin(url) or url.startswith(("data:image/", "blob:"))):
                    self.found.append(f"remote image {value[:60]!r}")

    def _check_model_markup(self, tag: str, attrs: dict[str, str | None], where: str) -> None:
        if tag not in MODEL_TAGS:
            self.found.append(f"model output made an element: {where}")
        extra = set(attrs) - MODEL_ATTRIBUTES.get(tag, set())
        # The streamed span itself is the relay's, not the model's.
        if tag == "span" and attrs.get("hx-swap-oob") == "beforeend":
            extra -= {"id", "hx-swap-oob"}
        if extra:
            self.found.append(f"model output carries attributes {sorted(extra)}: {where}")


def findings(html: str, *, nonce: str | None = None, fragment: bool = False) -> list[str]:
    checker = _Checker(nonce=nonce, fragment=fragment)
    checker.feed(html)
    checker.close()
    return checker.found


def page_nonce(csp_header: str) -> str | None:
    match = re.search(r"'nonce-([^']+)'", csp_header)
    return match.group(1) if match else None
