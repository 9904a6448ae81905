"""Authentication for the dashboard: the bearer token may also come from an httponly cookie,
and a signed-in dashboard session keeps its short-lived token fresh.

The JSON API accepts `Authorization: Bearer <token>` or the `lianxin_token` cookie the login
page sets; the middleware below turns the cookie into the header, so the shared
`require(...)`/`current_principal` checks apply unchanged. Pages redirect to the login page
instead of answering 401.

Access tokens live minutes (`LIANXIN_TOKEN_MINUTES`, 15 by default). The demo login (a
development mode, `LIANXIN_DEMO_LOGIN=1`, in which the projection is an issuer and reads the
private key) also sets a session cookie, `lianxin_session`: a token for no service
(audience `projection-session`) that lives the session (12 hours). When the access token is
missing, invalid or in its last third, the middleware mints a new one from the session (same
user, `sid` = the session's id) and sends it back as the new cookie, so pages and the API keep
working past a token's expiry. Revoking the session's id ends it and every token it minted.
A token pasted on the login page (no issuer in the projection) lives as long as it was issued for.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from fastapi import Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import (
    SERVICES,
    SESSION_AUDIENCE,
    InvalidToken,
    TokenIssuer,
    TokenVerifier,
    principal_of,
)
from shared.roles import Principal
from shared.web import current_principal

COOKIE = "lianxin_token"
SESSION_COOKIE = "lianxin_session"
SESSION_TTL = dt.timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class Sessions:
    """Mints the dashboard's access tokens from its session tokens (demo login only)."""

    issuer: TokenIssuer
    access: TokenVerifier
    sessions: TokenVerifier
    ttl: dt.timedelta
    secure: bool = False

    @classmethod
    def of(
        cls, issuer: TokenIssuer, access: TokenVerifier, ttl: dt.timedelta, *, secure: bool
    ) -> Sessions:
        return cls(issuer, access, access.with_audience(SESSION_AUDIENCE), ttl, secure)

    def start(self, user: Principal) -> tuple[str, str]:
        """A new session for `user`: (access token, session token)."""
        session = self.issuer.issue_session(user, ttl=SESSION_TTL)
        return self.mint(session, user), session

    def mint(self, session: str, user: Principal) -> str:
        sid = str(self.sessions.claims(session)["jti"])
        return self.issuer.issue(user, audience=SERVICES, ttl=self.ttl, session=sid)

    def stale(self, token: str) -> bool:
        """The access token is missing, invalid or in the last third of its life."""
        if not token:
            return True
        try:
            claims = self.access.claims(token)
        except InvalidToken:
            return True
        left = float(claims["exp"]) - time.time()
        return left < self.ttl.total_seconds() / 3

    def refreshed(self, session: str) -> str:
        """A fresh access token from a valid session ("" when the session is not valid)."""
        try:
            claims = self.sessions.claims(session)
            return self.mint(session, principal_of(claims))
        except (InvalidToken, ValueError):
            return ""

    def cookie(self, token: str) -> bytes:
        """The Set-Cookie value of a refreshed access token (as the login page sets it)."""
        max_age = int(SESSION_TTL.total_seconds())
        value = f"{COOKIE}={token}; HttpOnly; Max-Age={max_age}; Path=/; SameSite=lax"
        return (value + ("; Secure" if self.secure else "")).encode("latin-1")


class CookieBearer:
    """ASGI middleware: a request without an Authorization header but with the token cookie
    gets `Authorization: Bearer <cookie>`; with `sessions`, a stale token is first replaced by
    a fresh one minted from the session cookie (and sent back as the new token cookie)."""

    def __init__(self, app: ASGIApp, sessions: Sessions | None = None) -> None:
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = list(scope.get("headers", []))
        if any(k.lower() == b"authorization" for k, _ in headers):
            await self.app(scope, receive, send)
            return
        token = _cookie(headers, COOKIE)
        refreshed = ""
        if self.sessions is not None:
            session = _cookie(headers, SESSION_COOKIE)
            if session and self.sessions.stale(token):
                refreshed = self.sessions.refreshed(session)
                token = refreshed or token
        if token:
            scope = dict(scope)
            scope["headers"] = [*headers, (b"authorization", b"Bearer " + token.encode())]
        if not refreshed or self.sessions is None:
            await self.app(scope, receive, send)
            return
        set_cookie = self.sessions.cookie(refreshed)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = [v for k, v in message.get("headers", []) if k.lower() == b"set-cookie"]
                # a response that sets the token itself (login, logout) has the last word
                if not any(v.startswith(COOKIE.encode() + b"=") for v in names):
                    message = dict(message)
                    message["headers"] = [*message.get("headers", []), (b"set-cookie", set_cookie)]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


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
