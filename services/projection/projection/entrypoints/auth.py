"""Authentication for the dashboard: the bearer token may also come from an httponly cookie.

The JSON API accepts `Authorization: Bearer <token>` or the `lianxin_token` cookie the login
page sets; the middleware below turns the cookie into the header, so the shared
`require(...)`/`current_principal` checks apply unchanged. Pages redirect to the login page
instead of answering 401.
"""

from __future__ import annotations

from fastapi import Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.auth import Principal
from shared.web import current_principal

COOKIE = "lianxin_token"


class CookieBearer:
    """ASGI middleware: a request without an Authorization header but with the token cookie
    gets `Authorization: Bearer <cookie>`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = list(scope.get("headers", []))
            if not any(k.lower() == b"authorization" for k, _ in headers):
                token = _cookie(headers, COOKIE)
                if token:
                    scope = dict(scope)
                    scope["headers"] = [*headers, (b"authorization", b"Bearer " + token.encode())]
        await self.app(scope, receive, send)


def _cookie(headers: list[tuple[bytes, bytes]], name: str) -> str:
    for key, value in headers:
        if key.lower() != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            k, _, v = part.strip().partition("=")
            if k == name and v:
                return v.strip('"')
    return ""


def page_principal(request: Request) -> Principal | None:
    """The signed-in user of a page, or None (the page then redirects to the login page)."""
    try:
        return current_principal(request)
    except StarletteHTTPException:
        return None
