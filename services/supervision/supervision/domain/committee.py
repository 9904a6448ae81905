"""A village's affairs supervision committee (村务监督委员会, measure 6 (3)): its members, its
yearly report to the village party organisation and the villagers' representatives' meeting
(每年向村党组织和村民代表会议报告工作), the overdue report, and its findings.

A report for a year is due by 31 January of the next year; a committee with no report by
then is overdue for that year, raised once (`CommitteeReportOverdue`) by the leading group's
check. Only a committee that had members on the due day is held to it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from shared.kernel import Aggregate, AlreadyExists, Event, Refused

from .casework import required
from .events import (
    CommitteeFindingRecorded,
    CommitteeMemberAppointed,
    CommitteeMemberLeft,
    CommitteeReportMade,
    CommitteeReportOverdue,
)
from .vocabulary import COMMITTEE_POSITIONS, one_of

CHAIR = "主任"
_FINDING_ITEM_NS = uuid.UUID("4d2b7e90-8a1c-4c3e-b5f2-7e6a9d1c3b24")


def committee_stream(village_code: str) -> str:
    """`committee-<village_code>`."""
    return f"committee-{village_code}"


def report_due_on(year: int) -> dt.date:
    """The yearly report for `year` is due by 31 January of the next year."""
    return dt.date(year + 1, 1, 31)


def finding_item_id(finding_id: str) -> str:
    """The problem-list item a finding opens (the same for a retried command)."""
    return str(uuid.uuid5(_FINDING_ITEM_NS, finding_id))


@dataclass(slots=True)
class Member:
    """A member as the committee's events say."""

    member_id: str
    name: str
    position: str
    appointed_on: dt.date
    left_on: dt.date | None = None

    def serving(self, day: dt.date) -> bool:
        """In office on `day`."""
        return self.appointed_on <= day and (self.left_on is None or day < self.left_on)


