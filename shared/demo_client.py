"""What every demo loader (`python -m <ctx>.demo`) shares: the demo users' signed tokens, and
reading the service's answers, where a 409 to a create means "already there" (a repeated
run is idempotent). Works with httpx's sync and async clients alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from shared.auth import issue_token, load_secret
from shared.demo_users import demo_user
from shared.settings import Settings

#: The answers that mean "done" to a POST: created or changed.
DONE = (200, 201)


class DemoError(RuntimeError):
    """The service answered something the demo did not expect."""


def demo_secret(settings: Settings | None = None) -> str:
    """The token secret the local services verify with (made on first use)."""
    settings = settings or Settings()
    return load_secret(settings.token_secret, settings.token_secret_file, create=True)


def demo_headers(secret: str, users: Iterable[str]) -> dict[str, dict[str, str]]:
    """An Authorization header per demo user id (`shared.demo_users`), signed with `secret`."""
    return {
        user: {"Authorization": f"Bearer {issue_token(secret, demo_user(user))}"} for user in users
    }


def answer(response: httpx.Response, *expected: int) -> Any:
    """The JSON body of an expected answer (default: 200 or 201); otherwise `DemoError`
    naming the request and the service's problem."""
    _check(response, expected or DONE)
    return response.json()


def written(response: httpx.Response, *expected: int) -> bool:
    """True if the request wrote (an expected status, default 200 or 201), False if what it
    creates was there already (409); otherwise `DemoError`."""
    if response.status_code == 409:
        return False
    _check(response, expected or DONE)
    return True


def _check(response: httpx.Response, expected: tuple[int, ...]) -> None:
    if response.status_code not in expected:
        request = response.request
        raise DemoError(
            f"{request.method} {request.url.path} → {response.status_code}: {response.text}"
        )
