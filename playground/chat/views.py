from __future__ import annotations

from asgiref.sync import async_to_sync, sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from playground.chat import runs
from playground.chat.forms import ChatSendForm, ConversationRenameForm
from playground.chat.models import Conversation
from playground.chat.relay import ReplyRelay
from playground.chat.selectors import (
    chat_model_ids,
    conversation_of,
    conversations_of,
    default_model,
    transcript,
)
from playground.chat.services import conversation_delete, conversation_rename, turn_finish
from playground.llm.streaming import stream_reply

SETTINGS_FIELDS = [
    "system_prompt", "temperature", "top_p", "max_tokens", "stop", "seed", "n", "stream",
    "include_thoughts",
]  # fmt: skip


def _own_conversation(request: HttpRequest, pk: int) -> Conversation:
    conversation = conversation_of(request.user, pk)
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def _page(
    request: HttpRequest,
    conversation: Conversation | None,
    form: ChatSendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    model_ids = async_to_sync(chat_model_ids)()
    if form is None:
        initial = {
            "model": default_model(model_ids),
            "n": 1,
            "stream": True,
            "include_thoughts": True,
        }
        if conversation is not None:
            initial |= conversation.settings
            initial["stop"] = "\n".join(initial.get("stop") or [])
        form = ChatSendForm(initial=initial, model_choices=model_ids)
    context = {
        "conversation": conversation,
        "turns": transcript(conversation) if conversation else [],
        "conversations": conversations_of(request.user)[:200],
        "current_id": conversation.pk if conversation else None,
        "form": form,
        "settings_fields": [form[name] for name in SETTINGS_FIELDS],
        "model_choices": model_ids,
    }
    return render(request, "chat/page.html", context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    return _page(request, None)


def conversation_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _own_conversation(request, pk))


@require_POST
def send(request: HttpRequest) -> HttpResponse:
    """Without JavaScript: the same form, answered in one piece, then back to the page."""
    form = ChatSendForm(request.POST, model_choices=async_to_sync(chat_model_ids)())
    if not form.is_valid():
        conversation = None
        if (pk := form.cleaned_data.get("conversation")) is not None:
            conversation = conversation_of(request.user, pk)
        return _page(request, conversation, form, status=400)
    try:
        prepared = runs.run_prepare_send(
            user=request.user, cleaned=form.cleaned_data, settings=form.settings_dict()
        )
    except runs.RunRefused as exc:
        messages.error(request, str(exc))
        return redirect("chat:index")

    async def run_whole() -> None:
        async def discard(_fragment: str) -> None:
            return None

        relay = ReplyRelay(turn_id=prepared.assistant_turn.pk, n=prepared.spec.n, send=discard)
        outcome = await relay.run(stream_reply(prepared.spec))
        await sync_to_async(turn_finish)(turn_id=prepared.assistant_turn.pk, outcome=outcome)

    async_to_sync(run_whole)()
    return redirect("chat:conversation", prepared.conversation.pk)


@require_http_methods(["GET", "POST"])
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _own_conversation(request, pk)
    if request.method == "POST":
        form = ConversationRenameForm(request.POST)
        if form.is_valid():
            conversation_rename(conversation=conversation, title=form.cleaned_data["title"])
            return redirect("chat:conversation", conversation.pk)
        status = 400
    else:
        form = ConversationRenameForm(initial={"title": conversation.title})
        status = 200
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