class Committee(Aggregate):
    """One village's affairs supervision committee."""

    KIND = "村务监督委员会"
    #: Its records stand alone (a member, a report, a finding): "as of" a day it holds those
    #: dated by then, whichever was recorded first.
    LEDGER = True

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.village = ""
        self.village_code = ""
        self.members: dict[str, Member] = {}
        self.reports: dict[int, CommitteeReportMade] = {}
        self.overdue_raised: dict[int, CommitteeReportOverdue] = {}
        self.findings: list[CommitteeFindingRecorded] = []

    # --- members -----------------------------------------------------------------------------

    def serving(self, day: dt.date) -> list[Member]:
        """The members in office on `day`, chair first."""
        found = [m for m in self.members.values() if m.serving(day)]
        return sorted(found, key=lambda m: (m.position != CHAIR, m.appointed_on, m.name))

    def established_by(self, day: dt.date) -> bool:
        """True if the committee had a member in office on `day`."""
        return bool(self.serving(day))

    def appoint(
        self,
        *,
        village: str,
        village_code: str,
        member_id: str,
        name: str,
        position: str,
        on: dt.date,
    ) -> None:
        """A member takes office (任职); one chair at a time."""
        if member_id in self.members:
            raise AlreadyExists(f"村务监督委员会成员 {member_id} 已登记 (already appointed)")
        position = one_of(position, COMMITTEE_POSITIONS, "职务")
        if position == CHAIR:
            chair = next((m for m in self.serving(on) if m.position == CHAIR), None)
            if chair is not None:
                raise Refused(
                    f"{village}村务监督委员会主任 {chair.name} 在任，须先离任 "
                    "(the committee has a chair in office)"
                )
        self._record(
            CommitteeMemberAppointed(
                village=village,
                village_code=village_code,
                member_id=member_id,
                name=required(name, "成员姓名"),
                position=position,
                appointed_on=on,
            )
        )

    def leave(self, member_id: str, on: dt.date) -> None:
        """A member leaves office (离任)."""
        member = self.members.get(member_id)
        if member is None:
            raise Refused(f"村务监督委员会没有成员 {member_id} (no such member)")
        if member.left_on is not None:
            raise Refused(f"{member.name} 已于 {member.left_on} 离任 (has left already)")
        if on < member.appointed_on:
            raise Refused(f"离任日期 {on} 早于任职日期 {member.appointed_on} (before appointment)")
        self._record(CommitteeMemberLeft(village=self.village, member_id=member_id, left_on=on))

    # --- the yearly report -------------------------------------------------------------------

    def report(
        self,
        *,
        year: int,
        to_party_organisation: bool,
        to_representatives: bool,
        summary: str,
        on: dt.date,
    ) -> None:
        """The yearly report, to both the party organisation and the representatives."""
        if not (to_party_organisation and to_representatives):
            raise Refused(
                "年度工作报告须同时向村党组织和村民代表会议报告 "
                "(the report goes to the party organisation and the representatives' meeting)"
            )
        if on.year < year:
            raise Refused(f"{year} 年度的工作报告不能早于该年度 ({on}) (reported before the year)")
        if year in self.reports:
            made = self.reports[year]
            raise AlreadyExists(
                f"{self.village}村务监督委员会已于 {made.reported_on} 作出 {year} 年度工作报告 "
                "(one report per year)"
            )
        if not self.established_by(on):
            raise Refused(
                f"{self.village or '该村'}村务监督委员会在 {on} 没有在任成员 "
                "(a committee without members cannot report)"
            )
        self._record(
            CommitteeReportMade(
                village=self.village,
                year=year,
                to_party_organisation=True,
                to_representatives=True,
                summary=required(summary, "报告内容"),
                reported_on=on,
            )
        )

    def reported_in_time(self, year: int) -> bool:
        """True if the report for `year` was made by its due day."""
        made = self.reports.get(year)
        return made is not None and made.reported_on <= report_due_on(year)

    def overdue(self, year: int, day: dt.date) -> bool:
        """On `day`, the report for `year` is past due and was not made in time, and the
        committee had members on the due day (derived; the check records it once)."""
        due = report_due_on(year)
        return day > due and self.established_by(due) and not self.reported_in_time(year)

    def check_report(self, year: int, on: dt.date) -> bool:
        """Raise the overdue report for `year`, once; True if raised now."""
        if year in self.overdue_raised or not self.overdue(year, on):
            return False
        self._record(
            CommitteeReportOverdue(
                village=self.village, year=year, due_on=report_due_on(year), found_on=on
            )
        )
        return True

    # --- findings ----------------------------------------------------------------------------

    def record_finding(self, *, finding_id: str, title: str, detail: str, on: dt.date) -> str:
        """A problem the committee found (监督发现问题); the id of the problem-list item it
        opens."""
        if any(f.finding_id == finding_id for f in self.findings):
            raise AlreadyExists(f"监督发现 {finding_id} 已登记 (already recorded)")
        if not self.established_by(on):
            raise Refused(
                f"{self.village or '该村'}村务监督委员会在 {on} 没有在任成员 "
                "(a committee without members cannot record a finding)"
            )
        item_id = finding_item_id(finding_id)
        self._record(
            CommitteeFindingRecorded(
                village=self.village,
                finding_id=finding_id,
                title=required(title, "问题"),
                detail=detail.strip(),
                item_id=item_id,
                found_on=on,
            )
        )
        return item_id

    def _apply(self, event: Event) -> None:
        match event:
            case CommitteeMemberAppointed():
                self.village, self.village_code = event.village, event.village_code
                self.members[event.member_id] = Member(
                    event.member_id, event.name, event.position, event.appointed_on
                )
            case CommitteeMemberLeft():
                self.members[event.member_id].left_on = event.left_on
            case CommitteeReportMade():
                self.reports[event.year] = event
            case CommitteeReportOverdue():
                self.overdue_raised[event.year] = event
            case CommitteeFindingRecorded():
                self.findings.append(event)
            case _:
                super()._apply(event)
