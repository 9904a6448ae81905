"""The FastAPI app factory every service uses: problem+json errors, request and correlation
ids, bearer-token authentication with roles, and the health endpoints."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Annotated, Any

import orjson
import structlog
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import ForeignTown, InvalidToken, TokenVerifier
from shared.eventstore import CommandContext
from shared.inputs import RefuseNul
from shared.kernel import DomainError, InvalidResidentId, ResidentId
from shared.metrics import install_metrics
from shared.outage import install_outage_handler, readiness
from shared.personal import disclosed
from shared.roles import Principal, Role
from shared.validation import TITLE as INVALID_INPUT
from shared.validation import field_errors

log = structlog.get_logger(__name__)

PROBLEM = "application/problem+json"
ReadyCheck = Callable[[], Awaitable[bool]]


def problem(
    status: int, title: str, detail: str, *, request: Request | None = None, **extra: Any
) -> JSONResponse:
    """An RFC 9457 problem document."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = str(request.url.path)
        body["request_id"] = getattr(request.state, "request_id", None)
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


class RequestIds:
    """ASGI middleware: a request id and a correlation id on every request and log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        request_id = headers.get("x-request-id") or str(uuid.uuid4())
        correlation = headers.get("x-correlation-id") or request_id
        scope.setdefault("state", {})
        scope["state"]["request_id"] = request_id
        scope["state"]["correlation_id"] = correlation

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [
                    (b"x-request-id", request_id.encode()),
                    (b"x-correlation-id", correlation.encode()),
                ]
            await send(message)

        with structlog.contextvars.bound_contextvars(
            request_id=request_id, correlation_id=correlation
        ):
            await self.app(scope, receive, send_with_ids)


class AccessLogged:
    """ASGI middleware: a response that showed people's data unmasked (`shared.personal.
    disclosed`) leaves one row in the service's read-access log, written before the response is
    sent (so that a client that has the answer finds the row). The response is held until then;
    if the row cannot be written, the caller gets a 503 instead: nothing is shown unlogged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        shown = disclosed.begin()
        held: list[Message] = []

        async def send_once_recorded(message: Message) -> None:
            if message["type"] not in ("http.response.start", "http.response.body"):
                await send(message)
                return
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                if await self._record(scope, shown):
                    for part in held:
                        await send(part)
                else:
                    await self._unavailable(scope, send)
                held.clear()

        await self.app(scope, receive, send_once_recorded)

    @staticmethod
    async def _record(scope: Scope, shown: disclosed.Shown) -> bool:
        """Write the response's row if it showed anything unmasked; False if it could not."""
        principal = scope.get("state", {}).get("principal")
        runtime = getattr(scope["app"].state, "runtime", None)
        if shown.count == 0 or principal is None or runtime is None:
            return True
        query = scope.get("query_string", b"").decode("latin-1")
        endpoint = f"{scope['method']} {scope['path']}" + (f"?{query}" if query else "")
        count, persons = shown.count, set(shown.persons)
        shown.count, shown.persons = 0, set()  # once per response
        try:
            async with runtime.engine.begin() as conn:
                await runtime.access_log.record(conn, principal, endpoint, persons, count)
        except Exception:
            log.exception("access_log.unrecorded", endpoint=endpoint, user_id=principal.user_id)
            return False
        return True

    @staticmethod
    async def _unavailable(scope: Scope, send: Send) -> None:
        body = orjson.dumps(
            {
                "type": "about:blank",
                "title": "访问记录无法写入 (the access log cannot be written)",
                "status": 503,
                "detail": "个人信息的查看须留有记录，请稍后重试 (retry later)",
                "instance": scope.get("path"),
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [(b"content-type", PROBLEM.encode()), (b"retry-after", b"5")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _validation_detail(
    exc: RequestValidationError, request: Request | None = None
) -> list[dict[str, Any]]:
    """Each field error in Chinese, naming the field by its label (`shared.validation`)."""
    return field_errors(exc.errors(), request)


def install_problem_handlers(app: FastAPI) -> None:
    """Every error leaves as problem+json; a crash never shows a stack trace."""
    install_outage_handler(app, problem)  # an unreachable database or broker: 503

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return problem(exc.status, exc.title, str(exc), request=request)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_detail(exc, request)
        summary = "；".join(e["message"] for e in errors)
        return problem(422, INVALID_INPUT, summary, request=request, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem(
            exc.status_code,
            _TITLES.get(exc.status_code, "错误 (error)"),
            _DETAILS.get((exc.status_code, str(exc.detail)), str(exc.detail)),
            request=request,
        )
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("http.unhandled_error", path=str(request.url.path))
        return problem(
            500,
            "服务器内部错误 (internal error)",
            "请求未能完成，未写入任何数据 (the request failed; nothing was stored)",
            request=request,
        )


_TITLES = {
    400: "请求错误 (bad request)",
    401: "未认证 (unauthenticated)",
    403: "无权限 (forbidden)",
    404: "未找到 (not found)",
    405: "方法不允许 (method not allowed)",
    409: "冲突 (conflict)",
    413: "请求过大 (payload too large)",
    415: "不支持的类型 (unsupported media type)",
    422: INVALID_INPUT,
}

#: Starlette's own English details, in Chinese first.
_DETAILS = {
    (404, "Not Found"): "没有这个地址 (not found)",
    (405, "Method Not Allowed"): "此地址不接受这种请求方法 (method not allowed)",
}


class Authenticator:
    """Checks bearer tokens with the service's verifier (the issuer's public key, the service's
    name as the audience, the revocation list, the town it serves); the dependency behind
    `require`."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier

    def principal(self, request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise StarletteHTTPException(
                401,
                "需要 Bearer 令牌 (a bearer token is required)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        try:
            return self.verifier.verify(token.strip())
        except ForeignTown as exc:  # a known caller of another town: forbidden, not unknown
            raise StarletteHTTPException(403, str(exc)) from exc
        except InvalidToken as exc:
            raise StarletteHTTPException(
                401, str(exc), headers={"WWW-Authenticate": "Bearer"}
            ) from exc


def current_principal(request: Request) -> Principal:
    """The caller, authenticated by the app's `Authenticator`."""
    authenticator: Authenticator = request.app.state.authenticator
    principal = authenticator.principal(request)
    structlog.contextvars.bind_contextvars(user_id=principal.user_id, role=principal.role.value)
    request.state.principal = principal  # for the read-access log (`AccessLogged`)
    return principal


def require(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that admits only the given roles (403 otherwise)."""
    allowed = set(roles)

    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise StarletteHTTPException(
                403, f"角色 {principal.role.value} 无权执行此操作 (allowed: {names})"
            )
        return principal

    return check


def command_context(request: Request, principal: Principal, town: str) -> CommandContext:
    """The event metadata for a command issued over HTTP by `principal`."""
    correlation = request.state.correlation_id
    try:
        correlation_id = uuid.UUID(correlation)
    except ValueError:
        correlation_id = uuid.uuid5(uuid.NAMESPACE_URL, correlation)
    return CommandContext(actor=principal.actor, town=town, correlation_id=correlation_id)


def resident_id_number(value: str) -> str:
    """A request body's resident ID number (居民身份证号), normalised; for pydantic's
    `AfterValidator`: a number GB 11643 does not accept is a 422 naming the field and why."""
    try:
        return ResidentId(value).value
    except InvalidResidentId as exc:
        raise ValueError(str(exc)) from None


def create_app(
    *,
    title: str,
    verifier: TokenVerifier,
    routers: Sequence[APIRouter] = (),
    ready_checks: dict[str, ReadyCheck] | None = None,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
    version: str = "1.0.0",
) -> FastAPI:
    """A service's FastAPI app with the shared conventions in place."""
    app = FastAPI(title=title, version=version, lifespan=lifespan)
    app.state.authenticator = Authenticator(verifier)
    app.add_middleware(AccessLogged)
    app.add_middleware(RefuseNul)  # inside RequestIds: its answers carry the ids too
    app.add_middleware(RequestIds)
    install_metrics(app)  # GET /metrics, public (counts only, no personal data); times requests
    install_problem_handlers(app)
    checks = ready_checks or {}

    @app.get("/health/live", tags=["health"], summary="存活检查 (liveness)")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/health/ready", tags=["health"], response_model=None, summary="就绪检查 (readiness)")
    async def ready() -> dict[str, Any] | JSONResponse:
        return await readiness(checks)

    for router in routers:
        app.include_router(router)
    return app
