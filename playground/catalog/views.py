from __future__ import annotations

import asyncio
import re
from urllib.parse import unquote, urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from playground.catalog.capabilities import PICKER_CAPABILITIES
from playground.catalog.fields import ModelField
from playground.catalog.prices import price_table
from playground.catalog.selectors import (
    ProviderModels,
    initial_model_id,
    model_facts,
    model_fields,
    model_ids,
    provider_models_get,
)
from playground.catalog.services import model_listing_forget
from playground.llm import (
    CHAT,
    UpstreamError,
    configured_providers,
    provider_for,
    provider_named,
    retrieve_model,
)

# What the provider-models fragment may name: a form field and the <form> it belongs to.
FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,60}$")

# A page's notes that follow the provider picked, redrawn out of band beside its models when the
# page asks for them by name: Gemini's extras not sent (images), the emulator's stand-in vectors
# (embeddings).
PROVIDER_NOTES = {
    "extras_note": "runs/_extras_note.html",
    "stand_in_note": "embeddings/_stand_in.html",
}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _page_status(error: UpstreamError) -> int:
    """A model the endpoint does not know is a 404 here too; any other failure is upstream's."""
    return 404 if error.status_code == 404 else 502


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
async def index(request: HtmxHttpRequest) -> HttpResponse:
    """Every configured provider's models, each with its own list or why it has none: one
    that is down says so and leaves the others' lists whole."""
    providers = configured_providers()
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    if request.method == "POST" or request.GET.get("refresh"):
        for provider in providers:
            await model_listing_forget(provider=provider)
        url = reverse("catalog:index")
        return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    sections: list[ProviderModels] = await asyncio.gather(
        *(
            provider_models_get(provider=provider, query=query, active=position == 0)
            for position, provider in enumerate(providers)
        )
    )
    first = sections[0] if sections else None
    context: dict[str, object] = {
        "sections": sections,
        "several": len(sections) > 1,
        "provider": first.provider if first else provider_for(""),
        "query": query,
    }
    status = 200
    failed = [section.error for section in sections if section.error is not None]
    if failed and len(failed) == len(sections) and not request.htmx:
        # Nothing could be listed: the page fails as the endpoint did. htmx leaves error
        # responses unswapped, so a swap shows the errors with 200.
        status = _page_status(failed[0])
    template = "catalog/index.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context, status=status)


@require_GET
async def provider_models(request: HttpRequest) -> HttpResponse:
    """A model picker holding one provider's models (htmx swaps it in when a provider is
    picked), with the provider's usual model chosen."""
    provider = provider_named(request.GET.get("provider", "")[:100])
    capability = request.GET.get("capability", CHAT)
    name = request.GET.get("name", "model")
    form_id = request.GET.get("form", "")
    if provider is None or capability not in PICKER_CAPABILITIES:
        raise Http404("No such provider.")
    if not FIELD_NAME.match(name) or (form_id and not FIELD_NAME.match(form_id)):
        raise Http404("No such field.")
    offered = await model_ids(capability=capability, provider=provider)
    field = ModelField(capability=capability)
    field.offer(offered)
    # Nothing listed (the provider is down): a blank box, not another provider's default.
    chosen = initial_model_id(capability=capability, model_ids=offered) if offered else ""
    attrs = {"id": f"id_{name}", **({"form": form_id} if form_id else {})}
    html = field.widget.render(name, chosen, attrs)
    for asked, template in PROVIDER_NOTES.items():
        if request.GET.get(asked):
            html += render_to_string(template, {"provider": provider, "oob": True}, request)
    response = HttpResponse(html)
    return trigger_client_event(response, "provider-models", after="settle")


@require_GET
async def model_detail(request: HttpRequest, model_id: str) -> HttpResponse:
    provider = provider_for(request.GET.get("provider", "")[:100])
    model_id = unquote(model_id)  # `models%2Fx` names `models/x`, as the SDK sends it
    context: dict[str, object] = {"provider": provider, "model_id": model_id}
    try:
        model = await retrieve_model(provider, model_id)
    except UpstreamError as error:
        context["error"] = error
        return render(request, "catalog/model.html", context, status=_page_status(error))
    table = price_table()
    context.update(
        model=model,
        fields=model_fields(model),
        facts=model_facts(model_id=model.id),
        price=table.price_for(model.id),
        price_table=table,
    )
    return render(request, "catalog/model.html", context)
