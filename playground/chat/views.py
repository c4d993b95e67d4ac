from __future__ import annotations

import hashlib
from dataclasses import replace

from asgiref.sync import async_to_sync, sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap

from playground.catalog.selectors import initial_model_id, models_by_provider
from playground.chat import runs
from playground.chat.forms import (
    BranchChooseForm,
    ChatSendForm,
    ConversationRenameForm,
    SidebarPageForm,
)
from playground.chat.models import Conversation
from playground.chat.selectors import (
    conversation_of,
    sidebar_conversations,
    sidebar_page_after,
    transcript,
    turn_of,
)
from playground.chat.services import (
    BranchLocked,
    conversation_delete,
    conversation_rename,
    turn_choose,
    turn_finish,
)
from playground.chat.turn_html import markup_version
from playground.error_pages import found_or_404
from playground.get_code.snippets import snippets_render
from playground.llm import (
    CHAT,
    RunSpec,
    bare_model_id,
    chat_code_request,
    configured_providers,
    provider_for,
    spec_for_provider,
    stream_reply,
)
from playground.runs.attachments import AttachmentMissing, resolve_attachments
from playground.runs.forms import active_model_ids
from playground.runs.lifecycle import reply_run
from playground.runs.reasoning import ReasoningControls, reasoning_controls
from playground.runs.relay import ReplyRelay
from playground.runs.settings import RunSettings, optional_int
from playground.runs.stopping import reply_stop
from playground.runs.tool_editor import tool_panel_context

SETTINGS_FIELDS = ["temperature", "top_p", "max_tokens", "stop", "seed", "n", "stream"]
EXTRA_FIELDS = ["service_tier", "include_usage", "cached_content", "extra_body"]
DEFAULT_SETTINGS = {"n": 1, "stream": True, "include_thoughts": True, "include_usage": True}


def _own_conversation(request: HttpRequest, pk: int) -> Conversation:
    return found_or_404(conversation_of(request.user, pk), "conversation")


def _initial_settings(
    request: HttpRequest, conversation: Conversation | None, model_ids: list[str]
) -> dict[str, object]:
    """Defaults, then the conversation's last settings, then a saved turn's (Open in playground)."""
    wanted = request.GET.get("model", "")
    model = initial_model_id(capability=CHAT, model_ids=model_ids, wanted=wanted)
    initial: dict[str, object] = {"model": model, **DEFAULT_SETTINGS}
    if conversation is not None:
        initial |= conversation.settings
        source = request.GET.get("settings_from", "")
        turn = conversation.turns.filter(pk=source).first() if source.isdigit() else None
        if turn is not None and turn.run_spec:
            initial |= RunSettings.from_spec(RunSpec.from_dict(turn.run_spec)).to_dict()
    if wanted and model == bare_model_id(wanted):
        initial["model"] = model  # asked for from the Models page: over the conversation's
        initial["provider"] = ""
    initial["stop"] = "\n".join(initial.get("stop") or [])
    return initial


def _settings_key(form: ChatSendForm, offered: dict[str, list[str]]) -> str:
    """A digest of everything the settings panel is drawn from: the form's initial values,
    the models each provider offers and the providers configured (the reasoning and tool
    controls follow from these and the code's own catalog)."""
    providers = [(p.name, p.label, p.base_url, p.flavour) for p in configured_providers()]
    drawn = (sorted(form.initial.items()), offered, providers, markup_version())
    return hashlib.sha256(repr(drawn).encode()).hexdigest()


def _reasoning_for(form: ChatSendForm) -> ReasoningControls:
    def value(name: str) -> object:
        return form[name].value()

    return reasoning_controls(
        str(value("model") or ""),
        effort=str(value("reasoning_effort") or ""),
        level=str(value("thinking_level") or ""),
        # A budget of 0 (thinking off) is a value, not a blank.
        budget=optional_int(value("thinking_budget")),
        include_thoughts=bool(value("include_thoughts")),
        gemini=form.target_provider.is_gemini,
    )


