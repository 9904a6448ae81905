"""Towns as tenants (多镇租户): one service process serves several towns, each town its own app.

A tenant is a town the service serves (`Settings.served_towns`, from `LIANXIN_TOWNS`). Each
gets the service's app built as it is for one town (`tenant_settings`): its own schema (the
service's schema for the default town, as before; `<schema>_<town>` for the others: a store
split by region without changing the domain), its own runtime (event store, outbox relay,
consumers that apply only the town's envelopes), pipeline (the town's reference data) and
readers. The town's verifier refuses tokens of other towns (`shared.auth.ForeignTown`).

`Tenants`, in front, is a thin ASGI dispatcher:
- a request with a valid bearer token goes to the app of the token's town; a town this service
  does not serve, or a request naming another town (`X-Lianxin-Town` header or `town` query
  parameter) than its token's, is a 403 problem (无权访问该镇的数据);
- a request without a valid token (health, readiness, metrics, OpenAPI; and a 401 to come) goes
  to the default town's app;
- its lifespan runs every town's lifespan (all started before it is ready, stopped in reverse).

Every town publishes to the service's one topic (`<service>.events`); the envelope's `town` says
whose an event is. A read of another town's entity by id is simply not found (404): the caller's
tenant does not hold it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from urllib.parse import parse_qs

import orjson
import structlog
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from shared.auth import InvalidToken, TokenVerifier, principal_of, token_verifier
from shared.db import checked_schema
from shared.settings import Settings

log = structlog.get_logger(__name__)

#: The header naming the tenant explicitly (optional; it must be the token's town).
TOWN_HEADER = b"x-lianxin-town"


def tenant_settings(settings: Settings, service: str, town: str) -> Settings:
    """The settings of one town's app: the default town keeps the service's schema; another
    town gets `<schema>_<town>`."""
    base = settings.db_schema or service
    schema = base if town == settings.default_town else checked_schema(f"{base}_{town}")
    return settings.model_copy(update={"town_code": town, "db_schema": schema})


class Tenants:
    """The ASGI app in front of the towns' apps (see the module's docstring)."""

    def __init__(self, apps: Mapping[str, FastAPI], default: str, verifier: TokenVerifier):
        if default not in apps:
            raise ValueError(f"the default town {default} has no app")
        self.apps = dict(apps)
        self.default = default
        self.verifier = verifier

    @property
    def towns(self) -> tuple[str, ...]:
        return tuple(self.apps)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            await self.apps[self.default](scope, receive, send)
            return
        town, refusal = self._town_of(scope)
        if refusal:
            await _forbidden(scope, send, refusal)
            return
        await self.apps[town or self.default](scope, receive, send)

    def _town_of(self, scope: Scope) -> tuple[str | None, str]:
        """The town whose app answers (None: the default's) or why the request is refused."""
        authorizations = [v for k, v in scope.get("headers", []) if k.lower() == b"authorization"]
        if len(authorizations) > 1:  # the app would check another one than this dispatcher
            return None, "请求只能携带一个 Authorization 头 (one Authorization header only)"
        headers = dict((k.lower(), v) for k, v in scope.get("headers", []))
        scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None, ""
        try:
            # the audience, signature, expiry and revocation as the town's app checks them
            town = principal_of(self.verifier.claims(token.strip())).town
        except (InvalidToken, ValueError, KeyError):
            return None, ""  # the default town's app answers 401 with the reason
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        named = {v.decode("latin-1").strip() for v in [headers.get(TOWN_HEADER, b"")] if v}
        named |= {v.strip() for v in query.get("town", []) if v.strip()}
        if named - {town}:
            return None, (
                f"无权访问该镇的数据：请求指定的镇 {'、'.join(sorted(named - {town}))}"
                f" 不是令牌所属的镇 {town} (the request names another town than its token's)"
            )
        if town not in self.apps:
            return None, (
                f"无权访问该镇的数据：本服务不服务 {town}（服务 {'、'.join(self.towns)}）"
                f" (this service does not serve town {town})"
            )
        return town, ""

    @contextlib.asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        """Every town's lifespan: all started, then stopped in reverse order."""
        async with contextlib.AsyncExitStack() as stack:
            for town, app in self.apps.items():
                await stack.enter_async_context(app.router.lifespan_context(app))
                log.info("tenants.started", town=town)
            yield

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup
        running = self.lifespan()
        try:
            await running.__aenter__()
        except BaseException as exc:
            log.exception("tenants.start_failed")
            await send({"type": "lifespan.startup.failed", "message": repr(exc)})
            raise
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        try:
            await running.__aexit__(None, None, None)
        except Exception as exc:
            log.exception("tenants.stop_failed")
            await send({"type": "lifespan.shutdown.failed", "message": repr(exc)})
            return
        await send({"type": "lifespan.shutdown.complete"})


async def _forbidden(scope: Scope, send: Send, detail: str) -> None:
    body = orjson.dumps(
        {
            "type": "about:blank",
            "title": "无权限 (forbidden)",
            "status": 403,
            "detail": detail,
            "instance": scope.get("path"),
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"application/problem+json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def tenant_app(
    build_app: Callable[[Settings], FastAPI], settings: Settings, *, service: str
) -> Tenants:
    """The service's app for every town it serves (`settings.served_towns`), each built by
    `build_app` with its town's settings, behind one dispatcher."""
    apps = {
        town: build_app(tenant_settings(settings, service, town)) for town in settings.served_towns
    }
    # the dispatcher reads the token's town (`claims`); each town's app checks it again
    return Tenants(apps, settings.default_town, token_verifier(settings, service))
