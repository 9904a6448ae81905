"""What only a token holding the whole area may read on a county's projection: the read-access
log (it names every town's readers and people), store verification, replay reports and 推演.
A town's token there sees its own town's views only (`domain.access.town_scope`); these pages
are not split by town, so they answer it 403. On a town's projection they are as they were.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from shared.auth import ForeignTown, InvalidToken, TokenVerifier
from shared.web import PROBLEM

#: Paths of the area-wide pages and endpoints (prefixes).
AREA_WIDE = (
    "/api/v1/access-log",
    "/dashboard/access-log",
    "/api/v1/integrity",
    "/dashboard/integrity",
    "/api/v1/replays",
    "/api/v1/whatif",
    "/dashboard/whatif",
)


class AreaWide:
    """ASGI middleware (inside the cookie-to-bearer one): on a county's projection, a request
    for an area-wide path with a token that does not hold the county is refused (403)."""

    def __init__(self, app: ASGIApp, *, area: str, verifier: TokenVerifier) -> None:
        self.app = app
        self.area = area
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(AREA_WIDE):
            held = self._held(scope)
            if held is not None and not self.area.startswith(held):
                await _forbidden(send, held, self.area)
                return
        await self.app(scope, receive, send)

    def _held(self, scope: Scope) -> str | None:
        """The area the request's token holds (None: no valid token; the route answers 401)."""
        for key, value in scope.get("headers", []):
            if key.lower() == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() != "bearer" or not token.strip():
                    return None
                try:
                    return self.verifier.verify(token.strip()).town
                except (InvalidToken, ForeignTown):  # the route answers 401 / 403
                    return None
        return None


async def _forbidden(send: Send, held: str, area: str) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
            "detail": (
                f"该页面覆盖全县，仅限县级账号 (this page covers all of {area};"
                f" the token holds {held} only)"
            ),
        },
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", PROBLEM.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
