"""Reports of inaction (为官不为, measure 11) and micro-corruption clues (雁过拔毛, measure 13):
received → verified → accountability decided (one decision per person) → concluded; or
dismissed with reasons. A confirmed fund red flag opens a clue of its own."""

from __future__ import annotations

import datetime as dt
import uuid

from shared.kernel import Event, Refused

from .casework import Casework, required
from .events import AccountabilityDecided, ClueConcluded, ClueReceived, ClueVerified
from .vocabulary import (
    ACCOUNTABILITY_KINDS,
    APPRAISAL_CHANNEL,
    CLUE_CATEGORIES,
    CLUE_CHANNELS,
    CLUE_MEASURE,
    OUTCOME_ACCOUNTABILITY,
    OUTCOME_DISMISSED,
    RED_FLAG_CHANNEL,
    one_of,
)

RECEIVED, VERIFIED, DECIDING, CONCLUDED, DISMISSED = (
    "received",
    "verified",
    "deciding",
    "concluded",
    "dismissed",
)
STATUSES = (RECEIVED, VERIFIED, DECIDING, CONCLUDED, DISMISSED)

_APPRAISAL_NS = uuid.UUID("8e5c2a71-3b9d-4f10-a6e4-5c7b1d2e9f35")
#: What an appraised subject is, by party's `subject_kind`.
SUBJECT_POSTS = {"unit": "牵头单位", "branch_secretary": "村(社区)党组织书记"}


def clue_stream(clue_id: str) -> str:
    """`clue-<id>`."""
    return f"clue-{clue_id}"


def red_flag_clue_id(flag_id: str) -> str:
    """The clue a red flag opens: `redflag-<flag id>` (stream `clue-redflag-<flag id>`), the
    same on every delivery of the flag."""
    return f"redflag-{flag_id}"


def appraisal_clue_id(year: int, subject_kind: str, subject: str) -> str:
    """The clue a referral by the year's appraisal opens: `appraisal-<year>-<uuid5>`, the
    same for every delivery (and a re-sent copy) of the referral of that subject."""
    key = uuid.uuid5(_APPRAISAL_NS, f"{year}\x1f{subject_kind}\x1f{subject}")
    return f"appraisal-{year}-{key}"


