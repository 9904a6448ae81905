"""Routes of village collective decisions (四议两公开), the collective projects they allow, and
the village's books kept by the town's agency (村账乡代理). The economic leader records the
steps, the projects and the books (as every 三资 write); the two disclosures (两公开) may also be
recorded by the village's clerk, for their own village, as the quarterly finance disclosure."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from funds.application import commands as c
from funds.application import decisions as h
from funds.application import villages
from funds.domain.books import VillageBooks
from funds.domain.decision import CollectiveProject, VillageDecision
from funds.domain.identity import books_stream, decision_stream
from funds.domain.values import DecisionStatus
from funds.entrypoints.access import DISCLOSERS, WRITERS, Access, reader
from funds.entrypoints.deps import Svc
from funds.entrypoints.presenters import books_view, decision_view, project_view
from shared.business_dates import AsOf
from shared.command_routes import command
from shared.kernel import NotFound
from shared.roles import Principal
from shared.web import require

router = APIRouter(prefix="/api/v1", tags=["decisions 四议两公开与村账乡代理"])

Writer = Annotated[Principal, Depends(require(*WRITERS))]
Discloser = Annotated[Principal, Depends(require(*DISCLOSERS))]
Reader = Annotated[Access, Depends(reader())]
Json = dict[str, Any]

V = "/villages/{village}"
D = f"{V}/decisions/{{decision_id}}"

command(
    router,
    f"{V}/decisions",
    c.ProposeDecision,
    h.propose,
    Writer,
    summary="村党组织提议决策事项（四议两公开） (propose a village collective decision)",
    status_code=201,
)
command(
    router,
    f"{D}/meetings",
    c.HoldDecisionMeeting,
    h.hold_meeting,
    Writer,
    summary="商议、审议、决议会议 (hold the decision's next meeting)",
)
command(
    router,
    f"{D}/resolution-disclosure",
    c.DiscloseResolution,
    h.disclose_resolution,
    Discloser,
    summary="决议公开 (disclose the resolution)",
)
command(
    router,
    f"{D}/result-disclosure",
    c.DiscloseResult,
    h.disclose_result,
    Discloser,
    summary="实施结果公开 (disclose the result of carrying it out)",
)
command(
    router,
    f"{V}/collective-projects",
    c.StartCollectiveProject,
    h.start_project,
    Writer,
    summary="启动村集体经济项目 (start a collective economy project under its decision)",
    status_code=201,
)
command(
    router,
    f"{V}/books/entries",
    c.RecordBookEntry,
    villages.record_book_entry,
    Writer,
    summary="代理会计记账 (book a village income or expense, town agency)",
    status_code=201,
)


@router.get(f"{V}/decisions", summary="村级决策事项（四议两公开） (the village's decisions)")
async def list_decisions(
    village: str,
    access: Reader,
    svc: Svc,
    as_of: AsOf = None,
    status: Annotated[DecisionStatus | None, Query(description="状态")] = None,
    overdue: Annotated[bool | None, Query(description="只看实施结果逾期未公开的")] = None,
) -> Json:
    found = access.scope.checked_village(svc.town, village)
    day = as_of or svc.today()
    decisions = await svc.streams.load_all(
        VillageDecision,
        "decision-",
        with_event="funds.DecisionProposed",
        where={"village_code": found.code},
        as_of=day,
    )
    views = [
        decision_view(d, day)
        for d in decisions
        if (status is None or d.status is status) and (overdue is None or d.overdue(day) == overdue)
    ]
    return {"village": found.name, "as_of": day, "count": len(views), "decisions": views}


@router.get(D, summary="决策事项详情（四议两公开） (one village decision)")
async def get_decision(
    village: str, decision_id: str, access: Reader, svc: Svc, as_of: AsOf = None
) -> Json:
    found = access.scope.checked_village(svc.town, village)
    day = as_of or svc.today()
    decision = await svc.streams.get(
        VillageDecision, decision_stream(decision_id), "决策事项", as_of=day
    )
    if decision.facts.village_code != found.code:
        raise NotFound(f"{found.name}没有决策事项 {decision_id} (no such decision here)")
    return decision_view(decision, day)


@router.get(
    f"{V}/collective-projects", summary="村集体经济项目 (the village's collective projects)"
)
async def list_projects(village: str, access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    found = access.scope.checked_village(svc.town, village)
    projects = await svc.streams.load_all(
        CollectiveProject,
        "cproject-",
        with_event="funds.CollectiveProjectStarted",
        where={"village_code": found.code},
        as_of=as_of,
    )
    views = [project_view(p) for p in projects]
    return {"village": found.name, "as_of": as_of, "count": len(views), "projects": views}


@router.get(
    f"{V}/books/{{year}}", summary="村账乡代理账簿（年度） (the village's books for a year)"
)
async def get_books(village: str, year: int, access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    found = access.scope.checked_village(svc.town, village)
    day = as_of or svc.today()
    books = await svc.streams.load(VillageBooks, books_stream(found.code, year), as_of=day)
    return books_view(books, found.name, year, day)
