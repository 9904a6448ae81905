"""推演 (what-if): `POST /api/v1/whatif` starts a replay of history under a changed rule (the
auditor or the town secretary; one at a time), `GET /api/v1/whatif` says how it goes; the
result is the view `audit/whatif` (JSON, dashboard, exports). The dashboard's 推演 page posts
its form to `/dashboard/whatif`."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from projection.adapters.whatif import Busy, WhatIfs, finished_at
from projection.domain.access import WHATIF_RUNNERS
from projection.domain.whatif import BadRule, changed_rule
from projection.entrypoints.web import error_page, page_for
from shared.roles import Principal
from shared.web import require

router = APIRouter(prefix="/api/v1/whatif", tags=["whatif"])
pages = APIRouter(include_in_schema=False)
Runner = Annotated[Principal, Depends(require(*WHATIF_RUNNERS))]


class WhatIfAsk(BaseModel):
    """A rule of the plan and its changed value: the poverty line of a year (扶贫标准:
    `year`, `line`), or the band of branches designated weak (软弱涣散: `low`, `high` in %)."""

    model_config = ConfigDict(extra="forbid")

    rule: Literal["poverty_line", "weak_band"] = Field(
        description="规则：poverty_line（年度贫困线）或 weak_band（软弱涣散认定比例）"
    )
    year: int | None = Field(default=None, ge=2000, le=2100, description="年度（贫困线）")
    line: Decimal | None = Field(
        default=None, gt=0, le=1_000_000, decimal_places=2, description="推演贫困线（元）"
    )
    low: Decimal | None = Field(default=None, gt=0, le=50, description="认定比例下限（%）")
    high: Decimal | None = Field(default=None, gt=0, le=50, description="认定比例上限（%）")


def start(request: Request, asked: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """Start a run (422 for a rule that cannot be replayed, 409 when one is running)."""
    try:
        rule = changed_rule(asked)
    except BadRule as exc:
        raise StarletteHTTPException(422, str(exc)) from exc
    whatifs: WhatIfs = request.app.state.whatifs
    try:
        run = whatifs.start(rule, f"{principal.name} ({principal.user_id})")
    except Busy as exc:
        raise StarletteHTTPException(
            409, "已有推演正在运行，请稍后再试 (a what-if is running)"
        ) from exc
    return run.to_json()


@router.post(
    "",
    status_code=202,
    summary="推演：在临时数据代中按修改后的规则重放历史 (start a what-if replay)",
)
async def post_whatif(request: Request, body: WhatIfAsk, principal: Runner) -> dict[str, Any]:
    asked = body.model_dump(exclude_none=True, mode="json")
    return start(request, asked, principal) | {"view": "/api/v1/views/audit/whatif"}


@router.get("", summary="推演进度与上次结果 (the what-if running, and the last one)")
async def get_whatif(request: Request, principal: Runner) -> JSONResponse:
    return JSONResponse(await state(request))


async def state(request: Request) -> dict[str, Any]:
    """The run in progress (if any), the last error, and when the last finished run ended."""
    whatifs: WhatIfs = request.app.state.whatifs
    async with whatifs.engine.connect() as conn:
        ended = await finished_at(conn, whatifs.schema)
        rule = (
            (await conn.execute(text(f'SELECT rule FROM "{whatifs.schema}".whatif_run'))).scalar()
            if ended
            else None
        )
    return {
        "running": whatifs.running.to_json() if whatifs.running else None,
        "error": whatifs.last_error or None,
        "last": {"rule": rule, "finished_at": ended.isoformat()} if ended else None,
        "view": "/api/v1/views/audit/whatif",
    }


@pages.post("/dashboard/whatif")
async def whatif_form(request: Request) -> Response:
    """The 推演 page's form: the year and the line, then back to the page."""
    principal = page_for(request, WHATIF_RUNNERS, "仅审计与党委书记可发起推演")
    if isinstance(principal, Response):
        return principal
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
    asked: dict[str, Any] = dict(form)
    if "year" in form:
        try:
            asked["year"] = int(form["year"])
        except ValueError:
            asked["year"] = 0
    try:
        start(request, asked, principal)
    except StarletteHTTPException as exc:
        return error_page(request, principal, exc)
    message = "推演已开始，完成后刷新本页查看结果"
    return RedirectResponse(f"/dashboard/audit/whatif?{urlencode({'started': message})}", 303)
