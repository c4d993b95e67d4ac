from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from playground.catalog.selectors import provider_offers
from playground.error_pages import found_or_404
from playground.get_code.snippets import snippets_render
from playground.images.forms import ImageForm, initial_from_request
from playground.images.models import GeneratedImage
from playground.images.selectors import (
    gallery_of,
    generation_of,
    image_of,
    request_of,
    setting_lines,
)
from playground.images.services import (
    UnreadableImage,
    generated_image_delete,
    image_generation_store,
)
from playground.limits.admission import RequestRefused, requests_admit
from playground.llm import (
    IMAGE_GENERATION,
    ImageRequest,
    UpstreamError,
    generate_images,
    image_code_request,
    image_request_for_provider,
    provider_for,
)
from playground.private_files import private_file_response


def _own_image(user: AbstractBaseUser, pk: int) -> GeneratedImage:
    return found_or_404(image_of(user, pk), "image")


def _initial(request: HttpRequest, user: AbstractBaseUser) -> dict[str, Any]:
    again = request.GET.get("again", "")
    if not again:
        # `?provider=` from the Models page; the form settles an unknown provider.
        provider = request.GET.get("provider", "")[:100]
        return {"provider": provider, "n": 1, "response_format": "b64_json"}
    found = generation_of(user, int(again)) if again.isdigit() else None
    generation = found_or_404(found, "generation to repeat")
    return initial_from_request(request_of(generation).to_dict())


def _context(user: AbstractBaseUser, form: ImageForm, error: Exception | None) -> dict[str, Any]:
    return {
        "form": form,
        "error": error,
        "gallery": gallery_of(user),
        "provider": form.target_provider,
    }


async def _generate(user: AbstractBaseUser, form: ImageForm) -> ImageRequest:
    provider = form.target_provider
    request = image_request_for_provider(ImageRequest(**form.request_values()), provider)
    images = await generate_images(request, provider=provider)
    await sync_to_async(image_generation_store)(user=user, request=request, images=images)
    return request


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
async def index(request: HttpRequest) -> HttpResponse:
    user = await request.auser()
    offers = await provider_offers(capability=IMAGE_GENERATION)
    error: Exception | None = None
    if request.method == "POST":
        form = ImageForm(request.POST, offers=offers)
        if form.is_valid():
            try:
                # The per-person request limit chat has: each image asked for counts.
                await sync_to_async(requests_admit)(user_id=user.pk, count=form.cleaned_data["n"])
                sent = await _generate(user, form)
            except RequestRefused as refusal:  # nothing was sent or stored
                form.add_error(None, str(refusal))
            except (UpstreamError, UnreadableImage) as exc:
                error = exc
            else:
                if not request.htmx:
                    return redirect("images:index")
                # The settings stay in the form, to try the next variation.
                initial = initial_from_request(sent.to_dict())
                form = ImageForm(initial=initial, offers=offers)
    else:
        initial = await sync_to_async(_initial)(request, user)
        form = ImageForm(initial=initial, offers=offers)
        if "model" not in initial:
            form.model_wanted(request.GET.get("model", ""))
    context = await sync_to_async(_context)(user, form, error)
    # htmx swaps only 2xx answers: the errors are the content of the swap.
    status = 400 if form.errors else 502 if error else 200
    template = "images/index.html"
    if request.htmx:
        template, status = template + "#workspace", 200
    return render(request, template, context, status=status)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    image = _own_image(request.user, pk)
    sent = request_of(image.generation)
    provider = provider_for(sent.provider)
    gone = bool(sent.provider) and provider.name != sent.provider
    code = image_code_request(sent, base_url=provider.base_url, key_variable=provider.key_variable)
    context = {
        "image": image,
        "generation": image.generation,
        "settings": setting_lines(sent),
        "provider": provider,
        # The name saved with the run when that provider is no longer configured.
        "provider_label": sent.provider if gone else provider.label,
        "snippets": snippets_render(code=code),
    }
    return render(request, "images/detail.html", context)


@require_GET
def image_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    image = _own_image(request.user, pk)
    name = f"image-{image.generation_id}-{image.position}.{image.extension}"
    download_name = name if request.GET.get("download") else ""
    return private_file_response(
        request, image.file, content_type=image.mime_type, download_name=download_name
    )


@require_GET
def thumbnail(request: HttpRequest, pk: int) -> HttpResponseBase:
    image = _own_image(request.user, pk)
    return private_file_response(request, image.thumbnail, content_type="image/webp")


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    image = _own_image(request.user, pk)
    if request.method == "POST":
        generated_image_delete(image=image)
        messages.success(request, "Deleted the image.")
        return redirect(reverse("images:index"))
    return render(request, "images/delete.html", {"image": image})