def _page(
    request: HttpRequest,
    conversation: Conversation | None,
    form: ChatSendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    offered = async_to_sync(models_by_provider)(capability=CHAT)
    if form is None:
        initial = _initial_settings(request, conversation, active_model_ids(offered))
        form = ChatSendForm(initial=initial, model_choices=offered)
    context = {
        "conversation": conversation,
        "turns": transcript(conversation) if conversation else [],
        "sidebar": sidebar_conversations(request.user, current=conversation),
        "current_id": conversation.pk if conversation else None,
        "form": form,
        "settings_key": "" if form.is_bound else _settings_key(form, offered),
        "settings_fields": [form[name] for name in SETTINGS_FIELDS],
        "extra_fields": [form[name] for name in EXTRA_FIELDS],
        "extras_open": any(
            form[name].value() for name in ("service_tier", "cached_content", "extra_body")
        ),
        "model_choices": form.model_choices,
        "reasoning": _reasoning_for(form),
        **tool_panel_context(
            tools=form["tools"].value(),
            tool_choice=str(form["tool_choice"].value() or "auto"),
            response_format=str(form["response_format"].value() or "text"),
            schema=str(form["response_schema"].value() or ""),
            schema_name=str(form["response_schema_name"].value() or ""),
        ),
    }
    return render(request, "chat/page.html", context, status=status)


@require_GET
def reasoning(request: HttpRequest) -> HttpResponse:
    """The reasoning controls for the model picked, with what the chosen effort means."""
    provider = provider_for(request.GET.get("provider", "")[:100])
    controls = reasoning_controls(
        request.GET.get("model", "").strip().removeprefix("models/")[:140],
        effort=request.GET.get("reasoning_effort", "")[:20],
        level=request.GET.get("thinking_level", "")[:20],
        budget=optional_int(request.GET.get("thinking_budget", "")[:7]),
        include_thoughts=bool(request.GET.get("include_thoughts")),
        gemini=provider.is_gemini,
    )
    if controls.effort and controls.effort not in controls.efforts:
        controls = replace(controls, effort="")
    # The Gemini extras say whether they are sent to the provider picked.
    note = {"provider": provider, "oob": True}
    html = render_to_string("chat/page.html#reasoning", {"reasoning": controls}, request)
    html += render_to_string("chat/page.html#extras-note", note, request)
    return HttpResponse(html)


def index(request: HttpRequest) -> HttpResponse:
    return _page(request, None)


def conversation_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _own_conversation(request, pk))


@require_GET
def conversation_list(request: HttpRequest) -> HttpResponse:
    """The next page of the conversation list: the entries htmx appends as the person scrolls
    the sidebar, or a page of its own without JavaScript."""
    form = SidebarPageForm(request.GET)
    if not form.is_valid():
        return render(request, "chat/conversations.html", {"form": form}, status=400)
    page = sidebar_page_after(request.user, cursor=form.cursor(), skip=form.cleaned_data["skip"])
    template = "chat/page.html#sidebar-page" if request.htmx else "chat/conversations.html"
    return render(request, template, {"sidebar": page})


