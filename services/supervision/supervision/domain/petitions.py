"""Petition cases (信访, measure 7): received, classified into the focus areas, a special
team (专班) formed and a leader put in charge (包案), resolved, struck off (销号), reopened;
a repeat petition is linked to the earlier case."""

from __future__ import annotations

import datetime as dt

from shared.kernel import PETITION_CLOSED, Event, Refused, petition_in_backlog

from .casework import Casework, required
from .events import (
    PetitionClassified,
    PetitionClosed,
    PetitionLeaderAssigned,
    PetitionProgressNoted,
    PetitionReceived,
    PetitionReopened,
    PetitionResolved,
    PetitionTeamFormed,
    RepeatPetitionLinked,
)
from .vocabulary import FOCUS_AREAS, PETITION_CHANNELS, one_of

RECEIVED, CLASSIFIED, HANDLING, RESOLVED, CLOSED = (
    "received",
    "classified",
    "handling",
    "resolved",
    PETITION_CLOSED,
)
STATUSES = (RECEIVED, CLASSIFIED, HANDLING, RESOLVED, CLOSED)


def petition_stream(petition_id: str) -> str:
    """`petition-<id>`."""
    return f"petition-{petition_id}"


class Petition(Casework):
    """A petition case (信访件) and its handling."""

    PREFIX = "petition"
    KIND = "信访件"

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.petition_id = ""
        self.status = ""
        self.received: PetitionReceived | None = None
        self.focus_area: str | None = None
        self.key_case = False
        self.team: PetitionTeamFormed | None = None
        self.leader: str | None = None
        self.notes: list[tuple[dt.date, str]] = []
        self.resolution: str | None = None
        self.repeats: list[str] = []
        self.reopen_reasons: list[str] = []
        self.closed_on: dt.date | None = None

    def receive(
        self,
        *,
        petition_id: str,
        channel: str,
        petitioner_name: str,
        petitioner_count: int,
        village: str | None,
        subject: str,
        on: dt.date,
        repeat_of: str | None = None,
    ) -> None:
        """Register a petition (受理)."""
        if self.exists:
            raise Refused(f"信访件 {petition_id} 已存在 (already received)")
        if petitioner_count < 1:
            raise Refused("信访人数至少为 1 (at least one petitioner)")
        if repeat_of == petition_id:
            raise Refused("信访件不能是自己的重复件 (a case cannot repeat itself)")
        self._record(
            PetitionReceived(
                petition_id=petition_id,
                channel=one_of(channel, PETITION_CHANNELS, "信访渠道"),
                petitioner_name=required(petitioner_name, "信访人姓名"),
                petitioner_count=petitioner_count,
                village=village,
                subject=required(subject, "信访事项"),
                received_on=on,
                repeat_of=repeat_of,
            )
        )

    def link_repeat(self, repeat_petition_id: str, on: dt.date) -> None:
        """Note a later petition on the same matter (重复信访) on this, the earlier case."""
        self._must_exist()
        if repeat_petition_id == self.petition_id:
            raise Refused("信访件不能是自己的重复件 (a case cannot repeat itself)")
        if on < (self.started_on or on):
            raise Refused(f"重复信访日期 {on} 早于原信访件受理日期 {self.started_on}")
        self._record(
            RepeatPetitionLinked(
                petition_id=self.petition_id, repeat_petition_id=repeat_petition_id, linked_on=on
            )
        )

    def classify(self, focus_area: str, key_case: bool, on: dt.date) -> None:
        """Classify the case (梳理归类) into a focus area; mark a key case (重点案件)."""
        self._must_be((RECEIVED, CLASSIFIED, HANDLING), "分类")
        self._dated(on)
        self._record(
            PetitionClassified(
                petition_id=self.petition_id,
                focus_area=one_of(focus_area, FOCUS_AREAS, "领域"),
                key_case=key_case,
                classified_on=on,
            )
        )

    def form_team(self, team_name: str, members: tuple[str, ...], on: dt.date) -> None:
        """Form the case's special team (工作专班): once, after classification."""
        self._must_be((CLASSIFIED,), "成立工作专班")
        self._dated(on)
        names = tuple(m.strip() for m in members if m.strip())
        if not names:
            raise Refused("工作专班至少需要一名成员 (a special team needs members)")
        self._record(
            PetitionTeamFormed(
                petition_id=self.petition_id,
                team_name=required(team_name, "专班名称"),
                members=names,
                formed_on=on,
            )
        )

    def assign_leader(self, leader: str, on: dt.date) -> None:
        """Put a leader in charge of the case (领导包案)."""
        self._must_be((CLASSIFIED, HANDLING), "落实包案领导")
        self._dated(on)
        self._record(
            PetitionLeaderAssigned(
                petition_id=self.petition_id, leader=required(leader, "包案领导"), assigned_on=on
            )
        )

    def note_progress(self, note: str, on: dt.date) -> None:
        """Record progress (跟踪督办) on an open case."""
        self._must_be((RECEIVED, CLASSIFIED, HANDLING, RESOLVED), "记录办理进展")
        self._dated(on)
        self._record(
            PetitionProgressNoted(
                petition_id=self.petition_id, noted_on=on, note=required(note, "进展情况")
            )
        )

    def resolve(self, resolution: str, on: dt.date) -> None:
        """Resolve the case (化解): its special team worked it; a key case has its leader."""
        self._must_be((HANDLING,), "化解办结")
        if self.key_case and self.leader is None:
            raise Refused("重点案件须落实领导包案后才能办结 (a key case needs a leader in charge)")
        self._dated(on)
        self._record(
            PetitionResolved(
                petition_id=self.petition_id,
                resolved_on=on,
                resolution=required(resolution, "化解情况"),
            )
        )

    def close(self, on: dt.date, note: str = "") -> None:
        """Strike the resolved case off (销号)."""
        self._must_be((RESOLVED,), "销号")
        self._dated(on)
        self._record(PetitionClosed(petition_id=self.petition_id, closed_on=on, note=note.strip()))

    def reopen(self, reason: str, on: dt.date) -> None:
        """Reopen a resolved or closed case, for a reason."""
        self._must_be((RESOLVED, CLOSED), "重新打开")
        self._dated(on)
        self._record(
            PetitionReopened(
                petition_id=self.petition_id, reopened_on=on, reason=required(reason, "理由")
            )
        )

    @property
    def backlog(self) -> bool:
        """Still open (积案 until struck off): the one rule, `shared.kernel.petition_in_backlog`."""
        return petition_in_backlog(self.status)

    def _must_exist(self) -> None:
        if not self.exists:
            raise Refused("信访件不存在 (no such petition)")

    def _must_be(self, statuses: tuple[str, ...], action: str) -> None:
        self._must_exist()
        if self.status not in statuses:
            raise Refused(
                f"信访件当前状态为 {self.status}，不能{action} "
                f"(needs status {' / '.join(statuses)})"
            )

    def _apply(self, event: Event) -> None:
        match event:
            case PetitionReceived():
                self.petition_id, self.status, self.received = event.petition_id, RECEIVED, event
                self._seen(event.received_on)
            case RepeatPetitionLinked():
                self.repeats.append(event.repeat_petition_id)
            case PetitionClassified():
                self.focus_area, self.key_case = event.focus_area, event.key_case
                if self.status == RECEIVED:
                    self.status = CLASSIFIED
                self._seen(event.classified_on)
            case PetitionTeamFormed():
                self.team, self.status = event, HANDLING
                self._seen(event.formed_on)
            case PetitionLeaderAssigned():
                self.leader = event.leader
                self._seen(event.assigned_on)
            case PetitionProgressNoted():
                self.notes.append((event.noted_on, event.note))
                self._seen(event.noted_on)
            case PetitionResolved():
                self.status, self.resolution = RESOLVED, event.resolution
                self._seen(event.resolved_on)
            case PetitionClosed():
                self.status, self.closed_on = CLOSED, event.closed_on
                self._seen(event.closed_on)
            case PetitionReopened():
                self.status, self.closed_on, self.resolution = HANDLING, None, None
                self.reopen_reasons.append(event.reason)
                self._seen(event.reopened_on)
            case _:
                super()._apply(event)
