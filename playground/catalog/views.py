from __future__ import annotations

from urllib.parse import unquote, urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from playground.catalog.prices import price_table
from playground.catalog.selectors import (
    model_facts,
    model_fields,
    model_groups,
    model_listing_get,
)
from playground.catalog.services import model_listing_forget
from playground.llm.errors import UpstreamError
from playground.llm.models_api import retrieve_model
from playground.llm.providers import active_provider


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _page_status(error: UpstreamError) -> int:
    """A model the endpoint does not know is a 404 here too; any other failure is upstream's."""
    return 404 if error.status_code == 404 else 502


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
async def index(request: HtmxHttpRequest) -> HttpResponse:
    provider = active_provider()
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    if request.method == "POST" or request.GET.get("refresh"):
        await model_listing_forget(provider=provider)
        url = reverse("catalog:index")
        return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    context: dict[str, object] = {"provider": provider, "query": query, "error": None}
    status = 200
    try:
        listing = await model_listing_get(provider=provider)
    except UpstreamError as error:
        context["error"] = error
        # htmx leaves error responses unswapped; the error is the content of the swap.
        status = 200 if request.htmx else _page_status(error)
    else:
        context["listing"] = listing
        groups = model_groups(models=listing.models, query=query)
        context["groups"] = groups
        context["shown_count"] = sum(len(group.entries) for group in groups)
    template = "catalog/index.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context, status=status)


@require_GET
async def model_detail(request: HttpRequest, model_id: str) -> HttpResponse:
    provider = active_provider()
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
