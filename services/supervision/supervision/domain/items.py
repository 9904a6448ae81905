"""The plan's three lists and their ledger (问题清单、责任清单、整改清单, 台帐管理, 逐条销号).

An item goes open → in progress → rectified → closed (销号); closing needs evidence; a
rectified or closed item can be reopened with a reason. Overdue is derived from the deadline
and the day asked about.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from shared.kernel import Event, Refused

from .casework import Casework, days_overdue, evidence_list, is_overdue, required
from .events import (
    BranchDesignationLiftNoted,
    ItemClosed,
    ItemListed,
    ItemNoted,
    ItemRectified,
    ItemReopened,
    ItemWorkStarted,
)
from .plan import Plan
from .vocabulary import LISTS, SOURCES, one_of

OPEN, IN_PROGRESS, RECTIFIED, CLOSED = "open", "in_progress", "rectified", "closed"
STATUSES = (OPEN, IN_PROGRESS, RECTIFIED, CLOSED)

_WEAK_BRANCH_NS = uuid.UUID("6f1c1f3e-3f43-4c53-9a59-5a3d0c7e9b10")


def item_stream(item_id: str) -> str:
    """`item-<id>`."""
    return f"item-{item_id}"


@dataclass(frozen=True, slots=True)
class WeakBranchTask:
    """One rectification a weak-branch designation opens (measure 5's "五个一" essentials)."""

    key: str
    title: str
    detail: str


#: Measure 5: a first secretary, a linked leader visiting ≥ 4 times a year, 100 % household visits.
WEAK_BRANCH_TASKS = (
    WeakBranchTask(
        "first-secretary",
        "选派第一书记",
        "继续加大“第一书记”选派力度，确保软弱涣散基层党组织“全覆盖”",
    ),
    WeakBranchTask(
        "leader-visits",
        "联点领导全年到点指导不少于4次",
        "建立领导联系点，联点领导全年到点指导工作、帮助解决问题应不少于4次",
    ),
    WeakBranchTask(
        "household-visits",
        "联系点农户走访面达到100%",
        "选派工作组驻点帮扶整顿，对联系点农户(居民)的走访面达到100%",
    ),
)


def weak_branch_item_id(branch_id: str, period: str, key: str) -> str:
    """The id of a weak branch's rectification item: the same for the same branch, period and
    task, so a redelivered designation finds the items already there."""
    return str(uuid.uuid5(_WEAK_BRANCH_NS, f"{branch_id}\x1f{period}\x1f{key}"))


def weak_branch_deadline(designated_on: dt.date) -> dt.date:
    """A year to rectify (the plan counts the linked leader's visits per year)."""
    try:
        return designated_on.replace(year=designated_on.year + 1)
    except ValueError:  # 29 February
        return designated_on.replace(year=designated_on.year + 1, day=28)


class ListItem(Casework):
    """An item on one of the plan's lists, with its ledger history."""

    PREFIX = "item"
    KIND = "清单事项"

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.item_id = ""
        self.status = ""
        self.listed: ItemListed | None = None
        self.deadline: dt.date | None = None
        self.evidence: tuple[str, ...] = ()
        self.reopen_reasons: list[str] = []
        self.notes: list[tuple[dt.date, str]] = []
        self.designation_lifted_on: dt.date | None = None
        self.closed_on: dt.date | None = None
        self.rectified_on: dt.date | None = None

    # --- commands ---------------------------------------------------------------------------

    def open(
        self,
        *,
        item_id: str,
        list_name: str,
        title: str,
        detail: str,
        source: str,
        measure: int,
        lead_post: str,
        lead_unit: str,
        deadline: dt.date,
        village: str | None,
        on: dt.date,
        plan: Plan,
        branch_id: str | None = None,
        period: str | None = None,
    ) -> None:
        """Enter the item on a list (建账)."""
        if self.exists:
            raise Refused(f"清单事项 {item_id} 已存在 (already listed)")
        plan.measure(measure)
        if deadline < on:
            raise Refused(f"整改时限 {deadline} 早于列入清单日期 {on} (deadline before listing)")
        self._record(
            ItemListed(
                item_id=item_id,
                list_name=one_of(list_name, LISTS, "清单"),
                title=required(title, "事项名称"),
                detail=detail.strip(),
                source=one_of(source, SOURCES, "问题来源"),
                measure=measure,
                lead_post=plan.require_post(lead_post),
                lead_unit=required(lead_unit, "牵头单位"),
                deadline=deadline,
                village=village,
                listed_on=on,
                branch_id=branch_id,
                period=period,
            )
        )

    def start_work(self, on: dt.date, note: str = "") -> None:
        """Start rectifying (整改中)."""
        self._must_be(OPEN, "开始整改")
        self._dated(on)
        self._record(ItemWorkStarted(item_id=self.item_id, started_on=on, note=note.strip()))

    def rectify(self, on: dt.date, summary: str, evidence: tuple[str, ...] = ()) -> None:
        """Report the item rectified (整改到位), saying what was done."""
        self._must_be(IN_PROGRESS, "报告整改到位")
        self._dated(on)
        self._record(
            ItemRectified(
                item_id=self.item_id,
                rectified_on=on,
                summary=required(summary, "整改情况"),
                evidence=evidence_list(evidence),
            )
        )

    def close(self, on: dt.date, evidence: tuple[str, ...] = (), note: str = "") -> None:
        """Strike the item off (销号): only once rectified, and only on evidence."""
        self._must_be(RECTIFIED, "销号")
        self._dated(on)
        relied_on = self.evidence + tuple(
            e for e in evidence_list(evidence) if e not in self.evidence
        )
        if not relied_on:
            raise Refused("销号须有整改佐证材料 (closing needs evidence of the rectification)")
        self._record(
            ItemClosed(item_id=self.item_id, closed_on=on, evidence=relied_on, note=note.strip())
        )

    def reopen(self, on: dt.date, reason: str, new_deadline: dt.date | None = None) -> None:
        """Reopen a rectified or closed item (重新整改), for a reason."""
        if self.status not in (RECTIFIED, CLOSED):
            raise Refused(
                f"只有已整改或已销号的事项才能重新打开，当前状态：{self.status} (cannot reopen)"
            )
        self._dated(on)
        if new_deadline is not None and new_deadline < on:
            raise Refused(f"新的整改时限 {new_deadline} 早于重新打开日期 {on}")
        self._record(
            ItemReopened(
                item_id=self.item_id,
                reopened_on=on,
                reason=required(reason, "重新整改的理由"),
                new_deadline=new_deadline,
            )
        )

    def note(self, on: dt.date, note: str) -> None:
        """Record progress on the ledger (台帐记录)."""
        self._must_exist()
        self._dated(on)
        self._record(ItemNoted(item_id=self.item_id, noted_on=on, note=required(note, "记录内容")))

    def note_designation_lifted(self, branch_id: str, period: str, lifted_on: dt.date) -> bool:
        """Note that the weak-branch designation behind the item was lifted; False if it was
        noted already (a redelivered event) or the item is not that branch's."""
        if self.listed is None or self.listed.branch_id != branch_id:
            return False
        if self.designation_lifted_on is not None:
            return False
        self._record(
            BranchDesignationLiftNoted(
                item_id=self.item_id, branch_id=branch_id, period=period, lifted_on=lifted_on
            )
        )
        return True

    # --- derived ----------------------------------------------------------------------------

    @property
    def done(self) -> bool:
        """Rectified or closed: the lead unit's work is done; it no longer runs late."""
        return self.status in (RECTIFIED, CLOSED)

    def overdue(self, today: dt.date) -> bool:
        """Past its deadline on `today` and not yet rectified (逾期)."""
        return is_overdue(self.deadline, today, done=self.done)

    def days_overdue(self, today: dt.date) -> int:
        return days_overdue(self.deadline, today, done=self.done)

    # --- state ------------------------------------------------------------------------------

    def _must_exist(self) -> None:
        if not self.exists:
            raise Refused("清单事项不存在 (no such item)")

    def _must_be(self, status: str, action: str) -> None:
        self._must_exist()
        if self.status != status:
            raise Refused(f"事项当前状态为 {self.status}，不能{action} (needs status {status})")

    def _apply(self, event: Event) -> None:
        match event:
            case ItemListed():
                self.item_id, self.status, self.listed = event.item_id, OPEN, event
                self.deadline = event.deadline
                self._seen(event.listed_on)
            case ItemWorkStarted():
                self.status = IN_PROGRESS
                self._seen(event.started_on)
            case ItemRectified():
                self.status, self.rectified_on = RECTIFIED, event.rectified_on
                self.evidence += tuple(e for e in event.evidence if e not in self.evidence)
                self._seen(event.rectified_on)
            case ItemClosed():
                self.status, self.closed_on, self.evidence = CLOSED, event.closed_on, event.evidence
                self._seen(event.closed_on)
            case ItemReopened():
                self.status, self.closed_on, self.rectified_on = IN_PROGRESS, None, None
                self.evidence = ()  # the new rectification needs its own evidence
                self.reopen_reasons.append(event.reason)
                if event.new_deadline is not None:
                    self.deadline = event.new_deadline
                self._seen(event.reopened_on)
            case ItemNoted():
                self.notes.append((event.noted_on, event.note))
                self._seen(event.noted_on)
            case BranchDesignationLiftNoted():
                self.designation_lifted_on = event.lifted_on
            case _:
                super()._apply(event)