class Clue(Casework):
    """A clue or report and what the discipline committee made of it."""

    PREFIX = "clue"
    KIND = "问题线索"

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.clue_id = ""
        self.status = ""
        self.received: ClueReceived | None = None
        self.findings: str | None = None
        self.decisions: list[AccountabilityDecided] = []
        self.conclusion: ClueConcluded | None = None

    def receive(
        self,
        *,
        clue_id: str,
        category: str,
        channel: str,
        summary: str,
        village: str | None,
        subject_name: str | None,
        subject_post: str | None,
        subject_member_id: str | None,
        on: dt.date,
    ) -> None:
        """Register a report or clue (受理)."""
        if self.exists:
            raise Refused(f"问题线索 {clue_id} 已存在 (already received)")
        if channel == RED_FLAG_CHANNEL:
            raise Refused("资金预警线索由资金监管的红旗自动生成 (red-flag clues come from funds)")
        if channel == APPRAISAL_CHANNEL:
            raise Refused("考核移交的线索由年度绩效考核自动生成 (referrals come from party)")
        category = one_of(category, CLUE_CATEGORIES, "线索类别")
        self._record(
            ClueReceived(
                clue_id=clue_id,
                category=category,
                measure=CLUE_MEASURE[category],
                channel=one_of(channel, CLUE_CHANNELS, "线索来源"),
                summary=required(summary, "反映问题"),
                village=village,
                subject_name=(subject_name or "").strip() or None,
                subject_post=(subject_post or "").strip() or None,
                subject_member_id=subject_member_id,
                received_on=on,
            )
        )

    def open_from_red_flag(
        self,
        *,
        flag_id: str,
        code: str,
        village: str | None,
        programme_id: str | None,
        summary: str,
        severity: str | None,
        confirmed_on: dt.date,
    ) -> None:
        """Open the clue a confirmed fund red flag (资金预警) calls for."""
        if self.exists:
            raise Refused(f"红旗 {flag_id} 的线索已存在 (already opened)")
        self._record(
            ClueReceived(
                clue_id=red_flag_clue_id(flag_id),
                category="雁过拔毛",
                measure=CLUE_MEASURE["雁过拔毛"],
                channel=RED_FLAG_CHANNEL,
                summary=summary.strip() or f"资金预警 {code}",
                village=village,
                subject_name=None,
                subject_post=None,
                subject_member_id=None,
                received_on=confirmed_on,
                red_flag_id=flag_id,
                red_flag_code=code,
                programme_id=programme_id,
                severity=severity,
            )
        )

    def open_from_appraisal(
        self,
        *,
        year: int,
        subject_kind: str,
        subject: str,
        subject_name: str,
        reason: str,
        referred_on: dt.date,
    ) -> None:
        """Open the 为官不为 clue the year's appraisal referred (纳入“为官不为”整治, 保障措施 3)."""
        if self.exists:
            raise Refused(f"{year} 年度考核移交的线索已存在 (already opened)")
        name = subject_name.strip() or subject
        self._record(
            ClueReceived(
                clue_id=appraisal_clue_id(year, subject_kind, subject),
                category="为官不为",
                measure=CLUE_MEASURE["为官不为"],
                channel=APPRAISAL_CHANNEL,
                summary=f"{year} 年度绩效考核：{name}，{reason.strip() or '纳入“为官不为”整治'}",
                village=None,
                subject_name=name,
                subject_post=SUBJECT_POSTS.get(subject_kind),
                subject_member_id=None,
                received_on=referred_on,
                appraisal_year=year,
            )
        )

    def verify(self, findings: str, on: dt.date) -> None:
        """Record that the clue was checked and has substance (初步核实)."""
        self._must_be((RECEIVED,), "核实")
        self._dated(on)
        self._record(
            ClueVerified(
                clue_id=self.clue_id, verified_on=on, findings=required(findings, "核实情况")
            )
        )

    def decide(
        self,
        *,
        subject_name: str,
        subject_member_id: str | None,
        subject_post: str | None,
        kind: str,
        reason: str,
        on: dt.date,
    ) -> str:
        """Decide accountability for one person (问责/党纪处分); returns the decision's case id."""
        self._must_be((VERIFIED, DECIDING), "作出问责决定")
        self._dated(on)
        case_id = f"{self.clue_id}-a{len(self.decisions) + 1}"
        self._record(
            AccountabilityDecided(
                case_id=case_id,
                clue_id=self.clue_id,
                subject_member_id=subject_member_id,
                subject_name=required(subject_name, "问责对象"),
                subject_post=(subject_post or "").strip() or None,
                kind=one_of(kind, ACCOUNTABILITY_KINDS, "问责方式"),
                reason=required(reason, "问责事由"),
                decided_on=on,
                red_flag_id=self.red_flag_id,
            )
        )
        return case_id

    def conclude(self, on: dt.date, summary: str = "") -> None:
        """Conclude the clue with the accountability decided (办结)."""
        self._must_be((VERIFIED, DECIDING), "办结")
        if not self.decisions:
            raise Refused("尚未作出问责决定，不能以问责办结；无问题的线索请予以了结 (dismiss)")
        self._dated(on)
        kinds = tuple(dict.fromkeys(d.kind for d in self.decisions))
        self._record(
            ClueConcluded(
                clue_id=self.clue_id,
                red_flag_id=self.red_flag_id,
                outcome=OUTCOME_ACCOUNTABILITY,
                concluded_on=on,
                reason=summary.strip()
                or "；".join(f"{d.subject_name}：{d.kind}" for d in self.decisions),
                kinds=kinds,
            )
        )

    def dismiss(self, reason: str, on: dt.date) -> None:
        """Dismiss the clue (予以了结) with the reasons; not once accountability was decided."""
        self._must_be((RECEIVED, VERIFIED), "了结")
        self._dated(on)
        self._record(
            ClueConcluded(
                clue_id=self.clue_id,
                red_flag_id=self.red_flag_id,
                outcome=OUTCOME_DISMISSED,
                concluded_on=on,
                reason=required(reason, "了结理由"),
                kinds=(),
            )
        )

    @property
    def red_flag_id(self) -> str | None:
        return self.received.red_flag_id if self.received else None

    def _must_be(self, statuses: tuple[str, ...], action: str) -> None:
        if not self.exists:
            raise Refused("问题线索不存在 (no such clue)")
        if self.status not in statuses:
            raise Refused(
                f"线索当前状态为 {self.status}，不能{action} (needs status {' / '.join(statuses)})"
            )

    def _apply(self, event: Event) -> None:
        match event:
            case ClueReceived():
                self.clue_id, self.status, self.received = event.clue_id, RECEIVED, event
                self._seen(event.received_on)
            case ClueVerified():
                self.status, self.findings = VERIFIED, event.findings
                self._seen(event.verified_on)
            case AccountabilityDecided():
                self.status = DECIDING
                self.decisions.append(event)
                self._seen(event.decided_on)
            case ClueConcluded():
                self.conclusion = event
                self.status = CONCLUDED if event.outcome == OUTCOME_ACCOUNTABILITY else DISMISSED
                self._seen(event.concluded_on)
            case _:
                super()._apply(event)
