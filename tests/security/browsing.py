"""A signed-in visitor of a served playground over plain HTTP, keeping everything it was sent."""

from __future__ import annotations

from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from tests.servers import ServedPlayground


class Visitor:
    def __init__(
        self, server: ServedPlayground, login_link: str | None = None, jar: CookieJar | None = None
    ):
        self.server = server
        # Cookies are kept per host, not per port: a jar can be shared by two local servers.
        self.jar = jar if jar is not None else CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar))
        self.seen: list[str] = []  # every status line, header and body received
        if login_link:
            self.get(login_link)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def _open(self, request: Request) -> tuple[int, str]:
        try:
            response = self.opener.open(request, timeout=60)
        except HTTPError as error:
            response = error
        body = response.read().decode(errors="replace")
        self.seen += [f"{response.status} {response.url}", str(response.headers), body]
        return response.status, body

    def get(self, path: str) -> tuple[int, str]:
        url = path if path.startswith("http") else self.server.base_url + path
        return self._open(Request(url))

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        headers = {"X-CSRFToken": self._csrf(), "Content-Type": "application/x-www-form-urlencoded"}
        request = Request(self.server.base_url + path, data=urlencode(fields).encode(),
                          headers=headers, method="POST")  # fmt: skip
        return self._open(request)
