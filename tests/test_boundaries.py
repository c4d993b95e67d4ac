"""The seams of DESIGN.md, checked on the source: who may import what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "playground"

UPSTREAM_SDKS = ("openai", "google.genai")
# What the upstream layer must never reach for: pages, forms, templates, the emulator.
NOT_FOR_LLM = (
    "django.views",
    "django.forms",
    "django.template",
    "django.shortcuts",
    "playground.emulator",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module a source imports, `from a import b` counted as both `a` and `a.b`."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def reaches(modules: set[str], banned: tuple[str, ...]) -> set[str]:
    return {m for m in modules for b in banned if m == b or m.startswith(f"{b}.")}


def sources() -> list[tuple[str, set[str]]]:
    return [
        (
            module_name(path),
            imported_modules(
                path.read_text(encoding="utf-8"),
                module_name(path),
                is_package=path.name == "__init__.py",
            ),
        )
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def test_only_the_llm_package_imports_the_upstream_sdks() -> None:
    offenders = {
        module: reaches(imports, UPSTREAM_SDKS)
        for module, imports in sources()
        if not in_package(module, "playground.llm") and reaches(imports, UPSTREAM_SDKS)
    }

    assert offenders == {}


def test_the_emulator_shares_no_code_with_the_llm_package() -> None:
    offenders = {
        module: reaches(imports, ("playground.llm",))
        for module, imports in sources()
        if in_package(module, "playground.emulator") and reaches(imports, ("playground.llm",))
    }

    assert offenders == {}


def test_the_llm_package_knows_nothing_of_pages() -> None:
    offenders = {
        module: reaches(imports, NOT_FOR_LLM)
        | {m for m in imports if m.endswith((".views", ".forms"))}
        for module, imports in sources()
        if in_package(module, "playground.llm")
    }

    assert {module: found for module, found in offenders.items() if found} == {}


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("import openai", "playground.chat.x", {"openai"}),
        ("from openai import AsyncOpenAI", "playground.chat.x", {"openai"}),
        ("from google import genai", "playground.batches.x", {"google.genai"}),
        ("import google.genai.types", "playground.batches.x", {"google.genai"}),
        ("from ..llm import streaming", "playground.emulator.views", {"playground.llm"}),
        ("from . import openai_names", "playground.chat.x", set()),
        ("import openaiish", "playground.chat.x", set()),
    ],
)
def test_the_checker_sees_every_spelling_of_an_import(
    source: str, module: str, expected: set[str]
) -> None:
    banned = ("openai", "google.genai", "playground.llm")
    found = reaches(imported_modules(source, module), banned)

    assert {next(b for b in banned if m == b or m.startswith(f"{b}.")) for m in found} == expected


FEATURE_APPS = (
    "playground.chat",
    "playground.compare",
    "playground.sharing",
    "playground.images",
    "playground.video",
    "playground.embeddings",
    "playground.batches",
)  # catalog is not one: it keeps the model lists and the model picker every page uses


def test_chat_and_compare_never_import_each_other() -> None:
    """Both are users of the run engine; a feature added to a reply shows in both."""
    offenders = {
        module: reaches(imports, (other,))
        for module, imports in sources()
        for own, other in (
            ("playground.chat", "playground.compare"),
            ("playground.compare", "playground.chat"),
        )
        if in_package(module, own) and reaches(imports, (other,))
    }

    assert offenders == {}


def test_the_run_engine_imports_no_feature_app() -> None:
    offenders = {
        module: reaches(imports, FEATURE_APPS)
        for module, imports in sources()
        if in_package(module, "playground.runs") and reaches(imports, FEATURE_APPS)
    }

    assert offenders == {}


LLM_MODULES = {f"playground.llm.{path.stem}" for path in (PACKAGE / "llm").glob("*.py")} - {
    "playground.llm.__init__"
}


def test_outside_the_llm_package_only_its_public_interface_is_imported() -> None:
    """`from playground.llm import RunSpec`, never `from playground.llm.runspec import ...`."""
    offenders = {
        module: imports & LLM_MODULES
        for module, imports in sources()
        if not in_package(module, "playground.llm") and imports & LLM_MODULES
    }

    assert offenders == {}


def test_every_public_name_of_the_llm_package_resolves() -> None:
    import playground.llm as llm

    assert len(llm.__all__) == len(set(llm.__all__))
    for name in llm.__all__:
        assert getattr(llm, name) is not None, name
    with pytest.raises(AttributeError):
        _ = llm.no_such_name
