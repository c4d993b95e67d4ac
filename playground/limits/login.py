"""Sign-in attempts are limited twice over, within LIMIT_LOGIN_WINDOW_SECONDS:
- per username from one address: LIMIT_LOGIN_FAILURES attempts;
- per username from anywhere: LIMIT_LOGIN_ACCOUNT_FAILURES attempts (guessing from many
  addresses at once).
Past either, even the right password is refused until the window ends; a success clears both
counts, and a one-time login link still works.

Each attempt is counted before its password is checked, with the cache's atomic `add` + `incr`:
reading a count, checking a slow hash and writing the count back let 40 parallel guesses all
through. Counted in the cache, shared by every worker when REDIS_URL is set.

The address is the connection's (REMOTE_ADDR): behind a proxy every client shares the proxy's,
and the first limit then holds per username, like the second.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache

KEY = "limits:login:{scope}:{digest}"


@dataclass(frozen=True)
class AttemptLimit:
    key: str
    limit: int
    refusal: str


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def login_attempt_limits(*, username: str, address: str) -> list[AttemptLimit]:
    """The limits one attempt counts against (a limit of 0 is switched off)."""
    name = username.strip().lower()
    limits = [
        AttemptLimit(
            KEY.format(scope="address", digest=_digest(name, address)),
            settings.LIMIT_LOGIN_FAILURES,
            "Too many failed sign-in attempts for this username from your address.",
        ),
        AttemptLimit(
            KEY.format(scope="account", digest=_digest(name)),
            settings.LIMIT_LOGIN_ACCOUNT_FAILURES,
            "Too many failed sign-in attempts for this username.",
        ),
    ]
    return [limit for limit in limits if limit.limit]


def login_attempt_count(*, limit: AttemptLimit) -> tuple[int, float]:
    """Count one attempt now; returns the count so far and when the window ends."""
    window = settings.LIMIT_LOGIN_WINDOW_SECONDS
    # `add` only writes a missing key, so the window runs from the first attempt.
    cache.add(f"{limit.key}:until", time.time() + window, timeout=window)
    for _ in range(2):
        cache.add(limit.key, 0, timeout=window)
        try:
            count = cache.incr(limit.key)
            break
        except ValueError:  # the window ended between `add` and `incr`: start a new one
            continue
    else:
        count = 1
    until = cache.get(f"{limit.key}:until") or time.time() + window
    return count, until


def login_attempts_clear(*, limits: list[AttemptLimit]) -> None:
    cache.delete_many([key for limit in limits for key in (limit.key, f"{limit.key}:until")])


def _refusal(limit: AttemptLimit, until: float) -> forms.ValidationError:
    minutes = max(1, math.ceil((until - time.time()) / 60))
    return forms.ValidationError(
        f"{limit.refusal} Try again in {minutes} minute{'s' if minutes != 1 else ''}, or use a "
        "one-time login link.",
        code="throttled",
    )


class LoginThrottle:
    """Mixed into an AuthenticationForm (which is given the request)."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()  # type: ignore[misc]  # nothing is checked: nothing to count
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        limits = login_attempt_limits(username=username, address=address)
        for limit in limits:
            count, until = login_attempt_count(limit=limit)
            if count > limit.limit:
                raise _refusal(limit, until)
        cleaned = super().clean()  # type: ignore[misc]
        login_attempts_clear(limits=limits)
        return cleaned


class ThrottledAuthenticationForm(LoginThrottle, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(LoginThrottle, AdminAuthenticationForm):
    pass
