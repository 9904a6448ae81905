"""Party members (党员): admission to the register, probationary conversion (转正), transfer
between branches (组织关系转接), points (积分制, measure 9), yearly grading and the handling of
unqualified members (不合格党员处置: identified → talk → decision → outcome), and degree
education (measure 8). Points rules and thresholds come from the rule book (`rules.py`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from party.domain.branches import MemberRef
from party.domain.events import (
    DegreeEducationEnrolled,
    MemberConverted,
    MemberGraded,
    MemberJoined,
    MemberTransferred,
    PointsAwarded,
    PointsDeducted,
    UnqualifiedMemberDecisionTaken,
    UnqualifiedMemberIdentified,
    UnqualifiedMemberOutcomeRecorded,
    UnqualifiedMemberTalkedTo,
)
from party.domain.periods import add_months
from party.domain.records import (
    DECISIONS,
    NEXT_STEP,
    OUTCOMES_OF,
    STEP_NAMES,
    PointsRecord,
    Procedure,
    YearRecord,
)
from party.domain.rules import AWARD, PointsRule, RuleBook
from shared.kernel import Aggregate, AlreadyExists, Event, Refused, ResidentId

PROBATIONARY, FULL, LEFT = "probationary", "full", "left"
ADULT_AGE = 18
DEGREE_LEVELS = {"associate": "大专", "bachelor": "本科", "postgraduate": "研究生"}
#: Grading happens at the year's end (年终评议): not before this month of the year.
GRADING_FROM_MONTH = 12


@dataclass(frozen=True, slots=True)
class BranchRef:
    """What a member needs to know of a branch."""

    branch_id: str
    village: str | None


class Member(Aggregate):
    """A party member of one of the town's branches."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.member_id = stream_id
        self.branch_id = ""
        self.village: str | None = None
        self.name = ""
        self.id_number = ""
        self.status = ""
        self.joined_party_on: dt.date | None = None
        self.joined_on: dt.date | None = None
        self.converted_on: dt.date | None = None
        self.left_on: dt.date | None = None
        self.years: dict[int, YearRecord] = {}
        self.procedures: dict[int, Procedure] = {}
        self.record_ids: set[str] = set()
        self.degree: DegreeEducationEnrolled | None = None
        self.transfers: list[MemberTransferred] = []

    def ref(self) -> MemberRef:
        return MemberRef(self.member_id, self.branch_id, self.name, self.status)

    def points(self, year: int, book: RuleBook) -> int:
        """The year's total: the book's base points plus awards minus deductions."""
        return self.years.get(year, YearRecord()).total(book.base_points)

    @property
    def open_procedure(self) -> Procedure | None:
        return next((p for p in self.procedures.values() if p.open), None)

    # --- register ---------------------------------------------------------------------------

    def join(
        self,
        *,
        branch: BranchRef,
        name: str,
        id_number: ResidentId,
        membership: str,
        joined_party_on: dt.date,
        on: dt.date,
        book: RuleBook,
    ) -> None:
        if self.exists:
            raise AlreadyExists(f"党员 {self.member_id} 已登记 (already registered)")
        if membership not in (PROBATIONARY, FULL):
            raise Refused(f"党员身份 {membership} 无效 (probationary or full)")
        if not name.strip():
            raise Refused("姓名不能为空 (name required)")
        if joined_party_on > on:
            raise Refused("入党日期不能晚于登记日期 (admission after the registration day)")
        if add_months(id_number.birth_date, 12 * ADULT_AGE) > joined_party_on:
            raise Refused("入党时须年满十八岁 (a member must be 18 when admitted)")
        if membership == FULL and add_months(joined_party_on, book.probation_months) > on:
            raise Refused(
                f"入党未满 {book.probation_months} 个月，只能登记为预备党员 (still on probation)"
            )
        self._record(
            MemberJoined(
                member_id=self.member_id,
                branch_id=branch.branch_id,
                name=name.strip(),
                village=branch.village,
                id_number=id_number.value,
                membership=membership,
                joined_party_on=joined_party_on,
                joined_on=on,
            )
        )

    def convert(self, *, on: dt.date, book: RuleBook) -> None:
        self._active(on)
        if self.status != PROBATIONARY:
            raise Refused(f"{self.name} 不是预备党员 (not probationary)")
        assert self.joined_party_on is not None
        due = add_months(self.joined_party_on, book.probation_months)
        if on < due:
            raise Refused(f"预备期到 {due} 才满 (probation ends on {due})")
        if self.open_procedure is not None:
            raise Refused("不合格党员处置程序未结束，不能转正 (unqualified procedure open)")
        points = self.points(on.year, book)
        if book.conversion_min_points is not None and points < book.conversion_min_points:
            raise Refused(
                f"{on.year} 年积分 {points} 低于转正要求 {book.conversion_min_points} "
                f"(points below the conversion threshold)"
            )
        self._record(
            MemberConverted(
                member_id=self.member_id,
                branch_id=self.branch_id,
                converted_on=on,
                year=on.year,
                points=points,
            )
        )

    def transfer(self, *, to: BranchRef, on: dt.date, book: RuleBook, is_secretary: bool) -> None:
        self._active(on)
        if to.branch_id == self.branch_id:
            raise Refused("转入支部与现支部相同 (same branch)")
        if is_secretary:
            raise Refused("支部书记须先免职再转接组织关系 (the branch secretary cannot transfer)")
        if book.transfer_blocked_while_unqualified and self.open_procedure is not None:
            raise Refused("不合格党员处置程序未结束，暂停组织关系转接 (unqualified procedure open)")
        points = self.points(on.year, book)
        if book.transfer_min_points is not None and points < book.transfer_min_points:
            raise Refused(
                f"{on.year} 年积分 {points} 低于转接要求 {book.transfer_min_points} "
                "(points below the transfer threshold)"
            )
        self._record(
            MemberTransferred(
                member_id=self.member_id,
                from_branch_id=self.branch_id,
                to_branch_id=to.branch_id,
                to_village=to.village,
                transferred_on=on,
                year=on.year,
                points=points,
            )
        )

    def enrol_in_degree_education(self, *, institution: str, level: str, on: dt.date) -> None:
        self._active(on)
        if level not in DEGREE_LEVELS:
            raise Refused(f"学历层次 {level} 无效 (associate, bachelor or postgraduate)")
        if self.degree is not None:
            raise AlreadyExists(f"{self.name} 已选派参加学历教育 (already enrolled)")
        self._record(
            DegreeEducationEnrolled(
                member_id=self.member_id, institution=institution, level=level, enrolled_on=on
            )
        )

    # --- points (积分) ----------------------------------------------------------------------

    def record_points(
        self,
        *,
        record_id: str,
        rule: PointsRule,
        quantity: int,
        evidence: str,
        on: dt.date,
        book: RuleBook,
        case_id: str | None = None,
    ) -> None:
        self._active(on)
        if record_id in self.record_ids:
            raise AlreadyExists(f"积分记录 {record_id} 已登记 (already recorded)")
        if quantity < 1:
            raise Refused("次数至少为 1 (quantity must be at least 1)")
        if not evidence.strip():
            raise Refused("积分须附依据 (evidence required)")
        year = self.years.get(on.year, YearRecord())
        if year.graded is not None:
            raise Refused(f"{on.year} 年度已评定等次，不能再记分 (the year is graded)")
        points = rule.points * quantity
        so_far = year.by_rule.get(rule.code, 0)
        if rule.cap_per_year is not None and so_far + points > rule.cap_per_year:
            raise Refused(
                f"规则 {rule.code} 每年上限 {rule.cap_per_year} 分，本年已记 {so_far} 分 "
                f"(yearly cap reached: {rule.cap_per_year - so_far} left)"
            )
        fields: dict[str, Any] = {
            "member_id": self.member_id,
            "record_id": record_id,
            "rule_code": rule.code,
            "rule_book": book.version,
            "points": points,
            "quantity": quantity,
            "year": on.year,
            "evidence": evidence.strip(),
            "recorded_on": on,
        }
        if rule.kind == AWARD:
            self._record(PointsAwarded(**fields))
        else:
            self._record(PointsDeducted(**fields, case_id=case_id))

    def grade(self, *, year: int, on: dt.date, book: RuleBook) -> None:
        """The year-end grading; a year below the threshold opens the 不合格党员 procedure."""
        if self.status == LEFT:
            raise Refused(f"{self.name} 已出党 (left the party)")
        record = self.years.get(year, YearRecord())
        if record.graded is not None:
            raise AlreadyExists(f"{self.name} {year} 年度已评定为{record.graded.level_name}")
        if on < dt.date(year, GRADING_FROM_MONTH, 1):
            raise Refused(
                f"{year} 年度评定须在 {year} 年 {GRADING_FROM_MONTH} 月以后进行 (too early)"
            )
        assert self.joined_on is not None
        if self.joined_on.year > year:
            raise Refused(f"{self.name} {year} 年尚未登记 (not a member that year)")
        points = record.total(book.base_points)
        level = book.grade(points)
        self._record(
            MemberGraded(
                member_id=self.member_id,
                year=year,
                points=points,
                level=level.code,
                level_name=level.name,
                rule_book=book.version,
                graded_on=on,
            )
        )
        if level.unqualified:
            self._record(
                UnqualifiedMemberIdentified(
                    member_id=self.member_id, year=year, points=points, identified_on=on
                )
            )

    # --- 不合格党员处置 -----------------------------------------------------------------------

    def talk(self, *, year: int, talked_by: str, summary: str, on: dt.date) -> None:
        self._step(year, "talk", on)
        self._record(
            UnqualifiedMemberTalkedTo(
                member_id=self.member_id,
                year=year,
                talked_by=talked_by,
                summary=summary,
                talked_on=on,
            )
        )

    def decide(self, *, year: int, decision: str, summary: str, on: dt.date) -> None:
        if decision not in DECISIONS:
            raise Refused(
                f"处置决定 {decision} 无效，应为 {', '.join(DECISIONS)} (unknown decision)"
            )
        self._step(year, "decision", on)
        self._record(
            UnqualifiedMemberDecisionTaken(
                member_id=self.member_id,
                year=year,
                decision=decision,
                summary=summary,
                decided_on=on,
            )
        )

    def record_outcome(self, *, year: int, outcome: str, summary: str, on: dt.date) -> None:
        procedure = self._step(year, "outcome", on)
        assert procedure.decision is not None
        if outcome not in OUTCOMES_OF[procedure.decision]:
            allowed = ", ".join(OUTCOMES_OF[procedure.decision])
            raise Refused(
                f"处置决定为{DECISIONS[procedure.decision]}，结果只能是 {allowed} (outcome)"
            )
        self._record(
            UnqualifiedMemberOutcomeRecorded(
                member_id=self.member_id,
                year=year,
                outcome=outcome,
                summary=summary,
                recorded_on=on,
            )
        )

    def _step(self, year: int, step: str, on: dt.date) -> Procedure:
        procedure = self.procedures.get(year)
        if procedure is None:
            raise Refused(f"{self.name} {year} 年度未被认定为不合格党员 (no procedure)")
        expected = NEXT_STEP[step]
        if procedure.step != expected:
            raise Refused(
                f"处置程序当前为「{STEP_NAMES[procedure.step]}」，不能进行此步骤 (out of order)"
            )
        if procedure.last_on is not None and on < procedure.last_on:
            raise Refused(f"日期不能早于上一步骤 {procedure.last_on} (before the previous step)")
        return procedure

    def _active(self, on: dt.date) -> None:
        if not self.exists:
            raise Refused(f"党员 {self.member_id} 不存在 (unknown member)")
        if self.status == LEFT:
            raise Refused(f"{self.name} 已出党 (left the party)")
        assert self.joined_on is not None
        if on < self.joined_on:
            raise Refused(f"日期早于登记日期 {self.joined_on} (before the member was registered)")

    # --- state ------------------------------------------------------------------------------

    def _apply(self, event: Event) -> None:
        match event:
            case MemberJoined():
                self.branch_id, self.village = event.branch_id, event.village
                self.name, self.id_number = event.name, event.id_number
                self.status = event.membership
                self.joined_party_on, self.joined_on = event.joined_party_on, event.joined_on
            case MemberConverted():
                self.status, self.converted_on = FULL, event.converted_on
            case MemberTransferred():
                self.branch_id, self.village = event.to_branch_id, event.to_village
                self.transfers.append(event)
            case PointsAwarded() | PointsDeducted():
                self._apply_points(event)
            case MemberGraded():
                self.years.setdefault(event.year, YearRecord()).graded = event
            case UnqualifiedMemberIdentified():
                self.procedures[event.year] = Procedure(
                    event.year, event.points, event.identified_on, last_on=event.identified_on
                )
            case UnqualifiedMemberTalkedTo():
                procedure = self.procedures[event.year]
                procedure.step, procedure.last_on = "talked", event.talked_on
                procedure.talked_by = event.talked_by
            case UnqualifiedMemberDecisionTaken():
                procedure = self.procedures[event.year]
                procedure.step, procedure.last_on = "decided", event.decided_on
                procedure.decision = event.decision
            case UnqualifiedMemberOutcomeRecorded():
                procedure = self.procedures[event.year]
                procedure.step, procedure.last_on = "concluded", event.recorded_on
                procedure.outcome = event.outcome
                if event.outcome in ("withdrew", "removed"):
                    self.status, self.left_on = LEFT, event.recorded_on
            case DegreeEducationEnrolled():
                self.degree = event
            case _:
                raise TypeError(f"Member cannot apply {type(event).__name__}")

    def _apply_points(self, event: PointsAwarded | PointsDeducted) -> None:
        year = self.years.setdefault(event.year, YearRecord())
        year.by_rule[event.rule_code] = year.by_rule.get(event.rule_code, 0) + event.points
        deduction = isinstance(event, PointsDeducted)
        if deduction:
            year.deductions += event.points
        else:
            year.awards += event.points
        year.records.append(
            PointsRecord(
                record_id=event.record_id,
                rule_code=event.rule_code,
                points=-event.points if deduction else event.points,
                quantity=event.quantity,
                recorded_on=event.recorded_on,
                evidence=event.evidence,
                case_id=event.case_id if isinstance(event, PointsDeducted) else None,
            )
        )
        self.record_ids.add(event.record_id)
