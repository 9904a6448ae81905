"""The dashboard (领导驾驶舱): server-rendered zh-CN pages with ECharts charts, the demo login,
the audit trail page and the public page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from projection.adapters.area import is_town, load_area, towns_of
from projection.domain.access import (
    WHATIF_RUNNERS,
    sees_full_detail,
    sees_operations,
    verifies_sources,
)
from projection.domain.operations import Level, findings
from projection.domain.timeframe import Window
from projection.entrypoints.api import build_view, load_audit
from projection.entrypoints.auth import (
    COOKIE,
    SESSION_COOKIE,
    SESSION_TTL,
    Sessions,
    page_principal,
)
from projection.entrypoints.export import cell
from projection.entrypoints.params import ViewQuery, checked_village
from projection.entrypoints.system import all_states
from projection.views.audit import ROLE_LABELS
from projection.views.common import Ask
from projection.views.public import public_notices
from projection.views.registry import SPECS, VIEWS
from shared.auth import InvalidToken, TokenVerifier
from shared.business_dates import AsOf
from shared.clock import china_today
from shared.roles import VILLAGE_SCOPED, Principal, Role
from shared.town import load_town

HERE = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["cell"] = lambda value, kind: cell(value, kind)
router = APIRouter(include_in_schema=False)
ROWS_ON_PAGE = 200


def _with(query: dict[str, str], **changes: Any) -> str:
    """The current query string with some parameters changed (None or "" drops one)."""
    merged = dict(query)
    for key, value in changes.items():
        if value is None or value == "" or value is False:
            merged.pop(key, None)
        else:
            merged[key] = "true" if value is True else str(value)
    return urlencode(merged)


templates.env.globals["with_query"] = _with


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)


@dataclass(frozen=True, slots=True)
class NavLink:
    """A page in the navigation that is not a view (`/dashboard/<name>`)."""

    name: str
    title: str


def page_reader(request: Request) -> Principal | Response:
    """The signed-in reader of a dashboard page, or where to send the caller instead (the
    login page, or the public page for the public role)."""
    principal = page_principal(request)
    if principal is None:
        return login_redirect(request)
    if principal.role is Role.PUBLIC:
        return RedirectResponse("/public", status_code=303)
    return principal


def page_for(request: Request, roles: Collection[Role], refusal: str) -> Principal | Response:
    """The signed-in caller of a page only `roles` may use, or where to send them instead (the
    login page, or a page saying `refusal`)."""
    principal = page_principal(request)
    if principal is None:
        return login_redirect(request)
    if principal.role not in roles:
        return error_page(request, principal, StarletteHTTPException(403, refusal))
    return principal


SYSTEM_PAGE = NavLink("system", "系统运行")
INTEGRITY_PAGE = NavLink("integrity", "存储核查")
ACCESS_LOG_PAGE = NavLink("access-log", "个人信息访问记录")
#: Who reads the read-access log on the dashboard (as `GET /api/v1/access-log`).
ACCESS_LOG_READERS = frozenset({Role.AUDITOR, Role.TOWN_SECRETARY})


def _nav(principal: Principal) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for spec in SPECS:
        groups.setdefault(spec.group, []).append(spec)
    if sees_operations(principal):
        groups.setdefault("运维", []).append(SYSTEM_PAGE)
    if verifies_sources(principal):
        groups.setdefault("运维", []).append(INTEGRITY_PAGE)
    if principal.role in ACCESS_LOG_READERS:
        groups.setdefault("运维", []).append(ACCESS_LOG_PAGE)
    return list(groups.items())


def _towns(area: str) -> list[tuple[str, str]]:
    """(code, name) of a county's towns, for the town filter; none for a town."""
    return [] if is_town(area) else [(t, load_town(t).name) for t in towns_of(area)]


def page_context(request: Request, principal: Principal, **extra: Any) -> dict[str, Any]:
    settings = request.app.state.settings
    return {
        "request": request,
        "user": principal,
        "role_label": ROLE_LABELS.get(principal.role.value, principal.role.value),
        "full": sees_full_detail(principal),
        "nav": _nav(principal),
        "villages": load_area(settings.area_code).names,
        "towns": _towns(settings.area_code),
        "village_locked": principal.role in VILLAGE_SCOPED,
        "today": china_today().isoformat(),
        **extra,
    }


@router.get("/")
async def home(request: Request) -> Response:
    return RedirectResponse("/dashboard", status_code=303)


_ERROR_TITLES = {403: "无权查看", 404: "未找到", 422: "查询条件有误"}


def error_page(request: Request, principal: Principal, exc: StarletteHTTPException) -> Response:
    """A page-shaped error (the JSON API answers problem+json instead)."""
    return templates.TemplateResponse(
        request,
        "error.html",
        page_context(
            request,
            principal,
            title=_ERROR_TITLES.get(exc.status_code, "出错了"),
            detail=str(exc.detail),
        ),
        status_code=exc.status_code,
    )


@router.get("/dashboard/system", response_class=HTMLResponse)
async def system_page(request: Request) -> Response:
    """系统运行: per service, consumer lag, outbox backlog and dead letters, and what to do
    (registered before `/dashboard/{name}`, which would take the path otherwise)."""
    principal = page_reader(request)
    if isinstance(principal, Response):
        return principal
    if not sees_operations(principal):
        return error_page(
            request,
            principal,
            StarletteHTTPException(
                403, "系统运行页仅供审计与党委书记查看 (auditor, town secretary)"
            ),
        )
    states = await all_states(request.app.state.metrics, request.app.state.settings.service_urls)
    rows = [(state, findings(state)) for state in states]
    return templates.TemplateResponse(
        request,
        "system.html",
        page_context(request, principal, spec=SYSTEM_PAGE, rows=rows, Level=Level),
    )


