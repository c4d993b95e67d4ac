"""A page's stylesheets or scripts joined into one static file, with no build step.

The chat page needs five small CSS files and five small scripts of its own and the site's; a
browser downloads each joined file once, and one file compresses better than five (the gzip
dictionary is shared). The sources stay where they are, one per app; `BundleFinder` is a
staticfiles finder, so `/static/bundles/<name>` is served, and collected by `collectstatic`,
like any other file. A bundle is written again when one of its sources changed; it is as old
as its newest source, so browsers' conditional requests keep working across restarts.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage

PREFIX = "bundles/"
# In the order the page linked them: later rules and scripts may rely on earlier ones.
BUNDLES: dict[str, tuple[str, ...]] = {
    "chat.css": (
        "css/playground.css",
        "css/site.css",
        "css/media.css",
        "css/chat_tools.css",
        "css/chat.css",
    ),
    "chat.js": (
        "js/playground.js",
        "js/site_header.js",
        "js/attachments.js",
        "js/chat_tools.js",
        "js/chat.js",
    ),
}


def bundle_folder() -> Path:
    return Path(settings.DATA_DIR) / "static-bundles"


def _source_paths(name: str) -> list[Path]:
    paths = []
    for source in BUNDLES[name]:
        found = finders.find(source)
        if not found:
            raise FileNotFoundError(f"The bundle {name} names {source}, which is not found.")
        paths.append(Path(found))
    return paths


_written: dict[str, tuple[tuple[str, int, int], ...]] = {}


def bundle_write(name: str) -> Path:
    """The bundle's file, written again (atomically: other workers may be reading it) when
    this process has not written it from its sources as they are now."""
    target = bundle_folder() / name
    sources = _source_paths(name)
    stats = [path.stat() for path in sources]
    signature = tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for path, stat in zip(sources, stats, strict=True)
    )
    if _written.get(name) == signature and target.exists():
        return target
    newest = max(stat.st_mtime_ns for stat in stats)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Each source on its own lines, named: a script without a final semicolon or newline
    # cannot run into the next one.
    parts = [
        f"/* {source} */\n{path.read_text(encoding='utf-8').rstrip()}\n"
        for source, path in zip(BUNDLES[name], sources, strict=True)
    ]
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write("\n".join(parts))
    os.utime(temporary, ns=(newest, newest))
    os.replace(temporary, target)
    _written[name] = signature
    return target


class BundleFinder(finders.BaseFinder):
    """Finds `bundles/<name>` (see `BUNDLES`), writing it from its sources first."""

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        name = path.removeprefix(PREFIX) if path.startswith(PREFIX) else None
        if name not in BUNDLES:
            return [] if find_all else ""
        found = str(bundle_write(name))
        return [found] if find_all else found

    def list(self, ignore_patterns: list[str] | None) -> Any:
        storage = FileSystemStorage(location=bundle_folder())
        storage.prefix = PREFIX.rstrip("/")  # collected as bundles/<name>
        for name in BUNDLES:
            bundle_write(name)
            yield name, storage
