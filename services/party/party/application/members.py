"""Commands on party members (党员) and their handlers: load, decide, hand back."""

from __future__ import annotations

from party.application import commands as c
from party.application.accountability import apply_late_deduction
from party.application.dependencies import Deps, branch_village, new_id
from party.domain.accountability import AccountabilityCase, accountability_stream
from party.domain.branches import Branch
from party.domain.claims import ID_NUMBER, Claim, id_number_claim
from party.domain.members import BranchRef, Member
from shared.kernel import ResidentId, check_version
from shared.pipeline import Done, Work


async def join_member(cmd: c.JoinMember, uow: Work[Deps]) -> Done:
    resident = ResidentId(cmd.id_number)
    member_id = cmd.member_id or new_id("member")
    book = uow.deps.books.for_year(uow.day.year)
    branch = await uow.get(Branch, cmd.branch_id, "党支部")
    member = await uow.load(Member, member_id)
    member.join(
        branch=BranchRef(branch.branch_id, branch.village),
        name=cmd.name,
        id_number=resident,
        membership=cmd.membership,
        joined_party_on=cmd.joined_party_on,
        on=uow.day,
        book=book,
    )
    claim = await uow.load(Claim, id_number_claim(resident))
    claim.claim(ID_NUMBER, member_id, f"身份证号 {resident.masked} ")
    for case_id in await uow.deps.queries.awaiting(member_id):
        case = await uow.load(AccountabilityCase, accountability_stream(case_id))
        apply_late_deduction(uow.deps.books, case, member)
    return member_id, member


async def _member(uow: Work[Deps], member_id: str, expected_version: int | None) -> Member:
    """The member, within the caller's scope (a branch secretary: their own branch's), at
    the version the caller read."""
    member = await uow.get(Member, member_id, "党员")
    if uow.scope.limited:
        branch = await uow.get(Branch, member.branch_id, "党支部")
        uow.scope.check(branch_village(branch.kind, branch.village))
    check_version(member, expected_version)
    return member


async def convert_member(cmd: c.ConvertMember, uow: Work[Deps]) -> Done:
    member = await _member(uow, cmd.member_id, cmd.expected_version)
    member.convert(on=uow.day, book=uow.deps.books.for_year(uow.day.year))
    return cmd.member_id, member


async def transfer_member(cmd: c.TransferMember, uow: Work[Deps]) -> Done:
    member = await _member(uow, cmd.member_id, cmd.expected_version)
    source = await uow.get(Branch, member.branch_id, "党支部")
    target = await uow.get(Branch, cmd.to_branch_id, "党支部")
    member.transfer(
        to=BranchRef(target.branch_id, target.village),
        on=uow.day,
        book=uow.deps.books.for_year(uow.day.year),
        is_secretary=source.secretary is not None and source.secretary[0] == member.member_id,
    )
    return cmd.member_id, member


async def record_points(cmd: c.RecordPoints, uow: Work[Deps]) -> Done:
    """A branch secretary records points of their own branch's members only."""
    book = uow.deps.books.for_year(uow.day.year)
    rule = book.rule(cmd.rule_code)
    member = await _member(uow, cmd.member_id, cmd.expected_version)
    member.record_points(
        record_id=cmd.record_id or new_id("points"),
        rule=rule,
        quantity=cmd.quantity,
        evidence=cmd.evidence,
        on=uow.day,
        book=book,
    )
    return cmd.member_id, member


async def grade_member(cmd: c.GradeMember, uow: Work[Deps]) -> Done:
    member = await _member(uow, cmd.member_id, cmd.expected_version)
    member.grade(year=cmd.year, on=uow.day, book=uow.deps.books.for_year(cmd.year))
    return cmd.member_id, member


async def talk_to_unqualified(cmd: c.TalkToUnqualified, uow: Work[Deps]) -> Done:
    member = await _member(uow, cmd.member_id, cmd.expected_version)
    member.talk(year=cmd.year, talked_by=cmd.talked_by, summary=cmd.summary, on=uow.day)
    return cmd.member_id, member


async def decide_on_unqualified(cmd: c.DecideOnUnqualified, uow: Work[Deps]) -> Done:
    member = await _member(uow, cmd.member_id, cmd.expected_version)
    member.decide(year=cmd.year, decision=cmd.decision, summary=cmd.summary, on=uow.day)
    return cmd.member_id, member


async def record_unqualified_outcome(cmd: c.RecordUnqualifiedOutcome, uow: Work[Deps]) -> Done:
    member = await _member(uow, cmd.member_id, cmd.expected_version)
    member.record_outcome(year=cmd.year, outcome=cmd.outcome, summary=cmd.summary, on=uow.day)
    return cmd.member_id, member


async def enrol_in_degree_education(cmd: c.EnrolInDegreeEducation, uow: Work[Deps]) -> Done:
    member = await _member(uow, cmd.member_id, cmd.expected_version)
    member.enrol_in_degree_education(institution=cmd.institution, level=cmd.level, on=uow.day)
    return cmd.member_id, member
