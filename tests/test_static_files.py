from __future__ import annotations

import gzip
import os
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from playground.static_bundles import BUNDLES


def test_static_files_are_served_gzipped_to_anyone(client: Client):
    response = client.get("/static/css/playground.css", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert "Last-Modified" in response


def test_an_unchanged_static_file_is_answered_with_304(client: Client):
    first = client.get("/static/js/playground.js")
    again = client.get(
        "/static/js/playground.js", headers={"if-modified-since": first["Last-Modified"]}
    )
    assert again.status_code == 304


def test_static_files_cannot_be_posted_to_nor_escape_their_folders(client: Client):
    assert client.post("/static/css/playground.css").status_code == 405
    assert client.get("/static/../settings.py").status_code == 404
    assert client.get("/static/%2e%2e/playground/settings.py").status_code == 404


def test_text_files_are_compressed_whole_at_the_best_level(client: Client):
    source = (settings.BASE_DIR / "static/css/playground.css").read_bytes()
    response = client.get("/static/css/playground.css", headers={"accept-encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == source
    assert len(response.content) <= len(gzip.compress(source, compresslevel=9))
    plain = client.get("/static/css/playground.css")
    assert plain.content == source and not plain.has_header("Content-Encoding")


def test_the_chat_page_links_its_css_and_js_as_one_file_each(client: Client, django_user_model):
    client.force_login(django_user_model.objects.create_user("alice", password="x" * 12))
    page = client.get("/chat/").content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    scripts = re.findall(r'<script src="(/static/(?:js|bundles)/[^"]+)"', page)
    assert stylesheets == ["/static/bundles/chat.css"]
    assert scripts == ["/static/js/theme.js", "/static/bundles/chat.js"]


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_a_bundle_holds_its_sources_in_order(client: Client, name: str):
    served = client.get(f"/static/bundles/{name}").content.decode()
    places = []
    for source in BUNDLES[name]:
        text = (settings.BASE_DIR / "static" / source).read_text().rstrip()
        assert text in served, f"{source} is in {name}"
        places.append(served.index(text))
    assert places == sorted(places)


def test_a_bundle_follows_a_changed_source(tmp_path, settings, client: Client):
    (tmp_path / "js").mkdir()
    (tmp_path / "css").mkdir()
    for source in BUNDLES["chat.js"]:
        (tmp_path / source).write_text(f"// {source}\n")
    settings.STATICFILES_DIRS = [tmp_path]
    assert "// js/chat.js" in client.get("/static/bundles/chat.js").content.decode()
    changed = tmp_path / "js/chat.js"
    changed.write_text("// changed\n")
    later = changed.stat().st_mtime_ns + 2_000_000_000
    os.utime(changed, ns=(later, later))
    served = client.get("/static/bundles/chat.js").content.decode()
    assert "// changed" in served and "// js/playground.js" in served


def test_collectstatic_writes_the_bundles(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "bundles/chat.css").read_text().startswith("/* css/playground.css */")
