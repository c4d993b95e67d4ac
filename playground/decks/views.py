"""Decks: list, build from conversations and comparisons, edit, present, export, import, share."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from playground.chat.models import Conversation
from playground.chat.selectors import conversation_of
from playground.compare.models import Comparison
from playground.compare.selectors import comparison_of
from playground.decks import services
from playground.decks.forms import (
    AddToDeckForm,
    DeckForm,
    DeckImportForm,
    StepMoveForm,
    StepPromptForm,
    StepRunForm,
)
from playground.decks.models import Deck, Step
from playground.decks.portable import DeckFileRefused, deck_export, deck_import
from playground.decks.presenting import recorded_attempt, step_slots
from playground.decks.selectors import deck_by_token, deck_of, decks_of, step_of, steps_of
from playground.error_pages import found_or_404


def _own_deck(request: HttpRequest, pk: int) -> Deck:
    return found_or_404(deck_of(request.user, pk), "deck")


def _own_step(request: HttpRequest, pk: int, step: int) -> Step:
    return found_or_404(step_of(request.user, pk, step), "step")


def _index(
    request: HttpRequest,
    *,
    form: DeckForm | None = None,
    import_form: DeckImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "decks": decks_of(request.user),
        "form": form or DeckForm(),
        "import_form": import_form or DeckImportForm(),
    }
    return render(request, "decks/index.html", context, status=status)


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _index(request)
    form = DeckForm(request.POST)
    if not form.is_valid():
        return _index(request, form=form, status=400)
    deck = services.deck_create(owner=request.user, **form.cleaned_data)
    return redirect("decks:detail", deck.pk)


@require_POST
def import_deck(request: HttpRequest) -> HttpResponse:
    form = DeckImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        deck = deck_import(owner=request.user, raw=upload.read())
    except DeckFileRefused as exc:
        form.add_error("file", f"Nothing was imported. {exc}")
        return _index(request, import_form=form, status=400)
    messages.success(request, f"Imported “{deck.title}” as a new deck.")
    return redirect("decks:detail", deck.pk)


def _source(request: HttpRequest, form: AddToDeckForm) -> Conversation | Comparison | None:
    lookup = conversation_of if form.cleaned_data["source"] == "conversation" else comparison_of
    return lookup(request.user, form.cleaned_data["target"])


@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    """“Add to deck” on a conversation or a comparison: pick a deck (GET), add (POST)."""
    form = AddToDeckForm(request.POST if request.method == "POST" else request.GET)
    valid = form.is_valid()
    source_ok = "source" in form.cleaned_data and "target" in form.cleaned_data
    source = _source(request, form) if source_ok else None
    if source is None:
        raise Http404("Nothing to add.")
    chosen = form.cleaned_data.get("deck") if valid else None
    deck = deck_of(request.user, chosen) if chosen else None
    if chosen and deck is None:
        raise Http404("No such deck.")
    if request.method != "POST" or not valid:
        context = {"form": form, "source": source, "decks": decks_of(request.user)}
        return render(
            request, "decks/add.html", context, status=400 if request.method == "POST" else 200
        )
    try:
        with transaction.atomic():  # a new deck is only kept with its first step
            if deck is None:
                title = form.cleaned_data["new_title"]
                deck = services.deck_create(owner=request.user, title=title)
            if isinstance(source, Conversation):
                services.step_add_from_conversation(deck=deck, conversation=source)
            else:
                services.step_add_from_comparison(deck=deck, comparison=source)
    except services.NothingToAdd as exc:
        messages.error(request, str(exc))
        if isinstance(source, Conversation):
            return redirect("chat:conversation", source.pk)
        return redirect("compare:detail", source.pk)
    messages.success(request, f"Added a step to “{deck.title}”.")
    return redirect("decks:detail", deck.pk)


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    deck = _own_deck(request, pk)
    form = DeckForm(request.POST or None, instance=deck)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Deck saved.")
        return redirect("decks:detail", deck.pk)
    context = {"deck": deck, "form": form, "steps": steps_of(deck)}
    return render(request, "decks/detail.html", context, status=400 if form.errors else 200)


@require_POST
def step_move(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    found = _own_step(request, pk, step)
    form = StepMoveForm(request.POST)
    if form.is_valid():
        services.step_move(step=found, by=-1 if form.cleaned_data["direction"] == "up" else 1)
    return redirect("decks:detail", pk)


@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    found = _own_step(request, pk, step)
    form = StepPromptForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        services.step_update_prompt(step=found, prompt=form.cleaned_data["prompt"])
        return redirect("decks:detail", pk)
    status = 400 if form.errors else 200
    return render(request, "decks/step_edit.html", {"step": found, "form": form}, status=status)


@require_POST
def step_delete(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    services.step_delete(step=_own_step(request, pk, step))
    return redirect("decks:detail", pk)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    deck = _own_deck(request, pk)
    if request.method == "POST":
        deck.delete()
        messages.success(request, f"Deleted “{deck.title}”.")
        return redirect("decks:index")
    return render(request, "decks/delete.html", {"deck": deck})


@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    deck = _own_deck(request, pk)
    if request.POST.get("revoke"):
        services.deck_unshare(deck=deck)
    else:
        services.deck_share(deck=deck)
    return redirect("decks:detail", deck.pk)


def _slides(deck: Deck) -> list[tuple[Step, list]]:
    return [(step, step_slots(step)) for step in steps_of(deck)]


@require_GET
def present(request: HttpRequest, pk: int) -> HttpResponse:
    deck = _own_deck(request, pk)
    context = {"deck": deck, "slides": _slides(deck), "run_form": StepRunForm()}
    return render(request, "decks/present.html", context)


@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    deck = _own_deck(request, pk)
    response = HttpResponse(
        json.dumps(deck_export(deck), ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="deck-{deck.pk}.json"'
    return response


@login_not_required
@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """A shared deck, read only: each step with what it recorded; nothing runs."""
    deck = deck_by_token(token)
    if deck is None:
        raise Http404("This link does not exist or has been revoked.")
    slides = [(step, [recorded_attempt(slot) for slot in slots]) for step, slots in _slides(deck)]
    return render(request, "decks/present.html", {"deck": deck, "slides": slides, "shared": True})
