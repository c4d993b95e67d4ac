"""Sign-in attempts are counted before the password is checked, atomically: parallel wrong
passwords cannot slip past the limit while the slow hash runs, from one address or from many
addresses against one account."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/accounts/login/"
THROTTLED = "Too many failed sign-in attempts"
PASSWORD = "correct horse battery"
PARALLEL = 24


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada", password=PASSWORD)


@pytest.fixture
def checked_passwords(monkeypatch) -> Iterator[list[str]]:
    """Every password the backend checked; each check as slow as a real hash."""
    checked: list[str] = []
    lock = threading.Lock()
    authenticate = ModelBackend.authenticate

    def slow_authenticate(self, request, username=None, password=None, **kwargs):
        with lock:
            checked.append(password)
        time.sleep(0.3)
        return authenticate(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", slow_authenticate)
    yield checked


def attempt(password: str, *, address: str, username: str = "ada") -> str:
    response = Client().post(LOGIN, {"username": username, "password": password},
                             REMOTE_ADDR=address)  # fmt: skip
    return response.content.decode()


def in_parallel(addresses: list[str]) -> list[str]:
    """One wrong password per address, all sent at once; the pages they got back."""
    pages: list[str] = [""] * len(addresses)
    start = threading.Barrier(len(addresses))

    def one(index: int) -> None:
        try:
            start.wait()
            pages[index] = attempt("wrong", address=addresses[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(addresses))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return pages


def test_parallel_attempts_from_one_address_check_at_most_the_limit(
    ada, checked_passwords, settings
) -> None:
    settings.LIMIT_LOGIN_FAILURES = 5

    pages = in_parallel(["10.0.0.1"] * PARALLEL)

    assert len(checked_passwords) <= 5
    assert sum(THROTTLED in page for page in pages) >= PARALLEL - 5
    assert all(page for page in pages), "every attempt got an answer"


def test_parallel_attempts_from_many_addresses_check_at_most_the_account_limit(
    ada, checked_passwords, settings
) -> None:
    settings.LIMIT_LOGIN_FAILURES = 5
    settings.LIMIT_LOGIN_ACCOUNT_FAILURES = 8

    pages = in_parallel([f"10.0.1.{n}" for n in range(PARALLEL)])

    assert len(checked_passwords) <= 8
    assert sum(THROTTLED in page for page in pages) >= PARALLEL - 8


def test_the_account_limit_holds_the_right_password_from_a_fresh_address(ada, settings) -> None:
    settings.LIMIT_LOGIN_FAILURES = 5
    settings.LIMIT_LOGIN_ACCOUNT_FAILURES = 4
    for n in range(4):
        assert THROTTLED not in attempt("wrong", address=f"10.0.2.{n}")

    page = attempt(PASSWORD, address="10.0.3.1")

    assert THROTTLED in page and "Try again in 15 minutes" in page
    assert "one-time login link" in page
    assert THROTTLED not in attempt("wrong", address="10.0.3.1", username="bob"), (
        "other accounts are not held back"
    )


def test_a_success_clears_the_account_count(ada, settings) -> None:
    settings.LIMIT_LOGIN_ACCOUNT_FAILURES = 3
    for n in range(2):
        attempt("wrong", address=f"10.0.4.{n}")
    assert Client().post(LOGIN, {"username": "ada", "password": PASSWORD},
                         REMOTE_ADDR="10.0.4.9").status_code == 302  # fmt: skip

    for n in range(2):
        assert THROTTLED not in attempt("wrong", address=f"10.0.5.{n}")
