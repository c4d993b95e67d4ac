"""The one provider picker: a form field naming a configured provider, and what a form does
with it (the provider picked decides which models its model picker offers and validates).

Chat's settings and compare's panes take the choices as provider -> model ids; the media pages
(images, embeddings, video, batches) take `ProviderOffer`s, which also say whether a provider
could be reached, so the picker can say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from playground.catalog.selectors import ProviderOffer, initial_model_id
from playground.llm import Provider, active_provider, bare_model_id

UNKNOWN_PROVIDER = "“%(value)s” is not a provider offered here. Pick one from the list."


def provider_field() -> forms.ChoiceField:
    """Shown only when more than one provider is configured; blank is the first one."""
    return forms.ChoiceField(required=False, label="Provider")


class ProviderPicking:
    """Mixed into a form that declares `provider = provider_field()`."""

    fields: dict[str, forms.Field]
    data: Mapping[str, Any]
    initial: dict[str, Any]
    is_bound: bool
    cleaned_data: dict[str, Any]
    providers: list[Provider]
    target_provider: Provider
    provider_notes: dict[str, str]

    def providers_offer(
        self, providers: Iterable[Provider], *, notes: Mapping[str, str] | None = None
    ) -> None:
        """Offer `providers` (the first is the default) and settle which one the form is for."""
        self.providers = list(providers)
        self.provider_notes = dict(notes or {})
        field = self.fields["provider"]
        field.choices = [("", "")] + [(p.name, p.label) for p in self.providers]  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = UNKNOWN_PROVIDER
        asked = self._provider_asked()
        chosen = next((p for p in self.providers if p.name == asked), None)
        first = self.providers[0] if self.providers else active_provider()
        self.target_provider = chosen or first

    @property
    def offers_providers(self) -> bool:
        """A picker only when there is a choice: one provider keeps the page as it was."""
        return len(self.providers) > 1

    @property
    def provider_options(self) -> list[tuple[str, str]]:
        """(name, what the option says) for the picker."""
        return [(p.name, p.label + self.provider_notes.get(p.name, "")) for p in self.providers]

    def _provider_asked(self) -> str:
        if self.is_bound:
            value = self.data.get(self.add_prefix("provider"))  # type: ignore[attr-defined]
        else:
            value = self.initial.get("provider") or self.fields["provider"].initial
        return value if isinstance(value, str) else ""

    def clean_provider(self) -> str:
        """The provider's name; blank becomes the default provider, so what is stored says."""
        return self.cleaned_data["provider"] or self.target_provider.name


def offer_notes(offers: Iterable[ProviderOffer]) -> dict[str, str]:
    """What a provider's option adds: it could not be reached, or it lists no model for this."""
    notes = {}
    for offer in offers:
        if not offer.reachable:
            notes[offer.provider.name] = " (unreachable)"
        elif not offer.model_ids:
            notes[offer.provider.name] = " (none listed)"
    return notes


class ProviderModelPicking(ProviderPicking):
    """A media page's form: a provider picker and a model picker of that provider's models
    for one capability (`capability`), from the `ProviderOffer`s it is made with (`offers=`)."""

    capability: str
    target_offer: ProviderOffer

    def __init__(self, *args: Any, offers: list[ProviderOffer], **kwargs: Any) -> None:
        # The form's own __init__ (this is mixed in before forms.Form).
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.offers_take(offers)

    def offers_take(self, offers: list[ProviderOffer]) -> None:
        self.providers_offer([offer.provider for offer in offers], notes=offer_notes(offers))
        name = self.target_provider.name
        self.target_offer = next(
            (offer for offer in offers if offer.provider.name == name),
            ProviderOffer(provider=self.target_provider, model_ids=[]),
        )
        listed = self.target_offer.model_ids
        self.fields["model"].offer(listed)  # type: ignore[attr-defined]
        # A provider just picked starts on one of its own models, not another provider's (a
        # past run's model that no provider lists now stays, marked as not listed).
        model = bare_model_id(str(self.initial.get("model") or ""))
        elsewhere = {m for offer in offers if offer.provider.name != name for m in offer.model_ids}
        taken = model in listed or (model and model not in elsewhere)
        if not self.is_bound and listed and not taken:
            self.initial["model"] = initial_model_id(capability=self.capability, model_ids=listed)

    def model_wanted(self, wanted: str) -> None:
        """Start on `wanted` (`?model=` from the Models page) when the provider picked lists it,
        else on its usual model."""
        self.initial["model"] = initial_model_id(
            capability=self.capability, model_ids=self.target_offer.model_ids, wanted=wanted
        )
