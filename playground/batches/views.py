from __future__ import annotations

from asgiref.sync import async_to_sync
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from playground.batches.forms import (
    LINE_CAPABILITIES,
    BatchBuildForm,
    BatchSubmitForm,
    default_display_name,
)
from playground.batches.jsonl import jsonl_from_template
from playground.batches.models import BatchJob
from playground.batches.selectors import flow_code, job_of, jobs_of, results_page
from playground.batches.services import batch_job_cancel, batch_job_refresh, batch_job_submit
from playground.catalog.capabilities import BATCH_LINE
from playground.catalog.selectors import ProviderOffer, provider_offers
from playground.error_pages import found_or_404
from playground.limits.admission import RequestRefused, requests_admit
from playground.llm import CHAT_ENDPOINT, configured_providers, provider_for, provider_shown

RECENT_JOBS = 50
# A checked file goes back into the box only when it will fit through the form again.
REFILL_MAX_CHARS = 1_000_000


def _own_job(request: HttpRequest, job_id: int) -> BatchJob:
    return found_or_404(job_of(user=request.user, job_id=job_id), "batch")


def _offers() -> list[ProviderOffer]:
    """Batches go through Gemini's Files API: an OpenAI-compatible provider is not offered."""
    return async_to_sync(provider_offers)(capability=BATCH_LINE, gemini_only=True)


def _line_offers() -> dict[str, list[ProviderOffer]]:
    """Each endpoint's models per provider, which the lines of a batch for it may ask for."""
    return {
        endpoint: async_to_sync(provider_offers)(capability=capability, gemini_only=True)
        for endpoint, capability in LINE_CAPABILITIES.items()
    }


def _workbench(
    request: HttpRequest, offers: list[ProviderOffer], status: int = 200, **context: object
) -> HttpResponse:
    # `?provider=&model=` from the Models page; the forms settle an unknown provider.
    asked = request.GET.get("provider", "")[:100]
    initial = {"provider": asked, "display_name": default_display_name()}
    submit_form = context.setdefault("submit_form", BatchSubmitForm(initial=initial, offers=offers))
    if "build_form" not in context:
        build_form = BatchBuildForm(initial={"provider": asked}, offers=offers)
        build_form.model_wanted(request.GET.get("model", ""))
        context["build_form"] = build_form
    provider = submit_form.target_provider  # type: ignore[attr-defined]
    endpoint = submit_form["endpoint"].value() or CHAT_ENDPOINT  # type: ignore[index]
    display_name = submit_form["display_name"].value() or "my-batch-requests"  # type: ignore[index]
    context.update(
        provider=provider,
        only_gemini=len(offers) < len(configured_providers()),
        jobs=jobs_of(user=request.user)[:RECENT_JOBS],
        code=flow_code(provider=provider, endpoint=endpoint, display_name=display_name),
    )
    return render(request, "batches/index.html", context, status=status)


def _checked(request: HttpRequest, offers: list[ProviderOffer]) -> HttpResponse:
    line_offers = _line_offers()
    form = BatchSubmitForm(request.POST, request.FILES, offers=offers, line_offers=line_offers)
    if not form.is_valid():
        return _workbench(request, offers, submit_form=form, status=400)
    check = form.cleaned_data["check"]
    if request.POST.get("action") == "submit" and check.ok:
        try:
            requests_admit(user_id=request.user.pk)  # a batch counts once, however many lines
        except RequestRefused as refusal:  # nothing was sent or stored
            return _workbench(
                request,
                offers,
                submit_form=form,
                check=check,
                submit_notice=str(refusal),
                status=400,
            )
        job = batch_job_submit(
            user=request.user,
            provider=form.target_provider,
            endpoint=form.cleaned_data["endpoint"],
            display_name=form.cleaned_data["display_name"],
            check=check,
        )
        return redirect("batches:job", job.pk)
    if form.cleaned_data["from_file"] and len(check.jsonl) <= REFILL_MAX_CHARS:
        # The browser forgets the chosen file; keep its lines in the box instead.
        data = request.POST.copy()
        data["jsonl_text"] = check.jsonl
        form = BatchSubmitForm(data, offers=offers, line_offers=line_offers)
        form.is_valid()
    status = 200 if check.ok else 400
    return _workbench(request, offers, submit_form=form, check=check, status=status)


def _built(request: HttpRequest, offers: list[ProviderOffer]) -> HttpResponse:
    build_form = BatchBuildForm(request.POST, offers=offers)
    if not build_form.is_valid():
        return _workbench(request, offers, build_form=build_form, status=400)
    endpoint = build_form.cleaned_data["build_endpoint"]
    text = jsonl_from_template(
        endpoint=endpoint,
        model=build_form.cleaned_data["model"],
        template=build_form.cleaned_data["template"],
        inputs=build_form.cleaned_data["inputs"],
        system=build_form.cleaned_data["system"],
    )
    # The file goes to the provider whose models it was built with.
    submit_form = BatchSubmitForm(
        {
            "provider": build_form.cleaned_data["provider"],
            "endpoint": endpoint,
            "display_name": default_display_name(),
            "jsonl_text": text,
        },
        offers=offers,
        line_offers=_line_offers(),
    )
    # A model the provider does not list for this endpoint is refused above the box.
    valid = submit_form.is_valid()
    check = submit_form.cleaned_data.get("check") if valid else None
    status = 200 if valid else 400
    return _workbench(
        request, offers, submit_form=submit_form, build_form=build_form, check=check, status=status
    )


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    offers = _offers()
    if request.method == "GET":
        return _workbench(request, offers)
    try:
        action = request.POST.get("action")
    except RequestDataTooBig:
        notice = "That is too much to paste: upload the JSONL as a file instead."
        return _workbench(request, offers, submit_notice=notice, status=400)
    if action == "build":
        return _built(request, offers)
    return _checked(request, offers)


@require_GET
@vary_on_headers("HX-Request")
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = batch_job_refresh(job=_own_job(request, job_id))
    page_number = request.GET.get("page")
    provider = provider_for(job.provider_name)
    context = {
        "job": job,
        "provider_shown": provider_shown(job.provider_name),
        "key_variable": provider.key_variable,
        "results": results_page(job=job, number=page_number),
        "page_number": page_number,
        "code": flow_code(provider=provider, endpoint=job.endpoint, display_name=job.display_name),
    }
    template = "batches/job.html"
    if request.htmx and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        template += "#job"
    return render(request, template, context)


@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    outcome = batch_job_cancel(job=_own_job(request, job_id))
    if outcome.error:
        messages.error(request, f"The batch was not cancelled: {outcome.error.message}")
    else:
        messages.success(request, "Cancelling: requests already run are kept.")
    return redirect("batches:job", job_id)


def _jsonl_download(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def job_input(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    return _jsonl_download(job.input_jsonl, f"{job.display_name}-input.jsonl")


@require_GET
def job_output(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    if job.results_fetched_at is None:
        raise Http404("This batch has no results yet.")
    return _jsonl_download(job.output_jsonl, f"{job.display_name}-output.jsonl")
