"""Directives and assigned matters (批示件、交办事项, measure 12), and the periodic report
(定期通报) of how they stand."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from shared.business_dates import AsOf, AsOfDate
from shared.command_routes import command
from shared.roles import Principal
from shared.web import require
from supervision.application import commands as c
from supervision.application import handlers as h
from supervision.domain.directives import STATUSES, Directive
from supervision.domain.vocabulary import Level
from supervision.entrypoints.access import DIRECTIVE_READERS, DIRECTIVE_REGISTRARS, LEADERS
from supervision.entrypoints.presenters import directive_view

from .common import Wiring

router = APIRouter(prefix="/api/v1/directives", tags=["directives 批示交办"])
DirectiveId = Annotated[uuid.UUID, Path(description="批示交办件编号")]
Registrar = Annotated[Principal, Depends(require(*DIRECTIVE_REGISTRARS))]
Reporter = Annotated[Principal, Depends(require(*LEADERS))]
Reader = Annotated[Principal, Depends(require(*DIRECTIVE_READERS))]


command(
    router,
    "",
    c.ReceiveDirective,
    h.receive_directive,
    Registrar,
    summary="收件登记 (receive a directive)",
    status_code=201,
)
command(
    router,
    "/{directive_id}/assign",
    c.AssignDirective,
    h.assign_directive,
    Registrar,
    summary="交办 (assign to a leader and unit)",
)
command(
    router,
    "/{directive_id}/progress",
    c.ReportDirectiveProgress,
    h.report_directive_progress,
    Reporter,
    summary="报告办理进展 (a periodic progress report)",
)
command(
    router,
    "/{directive_id}/report-back",
    c.ReportDirectiveBack,
    h.report_directive_back,
    Reporter,
    summary="办理情况反馈 (report the result back)",
)
command(
    router,
    "/{directive_id}/complete",
    c.CompleteDirective,
    h.complete_directive,
    Registrar,
    summary="办结 (confirm done)",
)


@router.get("/report", summary="督查通报 (periodic report: how the directives stand)")
async def periodic_report(
    svc: Wiring,
    _: Reader,
    as_of: AsOf = None,
    since: Annotated[AsOfDate | None, Query(description="本期起始日期 (period start)")] = None,
) -> dict[str, Any]:
    """As of a day: counts by status and level, the overdue ones, and what was reported in
    the period since `since` (default: the 30 days before)."""
    today = svc.as_of_day(as_of)
    start = since or today - dt.timedelta(days=30)
    views = [
        directive_view(d, today)
        for d in await svc.ledger.load_all(Directive, f"{Directive.PREFIX}-", as_of=as_of)
    ]
    reported = [
        {"id": v["id"], "subject": v["subject"], "on": r["on"], "report": r["report"]}
        for v in views
        for r in v["progress_reports"]
        if start <= r["on"] <= today
    ]
    return {
        "as_of": today,
        "period": {"from": start, "to": today},
        "total": len(views),
        "by_status": dict(Counter(v["status"] for v in views)),
        "by_level": dict(Counter(v["level"] for v in views)),
        "completed_in_period": sum(
            1 for v in views if v["completed_on"] and start <= v["completed_on"] <= today
        ),
        "overdue": [
            {k: v[k] for k in ("id", "subject", "lead_post", "lead_unit", "due_on", "days_overdue")}
            for v in views
            if v["overdue"]
        ],
        "progress_reports": sorted(reported, key=lambda r: r["on"]),
    }


@router.get("/{directive_id}", summary="一件批示交办件 (one directive)")
async def get_directive(
    directive_id: DirectiveId, svc: Wiring, _: Reader, as_of: AsOf = None
) -> dict[str, Any]:
    stream = Directive.stream_for(str(directive_id))
    directive = await svc.ledger.get(Directive, stream, Directive.KIND, as_of=as_of)
    return directive_view(directive, svc.as_of_day(as_of))


@router.get("", summary="批示交办台账 (the directives)")
async def list_directives(
    svc: Wiring,
    _: Reader,
    as_of: AsOf = None,
    level: Level | None = None,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")] = None,
    overdue: bool | None = None,
) -> dict[str, Any]:
    today = svc.as_of_day(as_of)
    views = [
        directive_view(d, today)
        for d in await svc.ledger.load_all(Directive, f"{Directive.PREFIX}-", as_of=as_of)
    ]
    for key, value in {"level": level, "status": status, "overdue": overdue}.items():
        if value is not None:
            views = [v for v in views if v[key] == value]
    return {"as_of": today, "count": len(views), "directives": views}
