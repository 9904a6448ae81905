"""A fund programme (惠农涉农资金项目): its money, allocations to villages, disbursements to
beneficiaries, other spending, changes and public notices (公示).

The programme refuses what cannot be booked (more money than allocated, a notice shorter than
the minimum); what can be booked but breaks a rule (late, short, unapproved ...) is recorded
and judged by `funds.domain.rules`, which raises red flags.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from funds.domain import events as ev
from funds.domain.values import BeneficiaryRule, Purpose, SourceLevel
from shared.kernel import Aggregate, AlreadyExists, Event, NotFound, Refused

#: A public notice of beneficiaries runs at least this long (公示期不少于7天).
MIN_NOTICE_DAYS = 7


@dataclass(frozen=True, slots=True)
class Disbursement:
    """One payment to a beneficiary."""

    disbursement_id: str
    voucher_no: str
    village: str
    kind: str
    name: str
    id_number: str
    household_id: str | None
    amount: Decimal
    entitled_amount: Decimal | None
    paid_on: dt.date


@dataclass(frozen=True, slots=True)
class Expenditure:
    """Programme money spent other than to a beneficiary."""

    expenditure_id: str
    village: str | None
    amount: Decimal
    purpose_code: str
    payee: str
    description: str
    spent_on: dt.date


@dataclass(slots=True)
class Notice:
    """A public notice (公示) and the objections it drew."""

    notice_id: str
    village: str | None
    title: str
    opened_on: dt.date
    ends_on: dt.date
    objections: list[ev.PublicNoticeObjectionRecorded] = field(default_factory=list)
    closed_on: dt.date | None = None
    outcome: str = ""

    def covers(self, village: str) -> bool:
        return self.village is None or self.village == village


class Programme(Aggregate):
    """A fund programme; stream `programme-<programme_id>`."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.programme_id = ""
        self.code = ""
        self.name = ""
        self.source_level = ""
        self.amount = Decimal(0)
        self.purpose = ""
        self.purpose_code = ""
        self.beneficiary_rule = ""
        self.standard_amount: Decimal | None = None
        self.min_age: int | None = None
        self.max_age: int | None = None
        self.planned_start = dt.date.min
        self.deadline = dt.date.min
        self.village: str | None = None
        self.created_on = dt.date.min
        self.exclusive_with: set[str] = set()
        self.allocations: dict[str, Decimal] = {}
        self.allocation_ids: set[str] = set()
        self.started_on: dt.date | None = None
        self.disbursements: dict[str, Disbursement] = {}
        self.vouchers: set[str] = set()
        self.expenditures: dict[str, Expenditure] = {}
        self.changes: list[ev.ProgrammeChangeRecorded] = []
        self.notices: dict[str, Notice] = {}
        self.used_by_village: dict[str, Decimal] = {}
        self.used = Decimal(0)

    # --- decisions ---------------------------------------------------------------------

    def create(self, event: ev.ProgrammeCreated) -> None:
        """Set the programme up; its code must be new, its numbers consistent."""
        if self.exists:
            raise AlreadyExists(f"项目编号 {event.code} 已存在 (programme already exists)")
        for value, kind, label in (
            (event.source_level, SourceLevel, "资金来源层级"),
            (event.purpose_code, Purpose, "资金用途"),
            (event.beneficiary_rule, BeneficiaryRule, "发放对象条件"),
        ):
            if value not in {m.value for m in kind}:
                raise Refused(f"{label}无效 (unknown value): {value}")
        if event.amount <= 0:
            raise Refused("项目资金总额必须大于零 (amount must be positive)")
        if event.disbursement_deadline < event.planned_start:
            raise Refused("发放期限不能早于计划启动日期 (deadline before planned start)")
        if event.standard_amount is not None and not 0 < event.standard_amount <= event.amount:
            raise Refused("发放标准必须大于零且不超过项目总额 (standard amount out of range)")
        low, high = event.min_age, event.max_age
        if low is not None and high is not None and low > high:
            raise Refused("最低年龄不能高于最高年龄 (min_age above max_age)")
        if event.programme_id in event.exclusive_with:
            raise Refused("项目不能与自身互斥 (a programme cannot exclude itself)")
        self._record(event)

    def declare_exclusive(self, other_programme_id: str, on: dt.date) -> None:
        """No one may be paid by both programmes; idempotent."""
        if other_programme_id == self.programme_id:
            raise Refused("项目不能与自身互斥 (a programme cannot exclude itself)")
        if other_programme_id not in self.exclusive_with:
            self._record(
                ev.ProgrammeExclusivityDeclared(
                    programme_id=self.programme_id,
                    other_programme_id=other_programme_id,
                    declared_on=on,
                )
            )

    def allocate(self, allocation_id: str, village: str, amount: Decimal, on: dt.date) -> None:
        """Allocate money to a village, within the programme's total."""
        if allocation_id in self.allocation_ids:
            raise AlreadyExists(f"资金分配 {allocation_id} 已登记 (allocation already recorded)")
        if amount <= 0:
            raise Refused("分配金额必须大于零 (amount must be positive)")
        if self.village is not None and village != self.village:
            raise Refused(f"本项目为{self.village}项目，不能分配给{village}")
        allocated = sum(self.allocations.values(), Decimal(0))
        if allocated + amount > self.amount:
            raise Refused(
                f"分配总额将超过项目资金 {self.amount} 元（已分配 {allocated} 元）"
                " (allocations would exceed the programme's amount)"
            )
        self._record(
            ev.FundsAllocated(
                programme_id=self.programme_id,
                allocation_id=allocation_id,
                village=village,
                amount=amount,
                allocated_on=on,
            )
        )

    def start(self, on: dt.date) -> None:
        """Start the programme (项目启动)."""
        if self.started_on is not None:
            raise AlreadyExists(f"项目已于 {self.started_on} 启动 (already started)")
        if on < self.created_on:
            raise Refused("启动日期不能早于项目设立日期 (start before creation)")
        self._record(ev.ProgrammeStarted(programme_id=self.programme_id, started_on=on))

    def disburse(self, event: ev.DisbursementRecorded) -> Disbursement:
        """Pay a beneficiary out of the village's allocation."""
        if event.disbursement_id in self.disbursements or event.voucher_no in self.vouchers:
            raise AlreadyExists(f"发放凭证 {event.voucher_no} 已登记 (voucher already recorded)")
        if event.paid_on < self.created_on:
            raise Refused("发放日期早于项目设立日期 (paid before the programme existed)")
        self._check_within_allocation(event.village, event.amount)
        self._record(event)
        return self.disbursements[event.disbursement_id]

    def spend(self, event: ev.ExpenditureRecorded) -> Expenditure:
        """Book spending other than to a beneficiary (contractors, materials ...)."""
        if event.expenditure_id in self.expenditures:
            raise AlreadyExists(
                f"支出 {event.expenditure_id} 已登记 (expenditure already recorded)"
            )
        if event.purpose_code not in {p.value for p in Purpose}:
            raise Refused(f"资金用途无效 (unknown purpose): {event.purpose_code}")
        if event.spent_on < self.created_on:
            raise Refused("支出日期早于项目设立日期 (spent before the programme existed)")
        if event.village is not None:
            self._check_within_allocation(event.village, event.amount)
        elif self.used + event.amount > self.amount:
            raise Refused(f"支出将超过项目资金 {self.amount} 元 (exceeds the programme's amount)")
        self._record(event)
        return self.expenditures[event.expenditure_id]

    def record_change(
        self,
        *,
        change_id: str,
        aspect: str,
        description: str,
        new_purpose_code: str | None,
        approval_document: str | None,
        approved_by: str | None,
        approved_on: dt.date | None,
        changed_on: dt.date,
    ) -> ev.ProgrammeChangeRecorded:
        """Record a change. It counts as approved only with an approval document dated on or
        before the change; an approved purpose change moves the programme's purpose."""
        if any(c.change_id == change_id for c in self.changes):
            raise AlreadyExists(f"变更 {change_id} 已登记 (change already recorded)")
        if new_purpose_code is not None and new_purpose_code not in {p.value for p in Purpose}:
            raise Refused(f"资金用途无效 (unknown purpose): {new_purpose_code}")
        approved = bool(approval_document) and approved_on is not None and approved_on <= changed_on
        event = ev.ProgrammeChangeRecorded(
            programme_id=self.programme_id,
            change_id=change_id,
            aspect=aspect,
            description=description,
            new_purpose_code=new_purpose_code,
            approved=approved,
            approval_document=approval_document or None,
            approved_by=approved_by,
            approved_on=approved_on,
            changed_on=changed_on,
        )
        self._record(event)
        return event

    def open_notice(
        self, notice_id: str, village: str | None, title: str, opened_on: dt.date, ends_on: dt.date
    ) -> None:
        """Post a public notice (公示) of at least `MIN_NOTICE_DAYS` days."""
        if notice_id in self.notices:
            raise AlreadyExists(f"公示 {notice_id} 已登记 (notice already recorded)")
        if ends_on < opened_on + dt.timedelta(days=MIN_NOTICE_DAYS):
            raise Refused(f"公示期不少于{MIN_NOTICE_DAYS}天 (a notice runs at least 7 days)")
        self._record(
            ev.PublicNoticeOpened(
                programme_id=self.programme_id,
                notice_id=notice_id,
                village=village,
                title=title,
                opened_on=opened_on,
                ends_on=ends_on,
            )
        )

    def record_objection(
        self, notice_id: str, objection_id: str, summary: str, received_on: dt.date
    ) -> None:
        """Record an objection to an open notice."""
        notice = self.notice(notice_id)
        if any(o.objection_id == objection_id for o in notice.objections):
            raise AlreadyExists(f"异议 {objection_id} 已登记 (objection already recorded)")
        if notice.closed_on is not None:
            raise Refused(f"公示已于 {notice.closed_on} 结束 (the notice is closed)")
        if received_on < notice.opened_on:
            raise Refused("异议日期早于公示开始 (objection before the notice opened)")
        self._record(
            ev.PublicNoticeObjectionRecorded(
                programme_id=self.programme_id,
                notice_id=notice_id,
                objection_id=objection_id,
                summary=summary,
                received_on=received_on,
            )
        )

    def close_notice(self, notice_id: str, closed_on: dt.date, outcome: str) -> None:
        """End the notice, not before its announced end."""
        notice = self.notice(notice_id)
        if notice.closed_on is not None:
            raise AlreadyExists(f"公示已于 {notice.closed_on} 结束 (already closed)")
        if closed_on < notice.ends_on:
            raise Refused(f"公示期未满，应至 {notice.ends_on} (the notice runs until its end)")
        self._record(
            ev.PublicNoticeClosed(
                programme_id=self.programme_id,
                notice_id=notice_id,
                closed_on=closed_on,
                objections=len(notice.objections),
                outcome=outcome,
            )
        )

    # --- queries -------------------------------------------------------------------------

    def notice(self, notice_id: str) -> Notice:
        try:
            return self.notices[notice_id]
        except KeyError:
            raise NotFound(f"公示 {notice_id} 不存在 (no such notice)") from None

    @property
    def start_date(self) -> dt.date | None:
        """When work began: the start, or the first payment or spending if earlier."""
        dates = [d.paid_on for d in self.disbursements.values()]
        dates += [e.spent_on for e in self.expenditures.values()]
        if self.started_on is not None:
            dates.append(self.started_on)
        return min(dates) if dates else None

    def unspent_by_village(self) -> dict[str, Decimal]:
        """Allocated money not yet paid out or spent, per village."""
        return {
            village: amount - self.used_by_village.get(village, Decimal(0))
            for village, amount in sorted(self.allocations.items())
            if amount > self.used_by_village.get(village, Decimal(0))
        }

    def _check_within_allocation(self, village: str, amount: Decimal) -> None:
        if amount <= 0:
            raise Refused("金额必须大于零 (amount must be positive)")
        allocated = self.allocations.get(village)
        if allocated is None:
            raise Refused(f"{village}未分配本项目资金 (no allocation to this village)")
        used = self.used_by_village.get(village, Decimal(0))
        if used + amount > allocated:
            raise Refused(
                f"超出{village}分配额度：已分配 {allocated} 元，已使用 {used} 元"
                " (exceeds the village's allocation)"
            )

    # --- state ---------------------------------------------------------------------------

    def _apply(self, event: Event) -> None:
        match event:
            case ev.ProgrammeCreated():
                self.programme_id, self.code, self.name = event.programme_id, event.code, event.name
                self.source_level, self.amount = event.source_level, event.amount
                self.purpose, self.purpose_code = event.purpose, event.purpose_code
                self.beneficiary_rule = event.beneficiary_rule
                self.standard_amount = event.standard_amount
                self.min_age, self.max_age = event.min_age, event.max_age
                self.planned_start = event.planned_start
                self.deadline = event.disbursement_deadline
                self.village, self.created_on = event.village, event.created_on
                self.exclusive_with = set(event.exclusive_with)
            case ev.ProgrammeExclusivityDeclared():
                self.exclusive_with.add(event.other_programme_id)
            case ev.FundsAllocated():
                self.allocation_ids.add(event.allocation_id)
                self.allocations[event.village] = (
                    self.allocations.get(event.village, Decimal(0)) + event.amount
                )
            case ev.ProgrammeStarted():
                self.started_on = event.started_on
            case ev.DisbursementRecorded():
                self.disbursements[event.disbursement_id] = Disbursement(
                    event.disbursement_id,
                    event.voucher_no,
                    event.village,
                    event.beneficiary_kind,
                    event.beneficiary_name,
                    event.beneficiary_id_number,
                    event.household_id,
                    event.amount,
                    event.entitled_amount,
                    event.paid_on,
                )
                self.vouchers.add(event.voucher_no)
                self._use(event.village, event.amount)
            case ev.ExpenditureRecorded():
                self.expenditures[event.expenditure_id] = Expenditure(
                    event.expenditure_id,
                    event.village,
                    event.amount,
                    event.purpose_code,
                    event.payee,
                    event.description,
                    event.spent_on,
                )
                self._use(event.village, event.amount)
            case ev.ProgrammeChangeRecorded():
                self.changes.append(event)
                if event.approved and event.new_purpose_code:
                    self.purpose_code = event.new_purpose_code
            case ev.PublicNoticeOpened():
                self.notices[event.notice_id] = Notice(
                    event.notice_id, event.village, event.title, event.opened_on, event.ends_on
                )
            case ev.PublicNoticeObjectionRecorded():
                self.notices[event.notice_id].objections.append(event)
            case ev.PublicNoticeClosed():
                notice = self.notices[event.notice_id]
                notice.closed_on, notice.outcome = event.closed_on, event.outcome
            case _:
                super()._apply(event)

    def _use(self, village: str | None, amount: Decimal) -> None:
        self.used += amount
        if village is not None:
            self.used_by_village[village] = self.used_by_village.get(village, Decimal(0)) + amount
