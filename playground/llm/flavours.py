"""What a request carries for a provider's flavour: the one rule chat, compare and code share.

Gemini's extras (`extra_body.google`: thinking_config, cached_content, safety settings, and
the mapping of reasoning_effort onto a thinking_config for thought summaries) go to `gemini`
providers only. An `openai` provider gets the OpenAI fields it accepts: `reasoning_effort` as
picked, and nothing under `extra_body`, which an OpenAI server refuses as an unknown field.
"""

from __future__ import annotations

from dataclasses import replace

from playground.llm.images import ImageRequest
from playground.llm.providers import Flavour, Provider
from playground.llm.runspec import RunSpec

# The settings only a `gemini` provider is sent; the pages mark them so.
GEMINI_ONLY_SETTINGS = (
    "thinking_level",
    "thinking_budget",
    "include_thoughts",
    "cached_content",
    "extra_body",
)


def spec_for_flavour(spec: RunSpec, flavour: Flavour) -> RunSpec:
    """`spec` as an endpoint of `flavour` takes it (unchanged for `gemini`)."""
    if flavour == "gemini":
        return spec
    stripped = replace(
        spec,
        thinking_level=None,
        thinking_budget=None,
        include_thoughts=False,
        cached_content=None,
        extra_body_json="",
    )
    return stripped if stripped != spec else spec


def spec_for_provider(spec: RunSpec, provider: Provider) -> RunSpec:
    return spec_for_flavour(spec, provider.flavour)


def image_request_for_provider(request: ImageRequest, provider: Provider) -> ImageRequest:
    """`request` as `provider` takes it: no `extra_body.google` (aspect_ratio, generation_config,
    safety settings, Search grounding) for an `openai` provider."""
    if provider.is_gemini:
        return request
    stripped = replace(
        request,
        aspect_ratio=None,
        generation_config_json="",
        safety_settings_json="",
        google_search=False,
    )
    return stripped if stripped != request else request
