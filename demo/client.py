"""What every demo loader (`python -m <ctx>.demo`) shares: the demo users' signed tokens, and
reading the service's answers, where a 409 to a create means "already there" (a repeated
run is idempotent). Works with httpx's sync and async clients alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import httpx

from demo.users import demo_user
from shared.auth import TokenIssuer, ensure_keys
from shared.settings import Settings

#: The answers that mean "done" to a POST: created or changed.
DONE = (200, 201)


class DemoError(RuntimeError):
    """The service answered something the demo did not expect."""


#: A demo loader's tokens outlive its run (a loader is an issuer's script, not a person's session).
DEMO_TTL = dt.timedelta(hours=1)


def demo_issuer(settings: Settings | None = None) -> TokenIssuer:
    """The issuer of the local services' tokens (a demo loader is an issuer: it reads the
    private key; the key pair is made on first use, for local development)."""
    settings = settings or Settings()
    ensure_keys(settings.token_private_key_file, settings.token_public_key_file)
    return TokenIssuer.from_file(settings.token_private_key_file)


def demo_headers(issuer: TokenIssuer, users: Iterable[str]) -> dict[str, dict[str, str]]:
    """An Authorization header per demo user id (`demo.users`), signed by `issuer`."""
    return {
        user: {"Authorization": f"Bearer {issuer.issue(demo_user(user), ttl=DEMO_TTL)}"}
        for user in users
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
