"""The village affairs supervision committees (村务监督委员会, measure 6 (3)): members, the
yearly report, the leading group's check of overdue reports, findings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from shared.business_dates import AsOf
from shared.command_routes import command, custom_pipeline, pipeline_of
from shared.pipeline import Scope, Work, Written, WrittenOut
from shared.roles import Principal
from shared.web import command_context, require
from supervision.application import commands as c
from supervision.application import governance as g
from supervision.application.handlers import Deps
from supervision.domain.committee import Committee, committee_stream
from supervision.entrypoints.access import COMMITTEE_READERS, COMMITTEE_WRITERS, LEADING_GROUP
from supervision.entrypoints.presenters import committee_report_status, committee_view

from .common import Wiring

router = APIRouter(prefix="/api/v1", tags=["committees 村务监督委员会"])
Writer = Annotated[Principal, Depends(require(*COMMITTEE_WRITERS))]
Reader = Annotated[Principal, Depends(require(*COMMITTEE_READERS))]
Checker = Annotated[Principal, Depends(require(*LEADING_GROUP))]
VillageParam = Annotated[str, Path(max_length=50, description="村/社区 (名称或12位代码)")]

command(
    router,
    "/committees/{village}/members",
    c.AppointCommitteeMember,
    g.appoint_committee_member,
    Writer,
    summary="成员任职 (a member takes office)",
    status_code=201,
)
command(
    router,
    "/committees/{village}/members/{member_id}/leave",
    c.CommitteeMemberLeaves,
    g.committee_member_leaves,
    Writer,
    summary="成员离任 (a member leaves)",
)
command(
    router,
    "/committees/{village}/reports",
    c.MakeCommitteeReport,
    g.make_committee_report,
    Writer,
    summary="年度工作报告 (the yearly report to the party organisation and representatives)",
    status_code=201,
)
command(
    router,
    "/committees/{village}/findings",
    c.RecordCommitteeFinding,
    g.record_committee_finding,
    Writer,
    summary="监督发现问题 (a finding, put on the problem list)",
    status_code=201,
)


@router.post(
    "/committee-reports/check",
    summary="年度报告检查 (check for overdue yearly reports)",
    response_model=WrittenOut,
    openapi_extra=custom_pipeline(),
)
async def check_reports(
    request: Request, who: Checker, body: c.CheckCommitteeReports | None = None
) -> dict[str, Any]:
    """Not one entity's command: every village's committee is checked in one unit of work of
    the pipeline, dated to the day checked; the answer names that day (`id`) and lists the
    overdue reports it raised (`events`)."""
    cmd = body or c.CheckCommitteeReports()
    pipeline = pipeline_of(request)
    ctx = command_context(request, who, pipeline.town.code)

    async def check(uow: Work[Deps]) -> str:
        await g.check_committee_reports(cmd, uow)
        return uow.day.isoformat()

    day, committed = await pipeline.attempt(
        check, ctx, Scope.of(who), cmd.occurred_on, command="CheckCommitteeReports"
    )
    return Written.of_events(day, committed).to_json()


@router.get("/committees/{village}", summary="一个村的村务监督委员会 (one village's committee)")
async def get_committee(
    village: VillageParam, svc: Wiring, principal: Reader, as_of: AsOf = None
) -> dict[str, Any]:
    known = Scope.of(principal).checked_village(svc.town, village)
    committee = await svc.ledger.get(
        Committee, committee_stream(known.code), Committee.KIND, as_of=as_of
    )
    return committee_view(committee, svc.as_of_day(as_of), svc.town.programme_since.year)


@router.get("/committees", summary="各村村务监督委员会 (every village's committee and report)")
async def list_committees(
    svc: Wiring,
    principal: Reader,
    as_of: AsOf = None,
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="报告年度 (默认：上一年度)")
    ] = None,
) -> dict[str, Any]:
    today = svc.as_of_day(as_of)
    report_year = year if year is not None else today.year - 1
    scope = Scope.of(principal)
    found = {
        k.village_code: k for k in await svc.ledger.load_all(Committee, "committee-", as_of=as_of)
    }
    views: list[dict[str, Any]] = []
    for village in svc.town.villages:
        if not scope.allows(village.name):
            continue
        committee = found.get(village.code)
        if committee is None:
            views.append(
                {"village": village.name, "village_code": village.code, "established": False}
            )
            continue
        serving = committee.serving(today)
        views.append(
            {
                "village": village.name,
                "village_code": village.code,
                "established": bool(serving),
                "members": len(serving),
                "chair": next((m.name for m in serving if m.position == "主任"), None),
                "findings": len(committee.findings),
                "report": committee_report_status(committee, report_year, today),
            }
        )
    return {
        "as_of": today,
        "year": report_year,
        "established": sum(bool(v["established"]) for v in views),
        "overdue": sum(bool(v.get("report", {}).get("overdue")) for v in views),
        "committees": views,
    }
