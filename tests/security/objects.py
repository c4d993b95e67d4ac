"""One of everything a person can own, made the way the pages make it (or stored as a finished
job would leave it), and the URL parameters that reach each object."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from playground.batches.models import BatchJob, BatchStatus
from playground.chat.models import Conversation, ReplyState, Turn, TurnAttachment
from playground.compare.models import Comparison, Pane
from playground.decks.models import Deck, Step
from playground.embeddings.models import EmbeddingRun
from playground.images.models import GeneratedImage
from playground.media.models import Attachment
from playground.sharing.models import ShareLink
from playground.video.models import VideoJob, VideoJobStatus

# Files of a shared conversation, read through its link.
SHARED_FILES = {"file", "thumbnail"}


@dataclass
class Owned:
    conversation: Conversation
    turn: Turn
    comparison: Comparison
    attachment: Attachment
    image: GeneratedImage
    video: VideoJob
    batch: BatchJob
    embedding: EmbeddingRun
    share: ShareLink
    deck: Deck
    step: Step

    def kwargs(self, route: str) -> dict[str, Any] | None:
        """The URL parameters that name this person's object on `route`; None: no object."""
        namespace, _, name = route.partition(":")
        by_namespace = {
            "chat": {"pk": self.turn.pk if name == "turn_code" else self.conversation.pk},
            "compare": {"pk": self.comparison.pk, "number": 1, "fmt": "json"},
            "media": {"pk": self.attachment.pk},
            "images": {"pk": self.image.pk},
            "video": {"pk": self.video.pk},
            "batches": {"job_id": self.batch.pk},
            "embeddings": {"run_id": self.embedding.pk},
            "decks": {"pk": self.deck.pk, "step": self.step.pk, "token": self.deck.share_token},
            "sharing": {"token": self.share.token, "fmt": "csv",
                        "pk": self.attachment.pk if name in SHARED_FILES else self.share.pk},
        }  # fmt: skip
        return by_namespace.get(namespace)


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, "PNG")
    return out.getvalue()


def _chat(user: Any) -> tuple[Conversation, Turn]:
    conversation = Conversation.objects.create(user=user, title="Private plans")
    prompt = Turn.objects.create(conversation=conversation, role="user", content="My private plans")
    turn = Turn.objects.create(
        conversation=conversation, parent=prompt, role="assistant", content="Plans.",
        state=ReplyState.DONE,
        run_spec={"provider": "emulator", "model": "gemini-2.5-flash",
                  "messages": [{"role": "user", "content": "My private plans"}]},
        candidates=[{"answer": "Plans.", "html": "<p>Plans.</p>", "thoughts": ""}],
    )  # fmt: skip
    return conversation, turn


def _comparison(user: Any) -> Comparison:
    comparison = Comparison.objects.create(user=user, prompt="Private question", wall_ms=10)
    for position, answer in enumerate(["One answer", "Another answer"]):
        Pane.objects.create(comparison=comparison, position=position, label=f"pane {position}",
                            settings={"model": "gemini-2.5-flash"}, state=ReplyState.DONE,
                            answer=answer, answer_html=f"<p>{answer}</p>",
                            run_spec={"model": "gemini-2.5-flash"})  # fmt: skip
    return comparison


def _video(user: Any) -> VideoJob:
    job = VideoJob.objects.create(
        user=user, provider="emulator", model="veo-3.1-generate-preview", prompt="Private film",
        request={"provider": "emulator", "model": "veo-3.1-generate-preview",
                 "prompt": "Private film"},
        upstream_id="videos/private", status=VideoJobStatus.COMPLETED, progress=100,
        mime_type="video/mp4", size_bytes=4, finished_at=timezone.now(),
    )  # fmt: skip
    job.file.save("film.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))
    return job


def _batch(user: Any) -> BatchJob:
    line = ('{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", '
            '"body": {"model": "gemini-2.5-flash", "messages": []}}')  # fmt: skip
    return BatchJob.objects.create(
        user=user, provider_name="emulator", base_url="http://127.0.0.1:1/",
        display_name="Private batch", endpoint="/v1/chat/completions", input_jsonl=line,
        request_count=1, status=BatchStatus.COMPLETED, output_jsonl=line,
        results_fetched_at=timezone.now(), finished_at=timezone.now(),
    )  # fmt: skip


def owned_by(user: Any, client: Client) -> Owned:
    """`client` is signed in as `user`; uploads, images and embeddings go through the pages."""
    upload = ContentFile(png(), name="private.png")
    assert client.post("/media/upload/", {"file": upload}).status_code in {200, 201, 302}
    made = client.post("/images/", {"model": "gemini-2.5-flash-image", "prompt": "A private cat",
                                    "n": 1, "response_format": "b64_json"})  # fmt: skip
    assert made.status_code in {200, 302}, made.content[:500]
    embedded = client.post("/embeddings/", {"model": "gemini-embedding-001", "dimensions": "",
                                            "texts": "private\nwords"})  # fmt: skip
    assert embedded.status_code == 302, embedded.content[:500]
    conversation, turn = _chat(user)
    attachment = Attachment.objects.get(owner=user)
    TurnAttachment.objects.create(turn=conversation.turns.first(), attachment=attachment)
    comparison = _comparison(user)
    deck = Deck.objects.create(owner=user, title="Private demo", share_token="private-deck-token")
    recording = {"fragments": [["answer", 5, "Plans."]], "end_ms": 9}
    Step.objects.create(deck=deck, kind="chat", prompt="My private plans",
                        settings={"model": "gemini-2.5-flash"}, recording=recording)  # fmt: skip
    return Owned(
        conversation=conversation, turn=turn, comparison=comparison,
        attachment=attachment,
        image=GeneratedImage.objects.get(generation__user=user), video=_video(user),
        batch=_batch(user), embedding=EmbeddingRun.objects.get(user=user),
        share=ShareLink.objects.create(owner=user, conversation=conversation),
        deck=deck, step=deck.steps.get(),
    )  # fmt: skip
