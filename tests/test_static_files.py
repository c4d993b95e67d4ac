from __future__ import annotations

from django.test import Client


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
