"""Rendering a CodeRequest as its Python, JavaScript and curl snippets.

The snippets are Django templates under templates/get_code/<kind>/, rendered by an engine of
their own: code is not HTML, so that engine never HTML-escapes (the page escapes the code once,
when the panel shows it), and every snippet template gets the literal printer's filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.template import Context, Engine

from playground.llm import MAX_NESTING, CodeRequest

LANGUAGES = (("python", "Python"), ("javascript", "JavaScript"), ("curl", "curl"))
COMMENT = {"python": "#", "javascript": "//", "curl": "#"}
TOO_DEEP = (
    "This request nests its values more than {levels} levels deep, "
    "deeper than Get code prints. Nothing else is wrong with it."
)


@dataclass(frozen=True, slots=True)
class Snippet:
    language: str
    label: str
    code: str


@cache
def _engine() -> Engine:
    return Engine(
        dirs=[str(folder) for folder in settings.TEMPLATES[0]["DIRS"]],
        autoescape=False,
        builtins=["playground.get_code.literal_filters"],
    )


def snippets_render(*, code: CodeRequest) -> list[Snippet]:
    if code.is_too_deep_to_print:
        note = TOO_DEEP.format(levels=MAX_NESTING)
        return [Snippet(lang, label, f"{COMMENT[lang]} {note}\n") for lang, label in LANGUAGES]
    engine = _engine()
    return [
        Snippet(
            language,
            label,
            _rendered(engine, f"get_code/{code.kind}/{language}.txt", code),
        )
        for language, label in LANGUAGES
    ]


def _rendered(engine: Engine, name: str, code: CodeRequest) -> str:
    text = engine.get_template(name).render(Context({"code": code}, autoescape=False))
    # Template tags on lines of their own leave blank lines behind: end with exactly one.
    return text.rstrip() + "\n"