@require_GET
def turn_code(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Get code": the request behind a saved reply, as Python, JavaScript and curl."""
    turn = turn_of(request.user, pk)
    if turn is None or not turn.run_spec:
        raise Http404("No such reply.")
    try:
        spec = resolve_attachments(RunSpec.from_dict(turn.run_spec), owner=request.user)
    except AttachmentMissing as exc:
        raise Http404(str(exc)) from None
    provider = provider_for(spec.provider)
    spec = spec_for_provider(spec, provider)
    code = chat_code_request(spec, base_url=provider.base_url, key_variable=provider.key_variable)
    context = {
        "snippets": snippets_render(code=code),
        "code_id": f"code-{turn.pk}",
        "code_note": "The exact request this reply came from.",
        "code_files": code.file_names,
        "is_emulator": provider.is_emulator,
        "key_variable": code.key_variable,
        "provider_label": "" if provider.is_emulator else provider.label,
    }
    return render(request, "get_code/_panel.html#tabs", context)


@require_POST
async def send(request: HttpRequest) -> HttpResponse:
    """Without JavaScript: the same form, answered in one piece, then back to the page.

    An async view, so a client that leaves cancels the run (Django cancels the view on
    disconnect): the reply is stored as stopped with what arrived, and its stream slot freed.
    """
    user = await request.auser()
    offered = await models_by_provider(capability=CHAT)
    form = ChatSendForm(request.POST, model_choices=offered, user=user)
    if not await sync_to_async(form.is_valid)():
        conversation = None
        if (pk := form.cleaned_data.get("conversation")) is not None:
            conversation = await sync_to_async(conversation_of)(user, pk)
        return await sync_to_async(_page)(request, conversation, form, status=400)
    try:
        prepared = await sync_to_async(runs.run_prepare_send)(
            user=user, cleaned=form.cleaned_data, settings=form.settings()
        )
    except runs.RunRefused as exc:
        messages.error(request, str(exc))
        return redirect("chat:index")

    async def discard(_fragment: str) -> None:
        return None

    turn = prepared.assistant_turn
    relay = ReplyRelay(dom_prefix=turn.reply.dom_prefix, n=prepared.spec.n, send=discard)
    await reply_run(
        spec=prepared.spec,
        stream=stream_reply,
        relay=relay,
        owner=user,
        finish=sync_to_async(lambda outcome: turn_finish(turn_id=turn.pk, outcome=outcome)),
    )
    return redirect("chat:conversation", prepared.conversation.pk)


@require_POST
async def turn_stop(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a reply that this page did not start: one sent without JavaScript, or in another
    tab or worker. Its run stores what arrived as stopped, as a Stop on its own socket does."""
    user = await request.auser()
    turn = await sync_to_async(turn_of)(user, pk)
    if turn is None or turn.role != "assistant":
        raise Http404("No such reply.")
    if not turn.is_final:
        await reply_stop(key=turn.reply.dom_prefix)
    return redirect("chat:conversation", turn.conversation_id)


@require_POST
def choose_branch(request: HttpRequest) -> HttpResponse:
    """Show another version of a message (and the replies that followed it); saved, so a
    reload, a share link and the next request all follow the same branch."""
    form = BranchChooseForm(request.POST)
    turn = turn_of(request.user, form.cleaned_data["turn"]) if form.is_valid() else None
    if turn is None:
        raise Http404("No such message.")
    try:
        turn_choose(turn=turn)
    except BranchLocked as exc:
        if request.htmx:
            return reswap(render(request, "chat/page.html#notice", {"notice": str(exc)}), "none")
        messages.error(request, str(exc))
    if request.htmx:
        context = {"turns": transcript(turn.conversation)}
        return render(request, "chat/page.html#transcript-turns", context)
    return redirect("chat:conversation", turn.conversation_id)


def _sidebar_item(
    request: HttpRequest, conversation: Conversation, form: ConversationRenameForm | None = None
) -> HttpResponse:
    """The conversation's sidebar entry, as htmx swaps it in place (with the rename form open
    when one is given)."""
    here = reverse("chat:conversation", args=[conversation.pk])
    is_open = request.htmx.current_url_abs_path == here
    context = {
        "item": conversation,
        "current_id": conversation.pk if is_open else None,
        "renaming": form is not None,
        "rename_form": form,
    }
    html = render_to_string("chat/page.html#sidebar-item", context, request)
    if is_open and form is None:  # the page's own title follows a rename
        title = {"conversation": conversation, "oob": True}
        html += render_to_string("chat/page.html#toolbar-title", title, request)
    return HttpResponse(html)


@require_http_methods(["GET", "POST"])
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename in place in the sidebar (htmx), or on a page of its own without JavaScript."""
    conversation = _own_conversation(request, pk)
    if request.method == "POST":
        form = ConversationRenameForm(request.POST)
        if form.is_valid():
            conversation_rename(conversation=conversation, title=form.cleaned_data["title"])
            if request.htmx:
                return _sidebar_item(request, conversation)
            return redirect("chat:conversation", conversation.pk)
        status = 400
    else:
        form = ConversationRenameForm(initial={"title": conversation.title})
        status = 200
    if request.htmx:  # htmx swaps only successful answers: the error shows beside the field
        return _sidebar_item(request, conversation, form)
    return render(
        request, "chat/rename.html", {"conversation": conversation, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _own_conversation(request, pk)
    if request.method == "POST":
        conversation_delete(conversation=conversation)
        messages.success(request, f"Deleted “{conversation.title}”.")
        return redirect("chat:index")
    return render(request, "chat/delete.html", {"conversation": conversation})
