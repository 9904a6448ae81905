"""Party branches (党支部) and the rectification of weak and lax ones (软弱涣散整顿, measure 5).

A village or community branch belongs to a village/community of the town; organ and
enterprise branches may name where they sit. A designation comes from an assessment
(`assessment.py`); while designated, the branch gets a first secretary (第一书记), a linked
leader (联点领导) who visits at least four times in the year after the designation, and the
households of the point are all visited (走访面 100 %). A later assessment lifts it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from party.domain.events import (
    BranchDesignatedWeak,
    BranchDesignationLifted,
    BranchEstablished,
    BranchSecretaryAppointed,
    FirstSecretaryAssigned,
    HouseholdVisitsRecorded,
    LeaderVisitRecorded,
    LinkedLeaderAssigned,
)
from party.domain.periods import one_year_after, period_key
from shared.kernel import Aggregate, Event, Refused

KINDS = {
    "village": "村党支部",
    "community": "社区党支部",
    "organ": "机关党支部",
    "enterprise": "企业党支部",
}
#: Branch kinds that are the branch of their village or community (one each).
TERRITORIAL = ("village", "community")
LEADER_VISITS_A_YEAR = 4


@dataclass(frozen=True, slots=True)
class VillageRef:
    """A village (村) or community (社区) of the town, as the reference data names it."""

    code: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class MemberRef:
    """What a branch needs to know of a member."""

    member_id: str
    branch_id: str
    name: str
    status: str


@dataclass(slots=True)
class Rectification:
    """The rectification of one designation."""

    period: str
    designated_on: dt.date
    score: Decimal
    rank: int
    first_secretary: tuple[str, str] | None = None
    linked_leader: tuple[str, str] | None = None
    visits: list[dt.date] = field(default_factory=list)
    households_total: int = 0
    households_visited: int = 0
    lifted_on: dt.date | None = None
    lifted_by_period: str | None = None

    @property
    def visits_in_first_year(self) -> int:
        end = one_year_after(self.designated_on)
        return sum(1 for v in self.visits if self.designated_on <= v < end)

    @property
    def household_coverage_percent(self) -> Decimal:
        if self.households_total == 0:
            return Decimal(0)
        share = Decimal(100 * self.households_visited) / Decimal(self.households_total)
        return share.quantize(Decimal("0.1"))

    @property
    def complete(self) -> bool:
        """First secretary, linked leader, ≥ 4 visits in the year, every household visited."""
        return (
            self.first_secretary is not None
            and self.linked_leader is not None
            and self.visits_in_first_year >= LEADER_VISITS_A_YEAR
            and self.households_total > 0
            and self.households_visited >= self.households_total
        )


class Branch(Aggregate):
    """A party branch."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.branch_id = stream_id
        self.name = ""
        self.kind = ""
        self.village: str | None = None
        self.village_code: str | None = None
        self.established_on: dt.date | None = None
        self.secretary: tuple[str, str] | None = None  # member id, name
        self.designations: list[Rectification] = []

    @property
    def current(self) -> Rectification | None:
        """The designation in force, if any."""
        if self.designations and self.designations[-1].lifted_on is None:
            return self.designations[-1]
        return None

    def establish(self, *, name: str, kind: str, village: VillageRef | None, on: dt.date) -> None:
        if self.exists:
            raise Refused(f"党支部 {self.branch_id} 已存在 (already established)")
        if kind not in KINDS:
            raise Refused(f"党支部类别 {kind} 无效，应为 {', '.join(KINDS)} (unknown kind)")
        if not name.strip():
            raise Refused("党支部名称不能为空 (name required)")
        if kind in TERRITORIAL:
            if village is None:
                raise Refused(f"{KINDS[kind]}须属于本镇的村/社区 (village required)")
            if village.kind != kind:
                raise Refused(f"{village.name} 不是{'村' if kind == 'village' else '社区'} (kind)")
        self._record(
            BranchEstablished(
                branch_id=self.branch_id,
                name=name.strip(),
                kind=kind,
                village=village.name if village else None,
                village_code=village.code if village else None,
                established_on=on,
            )
        )

    def appoint_secretary(self, member: MemberRef, on: dt.date) -> None:
        if member.branch_id != self.branch_id:
            raise Refused(f"党员 {member.member_id} 不属于本支部 (not a member of this branch)")
        if member.status != "full":
            raise Refused("支部书记须由正式党员担任 (the secretary must be a full member)")
        if self.secretary and self.secretary[0] == member.member_id:
            raise Refused(f"{member.name} 已是本支部书记 (already the secretary)")
        self._record(
            BranchSecretaryAppointed(
                branch_id=self.branch_id,
                member_id=member.member_id,
                name=member.name,
                appointed_on=on,
            )
        )

    # --- designation (软弱涣散) -------------------------------------------------------------

    def designate_weak(
        self, *, period: str, score: Decimal, rank: int, assessed: int, share: Decimal, on: dt.date
    ) -> None:
        latest = self.designations[-1] if self.designations else None
        if latest and period_key(latest.lifted_by_period or latest.period) >= period_key(period):
            raise Refused(f"{self.name} 已有 {period} 或更晚考核期的认定 (a later period decided)")
        self._record(
            BranchDesignatedWeak(
                branch_id=self.branch_id,
                branch_name=self.name,
                village=self.village,
                period=period,
                score=score,
                rank=rank,
                branches_assessed=assessed,
                weak_share_percent=share,
                designated_on=on,
            )
        )

    def lift_designation(self, *, by_period: str, score: Decimal, rank: int, on: dt.date) -> None:
        current = self._designated()
        if period_key(by_period) <= period_key(current.period):
            raise Refused(f"只有 {current.period} 以后的考核才能摘帽 (only a later assessment)")
        self._record(
            BranchDesignationLifted(
                branch_id=self.branch_id,
                period=current.period,
                lifted_by_period=by_period,
                score=score,
                rank=rank,
                rectification_complete=current.complete,
                lifted_on=on,
            )
        )

    def assign_first_secretary(self, *, name: str, unit: str, on: dt.date) -> None:
        current = self._designated(on)
        self._record(
            FirstSecretaryAssigned(
                branch_id=self.branch_id,
                period=current.period,
                name=name,
                unit=unit,
                assigned_on=on,
            )
        )

    def assign_linked_leader(self, *, leader_name: str, post: str, on: dt.date) -> None:
        current = self._designated(on)
        self._record(
            LinkedLeaderAssigned(
                branch_id=self.branch_id,
                period=current.period,
                leader_name=leader_name,
                post=post,
                assigned_on=on,
            )
        )

    def record_leader_visit(self, *, leader_name: str, summary: str, on: dt.date) -> None:
        current = self._designated(on)
        if current.linked_leader is None:
            raise Refused("尚未确定联点领导 (no linked leader assigned yet)")
        if current.linked_leader[0] != leader_name:
            raise Refused(
                f"{leader_name} 不是本支部的联点领导 ({current.linked_leader[0]}) (not the leader)"
            )
        self._record(
            LeaderVisitRecorded(
                branch_id=self.branch_id,
                period=current.period,
                leader_name=leader_name,
                summary=summary,
                visited_on=on,
            )
        )

    def record_household_visits(self, *, total: int, visited: int, on: dt.date) -> None:
        current = self._designated(on)
        if total <= 0 or not 0 <= visited <= total:
            raise Refused("走访户数须在 0 与联系点总户数之间 (0 ≤ visited ≤ total, total > 0)")
        self._record(
            HouseholdVisitsRecorded(
                branch_id=self.branch_id,
                period=current.period,
                households_total=total,
                households_visited=visited,
                recorded_on=on,
            )
        )

    def _designated(self, on: dt.date | None = None) -> Rectification:
        current = self.current
        if current is None:
            raise Refused(f"{self.name} 未被认定为软弱涣散党组织 (not designated weak)")
        if on is not None and on < current.designated_on:
            raise Refused(f"日期早于认定日期 {current.designated_on} (before the designation)")
        return current

    # --- state ------------------------------------------------------------------------------

    def _apply(self, event: Event) -> None:
        match event:
            case BranchEstablished():
                self.name, self.kind = event.name, event.kind
                self.village, self.village_code = event.village, event.village_code
                self.established_on = event.established_on
            case BranchSecretaryAppointed():
                self.secretary = (event.member_id, event.name)
            case BranchDesignatedWeak():
                self.designations.append(
                    Rectification(event.period, event.designated_on, event.score, event.rank)
                )
                if len(self.designations) > 1 and self.designations[-2].lifted_on is None:
                    previous = self.designations[-2]  # carried on by the new designation
                    latest = self.designations[-1]
                    latest.first_secretary = previous.first_secretary
                    latest.linked_leader = previous.linked_leader
            case BranchDesignationLifted():
                current = self.designations[-1]
                current.lifted_on, current.lifted_by_period = (
                    event.lifted_on,
                    event.lifted_by_period,
                )
            case FirstSecretaryAssigned():
                self.designations[-1].first_secretary = (event.name, event.unit)
            case LinkedLeaderAssigned():
                self.designations[-1].linked_leader = (event.leader_name, event.post)
            case LeaderVisitRecorded():
                self.designations[-1].visits.append(event.visited_on)
            case HouseholdVisitsRecorded():
                current = self.designations[-1]
                current.households_total = event.households_total
                current.households_visited = event.households_visited
            case _:
                raise TypeError(f"Branch cannot apply {type(event).__name__}")
