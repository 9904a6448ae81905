"""Directives and assigned matters (批示件、交办事项, measure 12), and the periodic report
(定期通报) of how they stand."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from shared.auth import Principal
from shared.business_dates import AsOf, AsOfDate
from shared.ids import uuid7
from shared.web import require
from supervision.application import commands as c
from supervision.application import handlers
from supervision.application.views import directive_view
from supervision.domain.directives import STATUSES, Directive
from supervision.domain.vocabulary import Level
from supervision.entrypoints import schemas as s

from .common import (
    DIRECTIVE_READERS,
    DIRECTIVE_REGISTRARS,
    LEADERS,
    Wiring,
    as_of_day,
    outcome,
    work,
)

router = APIRouter(prefix="/api/v1/directives", tags=["directives 批示交办"])
DirectiveId = Annotated[uuid.UUID, Path(description="批示交办件编号")]
Registrar = Annotated[Principal, Depends(require(*DIRECTIVE_REGISTRARS))]
Reporter = Annotated[Principal, Depends(require(*LEADERS))]
Reader = Annotated[Principal, Depends(require(*DIRECTIVE_READERS))]


@router.post("", status_code=201, summary="收件登记 (receive a directive)")
async def receive(
    body: s.ReceiveDirectiveBody, request: Request, svc: Wiring, principal: Registrar
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ReceiveDirective(
        directive_id=str(body.id or uuid7()),
        kind=body.kind,
        level=body.level,
        issued_by=body.issued_by,
        reference=body.reference,
        subject=body.subject,
        due_on=body.due_on,
        on=w.on,
    )
    return outcome(await handlers.receive_directive(cmd, w.uow))


@router.post("/{directive_id}/assign", summary="交办 (assign to a leader and unit)")
async def assign(
    directive_id: DirectiveId,
    body: s.AssignDirectiveBody,
    request: Request,
    svc: Wiring,
    principal: Registrar,
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.AssignDirective(
        directive_id=str(directive_id),
        lead_post=body.lead_post,
        lead_unit=body.lead_unit,
        due_on=body.due_on,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.assign_directive(cmd, w.uow, svc.plan))


@router.post("/{directive_id}/progress", summary="报告办理进展 (a periodic progress report)")
async def report_progress(
    directive_id: DirectiveId,
    body: s.DirectiveReportBody,
    request: Request,
    svc: Wiring,
    principal: Reporter,
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ReportDirectiveProgress(
        directive_id=str(directive_id),
        report=body.report,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.report_directive_progress(cmd, w.uow))


@router.post("/{directive_id}/report-back", summary="办理情况反馈 (report the result back)")
async def report_back(
    directive_id: DirectiveId,
    body: s.DirectiveResultBody,
    request: Request,
    svc: Wiring,
    principal: Reporter,
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ReportDirectiveBack(
        directive_id=str(directive_id),
        result=body.result,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.report_directive_back(cmd, w.uow))


@router.post("/{directive_id}/complete", summary="办结 (confirm done)")
async def complete(
    directive_id: DirectiveId,
    body: s.CloseBody,
    request: Request,
    svc: Wiring,
    principal: Registrar,
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.CompleteDirective(
        directive_id=str(directive_id),
        note=body.note,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.complete_directive(cmd, w.uow))


@router.get("/report", summary="督查通报 (periodic report: how the directives stand)")
async def periodic_report(
    svc: Wiring,
    _: Reader,
    as_of: AsOf = None,
    since: Annotated[AsOfDate | None, Query(description="本期起始日期 (period start)")] = None,
) -> dict[str, Any]:
    """As of a day: counts by status and level, the overdue ones, and what was reported in
    the period since `since` (default: the 30 days before)."""
    today = as_of_day(svc, as_of)
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
    return directive_view(directive, as_of_day(svc, as_of))


@router.get("", summary="批示交办台账 (the directives)")
async def list_directives(
    svc: Wiring,
    _: Reader,
    as_of: AsOf = None,
    level: Level | None = None,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")] = None,
    overdue: bool | None = None,
) -> dict[str, Any]:
    today = as_of_day(svc, as_of)
    views = [
        directive_view(d, today)
        for d in await svc.ledger.load_all(Directive, f"{Directive.PREFIX}-", as_of=as_of)
    ]
    for key, value in {"level": level, "status": status, "overdue": overdue}.items():
        if value is not None:
            views = [v for v in views if v[key] == value]
    return {"as_of": today, "count": len(views), "directives": views}