@router.get("/dashboard", response_class=HTMLResponse)
@router.get("/dashboard/{name:path}", response_class=HTMLResponse)
async def dashboard(
    request: Request, query: Annotated[ViewQuery, Depends()], name: str = "overview"
) -> Response:
    principal = page_reader(request)
    if isinstance(principal, Response):
        return principal
    spec = VIEWS.get(name)
    try:
        if spec is None:
            raise StarletteHTTPException(404, f"没有这个视图 (no view named {name})")
        ask = query.ask(request, principal)
        view = await build_view(request, name, ask, principal)
    except StarletteHTTPException as exc:
        return error_page(request, principal, exc)
    params = query.params()
    if ask.page.number > 1:
        params["page"] = str(ask.page.number)
    if ask.village:
        params["village"] = ask.village
    return templates.TemplateResponse(
        request,
        "view.html",
        page_context(
            request,
            principal,
            spec=spec,
            view=view,
            query=params,
            qs=urlencode(params),
            rows_on_page=ROWS_ON_PAGE,
            **(_whatif_context(request, principal) if name == "audit/whatif" else {}),
        ),
    )


def _whatif_context(request: Request, principal: Principal) -> dict[str, Any]:
    """The 推演 page's form and the run in progress."""
    running = request.app.state.whatifs.running
    return {
        "may_whatif": principal.role in WHATIF_RUNNERS,
        "whatif_running": running.to_json() if running else None,
        "whatif_error": request.app.state.whatifs.last_error,
        "whatif_started": request.query_params.get("started", ""),
    }


@router.get("/audit/{stream_id}", response_class=HTMLResponse)
async def audit_page(
    request: Request,
    stream_id: str,
    as_of: AsOf = None,
) -> Response:
    principal = page_reader(request)
    if isinstance(principal, Response):
        return principal
    try:
        trail = await load_audit(request, stream_id, principal, as_of)
    except StarletteHTTPException as exc:
        return error_page(request, principal, exc)
    return templates.TemplateResponse(
        request, "audit.html", page_context(request, principal, trail=trail, as_of=as_of)
    )


@router.get("/public", response_class=HTMLResponse)
async def public_page(
    request: Request,
    village: Annotated[str | None, Query()] = None,
    as_of: AsOf = None,
) -> Response:
    settings = request.app.state.settings
    town = load_area(settings.area_code)
    if village:
        checked_village(town, village)  # 422 for a village the town does not have
    ask = Ask(
        window=Window(as_of=as_of),
        village=village or None,
        today=china_today(),
        town_code=settings.area_code,
    )
    async with request.app.state.reader.snapshot() as snap:
        published = await public_notices(snap, ask)
    return templates.TemplateResponse(
        request,
        "public.html",
        {
            "request": request,
            "published": published,
            "villages": town.names,
            "village": village or "",
            "as_of": as_of.isoformat() if as_of else "",
            "town": town.name,
        },
    )


def demo_users(area: str) -> tuple[Principal, ...]:
    """The demo users of the area shown (development's demo login only: the `demo` package is
    not the runtime's, so it is imported when asked for)."""
    from demo.users import users_of

    return users_of(area)


def demo_user(user_id: str) -> Principal:
    """A demo user by id (`KeyError` if there is none)."""
    from demo.users import demo_user as find

    return find(user_id)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/dashboard", error: str = "") -> Response:
    settings = request.app.state.settings
    return templates.TemplateResponse(
        request,
        "login.html",
        {
            "request": request,
            "demo": settings.demo_login,
            "users": demo_users(settings.area_code) if settings.demo_login else (),
            "role_labels": ROLE_LABELS,
            "next": _safe_next(next),
            "error": error,
        },
    )


@router.post("/login")
async def login(request: Request) -> Response:
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items() if v}
    settings = request.app.state.settings
    sessions: Sessions | None = request.app.state.sessions
    verifier: TokenVerifier = request.app.state.authenticator.verifier
    target = _safe_next(form.get("next", "/dashboard"))
    token, session = "", ""
    if form.get("user_id"):
        if not settings.demo_login or sessions is None:
            raise StarletteHTTPException(403, "演示登录未启用 (LIANXIN_DEMO_LOGIN is not set)")
        try:
            user = demo_user(form["user_id"])
        except KeyError:
            raise StarletteHTTPException(422, "没有这个演示用户 (unknown demo user)") from None
        token, session = sessions.start(user)
        lifetime = int(SESSION_TTL.total_seconds())
    elif form.get("token"):
        token = form["token"].strip()
        try:
            claims = verifier.claims(token)
            user = verifier.verify(token)
        except InvalidToken as exc:
            query = urlencode({"next": target, "error": str(exc)})
            return RedirectResponse(f"/login?{query}", status_code=303)
        # a pasted token cannot be refreshed here: its cookie ends with it
        lifetime = max(1, int(float(claims["exp"]) - dt.datetime.now(dt.UTC).timestamp()))
    else:
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
    response = RedirectResponse("/public" if user.role is Role.PUBLIC else target, status_code=303)
    for name, value in ((COOKIE, token), (SESSION_COOKIE, session)):
        if not value:  # another user's session must not refresh a pasted token
            response.delete_cookie(name, path="/")
            continue
        response.set_cookie(
            name,
            value,
            max_age=lifetime,
            httponly=True,
            samesite="lax",
            secure=settings.cookie_secure,
            path="/",
        )
    return response


@router.post("/logout")
async def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _safe_next(target: str) -> str:
    """Only a path on this site (no scheme, no host): an open redirect is not allowed."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/dashboard"
    return target
