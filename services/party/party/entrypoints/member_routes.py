"""HTTP routes for party members (党员), their points and the 不合格党员 procedure."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from party.application import members as handlers
from party.application.training import member_training
from party.domain.members import Member
from party.domain.rules import RuleBook
from party.entrypoints.access import (
    BranchWriter,
    PartyDeps,
    Reader,
    Writer,
    context,
    scope_of,
    sees_id_numbers,
    written,
)
from party.entrypoints.presenters import member_state, points_detail
from party.entrypoints.schemas import (
    DegreeIn,
    GradeIn,
    MemberIn,
    PointsIn,
    TalkIn,
    TransferIn,
    UnqualifiedDecisionIn,
    UnqualifiedOutcomeIn,
    VersionedIn,
)
from shared.business_dates import AsOf

router = APIRouter(tags=["members 党员"])

MemberPath = Annotated[str, Path(pattern=r"^member-[a-z0-9][a-z0-9-]{0,47}$")]
YearPath = Annotated[int, Path(ge=2000, le=2100)]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="年度，默认今年")]


@router.post("/members", status_code=201, summary="登记党员 (register a member)")
async def join(body: MemberIn, request: Request, who: Writer, deps: PartyDeps) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.JoinMember(
        member_id=body.member_id or handlers.new_id("member"),
        branch_id=body.branch_id,
        name=body.name,
        id_number=body.id_number,
        membership=body.membership,
        joined_party_on=body.joined_party_on,
        on=on,
    )
    return written(await handlers.join_member(deps, ctx, cmd))


@router.get("/members/{member_id}", summary="一名党员 (one member)")
async def get_member(
    member_id: MemberPath, who: Reader, deps: PartyDeps, as_of: AsOf = None
) -> dict[str, Any]:
    member = await deps.reader.get(Member, member_id, "党员", as_of=as_of)
    scope_of(who).check(await deps.views.branch(member.branch_id))
    return member_state(member, deps.books, show_id=sees_id_numbers(who))


@router.get("/members/{member_id}/points", summary="党员积分 (a member's points)")
async def get_points(
    member_id: MemberPath, who: Reader, deps: PartyDeps, year: Year = None
) -> dict[str, Any]:
    member = await deps.reader.get(Member, member_id, "党员")
    scope_of(who).check(await deps.views.branch(member.branch_id))
    return points_detail(member, deps.books, year or deps.today().year)


@router.get("/members/{member_id}/training", summary="党员培训情况 (a member's training)")
async def get_training(
    member_id: MemberPath, who: Reader, deps: PartyDeps, year: Year = None, as_of: AsOf = None
) -> dict[str, Any]:
    day = as_of or deps.today()
    return await member_training(deps, member_id, year or day.year, day, scope_of(who))


@router.post("/members/{member_id}/convert", summary="预备党员转正 (convert to full membership)")
async def convert(
    member_id: MemberPath, body: VersionedIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.ConvertMember(member_id, on, body.expected_version)
    return written(await handlers.convert_member(deps, ctx, cmd))


@router.post("/members/{member_id}/transfer", summary="转接组织关系 (transfer to another branch)")
async def transfer(
    member_id: MemberPath, body: TransferIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.TransferMember(member_id, body.to_branch_id, on, body.expected_version)
    return written(await handlers.transfer_member(deps, ctx, cmd))


@router.post("/members/{member_id}/points", status_code=201, summary="记录积分 (record points)")
async def record_points(
    member_id: MemberPath, body: PointsIn, request: Request, who: BranchWriter, deps: PartyDeps
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.RecordPoints(
        member_id=member_id,
        rule_code=body.rule_code,
        quantity=body.quantity,
        evidence=body.evidence,
        record_id=body.record_id or handlers.new_id("points"),
        on=on,
        expected_version=body.expected_version,
    )
    result = await handlers.record_points(deps, ctx, cmd, scope_of(who))
    return {**written(result), "record_id": cmd.record_id}


@router.post("/members/{member_id}/grade", summary="年度评定等次 (grade the member's year)")
async def grade(
    member_id: MemberPath, body: GradeIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.GradeMember(member_id, body.year, on, body.expected_version)
    return written(await handlers.grade_member(deps, ctx, cmd))


@router.post(
    "/members/{member_id}/unqualified/{year}/talk",
    summary="不合格党员：谈话 (unqualified member: the talk)",
)
async def talk(
    member_id: MemberPath,
    year: YearPath,
    body: TalkIn,
    request: Request,
    who: Writer,
    deps: PartyDeps,
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.UnqualifiedStep(
        member_id, year, "talk", body.talked_by, body.summary, on, body.expected_version
    )
    return written(await handlers.unqualified_step(deps, ctx, cmd))


@router.post(
    "/members/{member_id}/unqualified/{year}/decision",
    summary="不合格党员：处置决定 (unqualified member: the decision)",
)
async def decide(
    member_id: MemberPath,
    year: YearPath,
    body: UnqualifiedDecisionIn,
    request: Request,
    who: Writer,
    deps: PartyDeps,
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.UnqualifiedStep(
        member_id, year, "decision", body.decision, body.summary, on, body.expected_version
    )
    return written(await handlers.unqualified_step(deps, ctx, cmd))


@router.post(
    "/members/{member_id}/unqualified/{year}/outcome",
    summary="不合格党员：处置结果 (unqualified member: the outcome)",
)
async def outcome(
    member_id: MemberPath,
    year: YearPath,
    body: UnqualifiedOutcomeIn,
    request: Request,
    who: Writer,
    deps: PartyDeps,
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.UnqualifiedStep(
        member_id, year, "outcome", body.outcome, body.summary, on, body.expected_version
    )
    return written(await handlers.unqualified_step(deps, ctx, cmd))


@router.post(
    "/members/{member_id}/degree-education", summary="选送学历教育 (enrol in degree education)"
)
async def enrol(
    member_id: MemberPath, body: DegreeIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.EnrolInDegreeEducation(
        member_id, body.institution, body.level, on, body.expected_version
    )
    return written(await handlers.enrol_in_degree_education(deps, ctx, cmd))


def rule_book_state(book: RuleBook) -> dict[str, Any]:
    return {
        "version": book.version,
        "effective_year": book.effective_year,
        "base_points": book.base_points,
        "unqualified_below": book.unqualified_below,
        "levels": [
            {
                "code": x.code,
                "name": x.name,
                "min_points": x.min_points,
                "unqualified": x.unqualified,
            }
            for x in book.levels
        ],
        "membership": {
            "probation_months": book.probation_months,
            "conversion_min_points": book.conversion_min_points,
            "transfer_min_points": book.transfer_min_points,
            "transfer_blocked_while_unqualified": book.transfer_blocked_while_unqualified,
        },
        "rules": [
            {
                "code": r.code,
                "name": r.name,
                "kind": r.kind,
                "category": r.category,
                "points": r.points,
                "cap_per_year": r.cap_per_year,
            }
            for r in book.rules
        ],
        "accountability": {
            "kinds": dict(book.accountability_kinds),
            "default": book.accountability_default,
        },
    }


@router.get("/rule-book", tags=["rules 规则"], summary="积分规则 (the points rule book)")
async def get_rule_book(who: Reader, deps: PartyDeps, year: Year = None) -> dict[str, Any]:
    return rule_book_state(deps.books.for_year(year or deps.today().year))
