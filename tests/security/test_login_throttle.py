"""Sign-in attempts are limited per username and address, with a message that says so."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
THROTTLED = "Too many failed sign-in attempts"


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada", password="correct horse battery")


def attempt(password: str, *, username: str = "ada", address: str = "10.0.0.1", path=LOGIN):
    return Client().post(path, {"username": username, "password": password},
                         REMOTE_ADDR=address)  # fmt: skip


def fail(times: int, **where: str) -> None:
    for _ in range(times):
        response = attempt("wrong", **where)
        assert response.status_code == 200 and THROTTLED not in response.content.decode()


def test_it_refuses_even_the_right_password_after_too_many_failures(ada, settings) -> None:
    settings.LIMIT_LOGIN_FAILURES = 5
    fail(5)

    refused = attempt("correct horse battery")

    page = refused.content.decode()
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
    assert THROTTLED in page and "Try again in 15 minutes" in page and 'role="alert"' in page


def test_other_addresses_and_other_usernames_are_not_held_back(ada, settings) -> None:
    settings.LIMIT_LOGIN_FAILURES = 3
    fail(3)

    assert attempt("correct horse battery", address="10.0.0.2").status_code == 302
    assert THROTTLED not in attempt("wrong", username="bob").content.decode()


def test_a_success_clears_the_count(ada, settings) -> None:
    settings.LIMIT_LOGIN_FAILURES = 3
    fail(2)
    assert attempt("correct horse battery").status_code == 302

    fail(2)
    assert attempt("correct horse battery").status_code == 302


def test_the_admin_sign_in_is_limited_too(django_user_model, settings) -> None:
    settings.LIMIT_LOGIN_FAILURES = 2
    django_user_model.objects.create_superuser("root", password="correct horse battery")
    for _ in range(2):
        attempt("wrong", username="root", path="/admin/login/")

    refused = attempt("correct horse battery", username="root", path="/admin/login/")

    assert refused.status_code == 200 and THROTTLED in refused.content.decode()


def test_the_limits_can_be_switched_off(ada, settings) -> None:
    settings.LIMIT_LOGIN_FAILURES = 0
    settings.LIMIT_LOGIN_ACCOUNT_FAILURES = 0
    fail(20)

    assert attempt("correct horse battery").status_code == 302
