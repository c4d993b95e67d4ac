"""Attachments are served, listed and deleted for their owner only; others get 404."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from PIL import Image

from playground.media.models import Attachment
from playground.media.selectors import attachment_for_viewer, attachments_owned
from tests.media import files


@pytest.fixture
def picture(post_file) -> Attachment:
    post_file("Beach photo.tiff", files.picture((80, 40), image_format="TIFF"), "image/tiff")
    return Attachment.objects.get(original_name="Beach photo.tiff")


@pytest.fixture
def recording(post_file) -> Attachment:
    post_file("memo.wav", files.wav(0.5, rate=8000), "audio/wav")
    return Attachment.objects.get(original_name="memo.wav")


def test_the_owner_gets_the_stored_bytes_with_their_type(alice_client, picture):
    response = alice_client.get(f"/media/{picture.pk}/file/")

    data = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert hashlib.sha256(data).hexdigest() == picture.sha256
    # Named as uploaded, with the extension of what is stored.
    assert 'filename="Beach photo.png"' in response["Content-Disposition"]
    assert response["Cache-Control"].startswith("private")
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_owner_gets_a_webp_thumbnail(alice_client, picture):
    response = alice_client.get(f"/media/{picture.pk}/thumbnail/")

    thumbnail = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert response["Content-Type"] == "image/webp"
    assert thumbnail.format == "WEBP" and max(thumbnail.size) <= 320


def test_audio_has_no_thumbnail_but_plays(alice_client, recording):
    assert alice_client.get(f"/media/{recording.pk}/thumbnail/").status_code == 404
    response = alice_client.get(f"/media/{recording.pk}/file/")
    assert response["Content-Type"] == "audio/wav"


@pytest.mark.parametrize("path", ["file/", "thumbnail/", "delete/"])
def test_someone_else_gets_404_for_every_attachment_page(bob_client, picture, path):
    assert bob_client.get(f"/media/{picture.pk}/{path}").status_code == 404


def test_someone_else_cannot_delete_it(bob_client, picture):
    response = bob_client.post(f"/media/{picture.pk}/delete/", headers={"HX-Request": "true"})

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=picture.pk).exists()


def test_the_list_shows_only_ones_own_attachments(alice_client, bob_client, picture, recording):
    own = alice_client.get("/media/").content.decode()
    other = bob_client.get("/media/").content.decode()

    assert "Beach photo.tiff" in own and "memo.wav" in own
    assert f'preload="metadata" src="/media/{recording.pk}/file/"' in own
    assert "Beach photo.tiff" not in other and "Nothing uploaded yet." in other


def test_a_share_link_can_grant_a_viewer_access(bob, picture):
    allowed = attachment_for_viewer(viewer=bob, attachment_id=picture.pk, grant=lambda a: True)
    refused = attachment_for_viewer(viewer=bob, attachment_id=picture.pk, grant=lambda a: False)
    anonymous = attachment_for_viewer(
        viewer=AnonymousUser(), attachment_id=picture.pk, grant=lambda a: a.pk == picture.pk
    )

    assert allowed == picture and anonymous == picture
    assert refused is None
    assert attachment_for_viewer(viewer=bob, attachment_id=picture.pk) is None
    assert attachment_for_viewer(viewer=bob, attachment_id="not-a-uuid") is None


def test_only_the_senders_attachments_are_found_by_id(alice, bob, picture, recording):
    ids = [recording.pk, "nonsense", picture.pk]

    assert attachments_owned(owner=alice, attachment_ids=ids) == [recording, picture]
    assert attachments_owned(owner=bob, attachment_ids=ids) == []


def test_htmx_delete_removes_the_row_and_its_files(
    alice_client, picture, stored_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(f"/media/{picture.pk}/delete/", headers={"HX-Request": "true"})

    assert response.status_code == 200 and response.content == b""
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_delete_without_javascript_asks_first(
    alice_client, recording, stored_files, django_capture_on_commit_callbacks
):
    page = alice_client.get(f"/media/{recording.pk}/delete/")
    with django_capture_on_commit_callbacks(execute=True):
        done = alice_client.post(f"/media/{recording.pk}/delete/", follow=True)

    assert "Delete “memo.wav”?" in page.content.decode()
    assert done.redirect_chain == [("/media/", 302)]
    assert "Deleted “memo.wav”." in done.content.decode()
    assert stored_files() == []
