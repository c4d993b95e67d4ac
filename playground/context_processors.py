from __future__ import annotations

from django.http import HttpRequest

from playground.llm import active_provider


def layout(request: HttpRequest) -> dict[str, object]:
    """What base.html needs on every page: which upstream answers."""
    return {"active_provider": active_provider()}
