"""The commands of the supervision service: what a user asks it to do.

Every command carries `on`, the business day the work happened (officials record after the
fact); state changes may carry `expected_version` for optimistic concurrency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True, slots=True)
class Change:
    """A state change of an existing aggregate."""

    on: dt.date
    expected_version: int | None = None


# --- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class RegisterPlanMeasures:
    """Register every measure of the plan not registered yet."""

    on: dt.date


# --- lists and ledger -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class OpenItem:
    """Enter an item on one of the plan's lists."""

    item_id: str
    list_name: str
    title: str
    detail: str
    source: str
    measure: int
    lead_post: str
    lead_unit: str
    deadline: dt.date
    village: str | None
    on: dt.date


@dataclass(frozen=True, kw_only=True, slots=True)
class StartItemWork(Change):
    item_id: str
    note: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class RectifyItem(Change):
    item_id: str
    summary: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class CloseItem(Change):
    item_id: str
    evidence: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class ReopenItem(Change):
    item_id: str
    reason: str
    new_deadline: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class NoteItem(Change):
    item_id: str
    note: str


# --- petitions --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ReceivePetition:
    """Register a petition; `repeat_of` links a repeat petition to the earlier case."""

    petition_id: str
    channel: str
    petitioner_name: str
    petitioner_count: int
    village: str | None
    subject: str
    repeat_of: str | None
    on: dt.date


@dataclass(frozen=True, kw_only=True, slots=True)
class ClassifyPetition(Change):
    petition_id: str
    focus_area: str
    key_case: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class FormPetitionTeam(Change):
    petition_id: str
    team_name: str
    members: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class AssignPetitionLeader(Change):
    petition_id: str
    leader: str


@dataclass(frozen=True, kw_only=True, slots=True)
class NotePetitionProgress(Change):
    petition_id: str
    note: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ResolvePetition(Change):
    petition_id: str
    resolution: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ClosePetition(Change):
    petition_id: str
    note: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class ReopenPetition(Change):
    petition_id: str
    reason: str


# --- directives -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ReceiveDirective:
    directive_id: str
    kind: str
    level: str
    issued_by: str
    reference: str | None
    subject: str
    due_on: dt.date | None
    on: dt.date


@dataclass(frozen=True, kw_only=True, slots=True)
class AssignDirective(Change):
    directive_id: str
    lead_post: str
    lead_unit: str
    due_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportDirectiveProgress(Change):
    directive_id: str
    report: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportDirectiveBack(Change):
    directive_id: str
    result: str


@dataclass(frozen=True, kw_only=True, slots=True)
class CompleteDirective(Change):
    directive_id: str
    note: str = ""


# --- clues and accountability -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ReceiveClue:
    clue_id: str
    category: str
    channel: str
    summary: str
    village: str | None
    subject_name: str | None
    subject_post: str | None
    subject_member_id: str | None
    on: dt.date


@dataclass(frozen=True, kw_only=True, slots=True)
class VerifyClue(Change):
    clue_id: str
    findings: str


@dataclass(frozen=True, kw_only=True, slots=True)
class DecideAccountability(Change):
    clue_id: str
    subject_name: str
    subject_member_id: str | None
    subject_post: str | None
    kind: str
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ConcludeClue(Change):
    clue_id: str
    summary: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class DismissClue(Change):
    clue_id: str
    reason: str
