"""HTTP routes for party members (党员), their points and the 不合格党员 procedure."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from party.application import commands as c
from party.application import members as h
from party.application.dependencies import Deps, check_branch
from party.application.training import member_training
from party.domain.members import Member
from party.entrypoints.access import (
    BranchWriter,
    PartyDeps,
    Reader,
    Today,
    Writer,
    sees_id_numbers,
)
from party.entrypoints.presenters import member_state, points_detail, rule_book_state
from shared.business_dates import AsOf
from shared.command_routes import command
from shared.pipeline import Scope
from shared.roles import Principal

router = APIRouter(tags=["members 党员"])

MemberPath = Annotated[str, Path(pattern=c.MEMBER_ID)]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="年度，默认今年")]

command(
    router,
    "/members",
    c.JoinMember,
    h.join_member,
    Writer,
    summary="登记党员 (register a member)",
    status_code=201,
)
command(
    router,
    "/members/{member_id}/convert",
    c.ConvertMember,
    h.convert_member,
    Writer,
    summary="预备党员转正 (convert to full membership)",
)
command(
    router,
    "/members/{member_id}/transfer",
    c.TransferMember,
    h.transfer_member,
    Writer,
    summary="转接组织关系 (transfer to another branch)",
)
command(
    router,
    "/members/{member_id}/points",
    c.RecordPoints,
    h.record_points,
    BranchWriter,
    summary="记录积分 (record points)",
    status_code=201,
)
command(
    router,
    "/members/{member_id}/grade",
    c.GradeMember,
    h.grade_member,
    Writer,
    summary="年度评定等次 (grade the member's year)",
)
command(
    router,
    "/members/{member_id}/unqualified/{year}/talk",
    c.TalkToUnqualified,
    h.talk_to_unqualified,
    Writer,
    summary="不合格党员：谈话 (unqualified member: the talk)",
)
command(
    router,
    "/members/{member_id}/unqualified/{year}/decision",
    c.DecideOnUnqualified,
    h.decide_on_unqualified,
    Writer,
    summary="不合格党员：处置决定 (unqualified member: the decision)",
)
command(
    router,
    "/members/{member_id}/unqualified/{year}/outcome",
    c.RecordUnqualifiedOutcome,
    h.record_unqualified_outcome,
    Writer,
    summary="不合格党员：处置结果 (unqualified member: the outcome)",
)
command(
    router,
    "/members/{member_id}/degree-education",
    c.EnrolInDegreeEducation,
    h.enrol_in_degree_education,
    Writer,
    summary="选送学历教育 (enrol in degree education)",
)


async def _member_in_scope(
    deps: Deps, who: Principal, member_id: str, as_of: AsOf = None
) -> Member:
    member = await deps.reader.get(Member, member_id, "党员", as_of=as_of)
    check_branch(Scope.of(who), await deps.queries.branch(member.branch_id))
    return member


@router.get("/members/{member_id}", summary="一名党员 (one member)")
async def get_member(
    member_id: MemberPath, who: Reader, deps: PartyDeps, as_of: AsOf = None
) -> dict[str, Any]:
    member = await _member_in_scope(deps, who, member_id, as_of)
    return member_state(member, deps.books, show_id=sees_id_numbers(who))


@router.get("/members/{member_id}/points", summary="党员积分 (a member's points)")
async def get_points(
    member_id: MemberPath, who: Reader, deps: PartyDeps, today: Today, year: Year = None
) -> dict[str, Any]:
    member = await _member_in_scope(deps, who, member_id)
    return points_detail(member, deps.books, year or today.year)


@router.get("/members/{member_id}/training", summary="党员培训情况 (a member's training)")
async def get_training(
    member_id: MemberPath,
    who: Reader,
    deps: PartyDeps,
    today: Today,
    year: Year = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    day = as_of or today
    return await member_training(deps, member_id, year or day.year, day, Scope.of(who))


@router.get("/rule-book", tags=["rules 规则"], summary="积分规则 (the points rule book)")
async def get_rule_book(
    who: Reader, deps: PartyDeps, today: Today, year: Year = None
) -> dict[str, Any]:
    return rule_book_state(deps.books.for_year(year or today.year))
