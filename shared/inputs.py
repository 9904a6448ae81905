"""Input no service can store: the NUL character (U+0000). PostgreSQL's text and jsonb refuse it,
so a NUL in a path, a query parameter or a JSON body would reach the database only to fail
there as a server error. `RefuseNul` answers such a request with a 422 problem+json before any
route runs (found by `make fuzz`)."""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: A NUL as it travels: percent-encoded in a URL, escaped in JSON (a raw NUL is not valid JSON).
_URL_NUL = re.compile(rb"%00")
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
#: Bodies larger than this are not searched (uploads are files, checked by their own parsers).
MAX_SCANNED_BODY = 8 * 1024 * 1024

PROBLEM = {
    "type": "about:blank",
    "title": "请求含有不允许的字符 (invalid character in request)",
    "status": 422,
    "detail": "请求中含有空字符 (NUL, U+0000)，无法保存；请删除后重试 "
    "(the request contains the NUL character, which cannot be stored)",
}


class RefuseNul:
    """ASGI middleware: a request with a NUL in its path, query or JSON body gets a 422."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope.get("path", "").encode()
        if (
            "\x00" in scope.get("path", "")
            or _URL_NUL.search(raw_path)
            or _URL_NUL.search(scope.get("query_string", b""))
        ):
            await _refuse(scope, send)
            return
        if not _is_json(scope):
            await self.app(scope, receive, send)
            return
        body, messages = b"", []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body") or len(body) > MAX_SCANNED_BODY:
                break
        if len(body) <= MAX_SCANNED_BODY and _JSON_NUL.search(body):
            await _refuse(scope, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return b"json" in value.lower()
    return False


async def _refuse(scope: Scope, send: Send) -> None:
    request_id = scope.get("state", {}).get("request_id")
    shown = PROBLEM | {"instance": scope.get("path", ""), "request_id": request_id}
    body = json.dumps(shown, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
