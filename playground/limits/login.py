"""Sign-in attempts are limited: after LIMIT_LOGIN_FAILURES failed attempts for one username
from one address within LIMIT_LOGIN_WINDOW_SECONDS, that pair is refused until the window ends
(a success clears the count). Counted in the cache, shared by every worker when REDIS_URL is set.

The address is the connection's (REMOTE_ADDR): behind a proxy every client shares the proxy's,
and the limit then holds per username.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache

KEY = "limits:login:{digest}"


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\n{address}".encode()).hexdigest()
    return KEY.format(digest=digest)


class LoginThrottle:
    """Mixed into an AuthenticationForm (which is given the request)."""

    request: Any
    cleaned_data: dict[str, Any]

    def _throttle_key(self) -> str:
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return _key(str(self.cleaned_data.get("username") or ""), address)

    def clean(self) -> dict[str, Any]:
        limit = settings.LIMIT_LOGIN_FAILURES
        key = self._throttle_key()
        failures = cache.get(key) or {"count": 0, "until": 0.0}
        if limit and failures["count"] >= limit:
            minutes = max(1, math.ceil((failures["until"] - time.time()) / 60))
            raise forms.ValidationError(
                f"Too many failed sign-in attempts for this username from your address. "
                f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, or use a "
                "one-time login link.",
                code="throttled",
            )
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            window = settings.LIMIT_LOGIN_WINDOW_SECONDS
            failures = {"count": failures["count"] + 1, "until": time.time() + window}
            cache.set(key, failures, timeout=window)
            raise
        cache.delete(key)
        return cleaned


class ThrottledAuthenticationForm(LoginThrottle, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(LoginThrottle, AdminAuthenticationForm):
    pass
