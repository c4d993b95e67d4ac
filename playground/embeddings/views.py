from __future__ import annotations

import csv

from asgiref.sync import async_to_sync
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from playground.catalog.selectors import provider_offers
from playground.embeddings.forms import EmbeddingForm
from playground.embeddings.models import EmbeddingRun
from playground.embeddings.selectors import run_analysis, run_of, runs_of
from playground.embeddings.services import embedding_run_create
from playground.error_pages import found_or_404
from playground.limits.admission import RequestRefused, requests_admit
from playground.llm import EMBEDDINGS, UpstreamError, provider_shown

RECENT_RUNS = 20


def _own_run(request: HttpRequest, run_id: int) -> EmbeddingRun:
    return found_or_404(run_of(user=request.user, run_id=run_id), "embeddings run")


def _page(
    request: HttpRequest,
    form: EmbeddingForm,
    run: EmbeddingRun | None = None,
    error: UpstreamError | None = None,
    status: int = 200,
) -> HttpResponse:
    provider = form.target_provider
    context = {
        "form": form,
        "run": run,
        "analysis": run_analysis(run=run) if run else None,
        "run_provider": provider_shown(run.provider_name) if run else "",
        "runs": runs_of(user=request.user)[:RECENT_RUNS],
        "error": error,
        "provider": provider,
        # A run the emulator made keeps its own note; else the note follows the provider picked
        # for the next run (hidden for another one), redrawn when the picker changes.
        "stand_in_follows": not (run and run.from_emulator),
    }
    return render(request, "embeddings/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    offers = async_to_sync(provider_offers)(capability=EMBEDDINGS)
    if request.method == "GET":
        # `?provider=&model=` from the Models page; the form settles an unknown provider.
        initial = {"provider": request.GET.get("provider", "")[:100]}
        form = EmbeddingForm(initial=initial, offers=offers)
        form.model_wanted(request.GET.get("model", ""))
        return _page(request, form)
    form = EmbeddingForm(request.POST, request.FILES, offers=offers)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        requests_admit(user_id=request.user.pk)  # the per-person request limit chat has
        provider = form.target_provider
        run = embedding_run_create(user=request.user, provider=provider, spec=form.spec())
    except RequestRefused as refusal:  # nothing was sent or stored
        form.add_error(None, str(refusal))
        return _page(request, form, status=400)
    except UpstreamError as error:
        return _page(request, form, error=error, status=502)
    return redirect("embeddings:run", run.pk)


@require_GET
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _own_run(request, run_id)
    offers = async_to_sync(provider_offers)(capability=EMBEDDINGS)
    initial = {
        "provider": run.provider_name,
        "model": run.model,
        "dimensions": run.dimensions,
        "texts": "\n".join(run.texts),
    }
    form = EmbeddingForm(initial=initial, offers=offers)
    return _page(request, form, run=run)


def _short(value: float) -> float:
    """A float32 written with the 9 digits that give it back, not a double's 17."""
    return float(f"{value:.9g}")


def _download_name(run: EmbeddingRun, extension: str) -> str:
    return f"embeddings-{run.pk}-{run.model.replace('/', '-')}.{extension}"


@require_GET
def run_json(request: HttpRequest, run_id: int) -> JsonResponse:
    run = _own_run(request, run_id)
    items = [
        {"index": index, "text": text, "embedding": [_short(value) for value in vector]}
        for index, (text, vector) in enumerate(zip(run.texts, run.unpacked(), strict=True))
    ]
    payload = {"model": run.model, "dimensions": run.size, "data": items}
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{_download_name(run, "json")}"'
    return response


@require_GET
def run_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _own_run(request, run_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(run, "csv")}"'
    writer = csv.writer(response)
    writer.writerow(["index", "text", *(f"d{i}" for i in range(run.size))])
    for index, (text, vector) in enumerate(zip(run.texts, run.unpacked(), strict=True)):
        writer.writerow([index, text, *(_short(value) for value in vector)])
    return response
