from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from playground.catalog.selectors import models_by_provider
from playground.compare.columns import pane_columns
from playground.compare.exports import EXPORT_FORMATS, comparison_export
from playground.compare.forms import MAX_RUNS_PER_PANE, CompareForm, pane_formset
from playground.compare.models import Comparison, Pane
from playground.compare.pane_ops import default_panes, is_pane_op, panes_after
from playground.compare.presets import PresetForm
from playground.compare.runs import (
    CompareRequest,
    compare_request,
    comparison_prepare,
    panes_run_all,
)
from playground.compare.selectors import (
    comparison_attachments,
    comparison_of,
    comparison_summary,
    comparisons_of,
    pane_diff,
    pane_slots,
    panes_of,
    tools_of,
)
from playground.compare.services import comparison_delete, comparison_finish, pane_send_to_chat
from playground.error_pages import found_or_404
from playground.limits.admission import StreamRefused
from playground.llm import CHAT, stream_reply
from playground.runs.forms import ModelChoices, active_model_ids
from playground.runs.tool_editor import tool_panel_context

PAGE = "compare/page.html"


def _own_comparison(request: HttpRequest, pk: int) -> Comparison:
    return found_or_404(comparison_of(request.user, pk), "comparison")


def _page_context(
    request: HttpRequest,
    *,
    compare: CompareRequest,
    comparison: Comparison | None = None,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    panes = panes_of(comparison) if comparison else []
    finished = comparison is not None and all(pane.is_final for pane in panes)
    sent = comparison_attachments(comparison) if comparison else []
    # The composer keeps what was attached: a saved run's files, or a refused run's valid ones.
    cleaned = getattr(compare.form, "cleaned_data", {})
    tools, tool_choice = _tools_as_set(compare.form, panes)
    first_model = compare.panes.forms[0].current_model() if compare.panes.forms else ""
    return {
        "comparison": comparison,
        "form": compare.form,
        "panes_formset": compare.panes,
        "preset_form": PresetForm(
            initial={"preset_model": first_model, "preset_send_as": "effort"},
            model_choices=active_model_ids(compare.model_choices),
        ),
        "model_choices": active_model_ids(compare.model_choices),
        "notes": notes or [],
        "panes": panes,
        "prompt_attachments": sent,
        "form_attachments": cleaned.get("attachments") or sent,
        "tools_form": "compare-form",
        **tool_panel_context(
            tools=tools, tool_choice=tool_choice, response_format="", schema="", schema_name=""
        ),
        "summary": comparison_summary(comparison, panes) if finished else None,
        "saved": comparisons_of(request.user)[:100],
        "slots": pane_slots(forms=compare.panes.forms, panes=panes),
    }


def _tools_as_set(form: CompareForm, panes: list[Pane]) -> tuple[object, str]:
    """The tools as typed in a refused run, as a saved run sent them, or none."""
    if form.is_bound:
        return form["tools"].value(), str(form["tool_choice"].value() or "auto")
    return tools_of(panes[0]) if panes else ([], "auto")


def _unbound(
    data: QueryDict | None, panes: list[dict[str, Any]], model_choices: ModelChoices
) -> CompareRequest:
    initial = {"prompt": "", "system_prompt": "", "runs_per_pane": "1"}
    if data is not None:
        initial = {name: data.get(name, "") for name in initial}
    return CompareRequest(
        CompareForm(initial=initial),
        pane_formset(model_choices=model_choices, initial=panes),
        model_choices,
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """A new comparison; `?op=` reshapes the panes (htmx gets just the pane settings back)."""
    op = request.GET.get("op", "")
    model_choices = async_to_sync(models_by_provider)(capability=CHAT)
    if is_pane_op(op):
        result = panes_after(op, request.GET, model_choices=active_model_ids(model_choices))
    else:
        result = default_panes(active_model_ids(model_choices))
    compare = _unbound(request.GET if op else None, result.panes, model_choices)
    context = _page_context(request, compare=compare, notes=result.notes)
    template = PAGE + "#pane-settings" if request.htmx and op else PAGE
    return render(request, template, context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A saved comparison as it ran, with its settings ready to run again."""
    comparison = _own_comparison(request, pk)
    model_choices = async_to_sync(models_by_provider)(capability=CHAT)
    columns = pane_columns(panes_of(comparison))
    panes = [column.first.settings for column in columns]
    runs = max((len(column.runs) for column in columns), default=1)
    data = QueryDict(mutable=True)
    data.update({"prompt": comparison.prompt, "system_prompt": comparison.system_prompt,
                 "runs_per_pane": str(runs)})  # fmt: skip
    compare = _unbound(data, panes, model_choices)
    return render(request, PAGE, _page_context(request, compare=compare, comparison=comparison))


@require_POST
def run(request: HttpRequest) -> HttpResponse:
    """Without JavaScript: the same forms, every pane run at once, then the saved result."""
    model_choices = async_to_sync(models_by_provider)(capability=CHAT)
    compare = compare_request(request.POST, model_choices=model_choices, user=request.user)
    if not compare.ok:
        return render(request, PAGE, _page_context(request, compare=compare), status=400)
    try:
        comparison, planned = comparison_prepare(user=request.user, request=compare)
    except StreamRefused as exc:  # a per-person limit: nothing was stored
        messages.error(request, str(exc))
        return render(request, PAGE, _page_context(request, compare=compare), status=429)

    async def discard(_fragment: str) -> None:
        return None

    wall_ms = async_to_sync(panes_run_all)(
        planned, stream=stream_reply, send=discard, owner=request.user
    )
    comparison_finish(comparison_id=comparison.pk, wall_ms=wall_ms)
    return redirect("compare:detail", comparison.pk)


@require_GET
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = _own_comparison(request, pk)
    back_url = reverse("compare:detail", args=[comparison.pk])
    return diff_response(request, comparison, back_url=back_url)


def diff_response(request: HttpRequest, comparison: Comparison, *, back_url: str) -> HttpResponse:
    """The word diff of panes `a` and `b`; shared with the read-only share page."""
    try:
        before, after = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        before = after = 0
    panes = panes_of(comparison)
    context = {
        "comparison": comparison,
        "pane_diff": pane_diff(panes, before=before, after=after),
        "back_url": back_url,
    }
    template = "compare/diff.html#diff-result" if request.htmx else "compare/diff.html"
    return render(request, template, context)


@require_GET
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return export_response(_own_comparison(request, pk), fmt=fmt)


def export_response(comparison: Comparison, *, fmt: str, shared: bool = False) -> HttpResponse:
    """The comparison as a download (`md`, `csv` or `json`); shared with the share page."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format: Markdown (md), CSV (csv) or JSON (json).")
    file = comparison_export(comparison, panes_of(comparison), fmt=fmt, shared=shared)
    disposition = content_disposition_header(as_attachment=True, filename=file.filename)
    return HttpResponse(
        file.content, content_type=file.content_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )  # fmt: skip


@require_POST
def send_to_chat(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    comparison = _own_comparison(request, pk)
    run = request.GET.get("run", "1")
    run_index = int(run) - 1 if run.isdigit() and 0 < int(run) <= MAX_RUNS_PER_PANE else 0
    pane = comparison.panes.filter(position=number - 1, run=run_index).first()
    if pane is None:
        raise Http404("No such pane.")
    if not pane.is_final:
        messages.error(request, "That pane is still running; send it when it has finished.")
        return _go(request, reverse("compare:detail", args=[comparison.pk]))
    return _go(request, pane_send_to_chat(user=request.user, pane=pane))


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect, also for htmx (whose request would otherwise follow it and swap the page)."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = _own_comparison(request, pk)
    if request.method == "POST":
        comparison_delete(comparison=comparison)
        messages.success(request, f"Deleted “{comparison.title}”.")
        return redirect("compare:index")
    return render(request, "compare/delete.html", {"comparison": comparison})
