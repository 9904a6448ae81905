"""A red flag (预警): raised by a rule, then acknowledged, explained or confirmed — never
deleted. A confirmed flag goes to supervision as a clue; the clue's outcome comes back."""

from __future__ import annotations

import datetime as dt

from funds.domain import events as ev
from funds.domain.codes import code_info
from funds.domain.rules import Finding
from funds.domain.values import FlagStatus
from shared.kernel import Aggregate, AlreadyExists, Event, Refused


class RedFlag(Aggregate):
    """One red flag; stream `redflag-<flag_id>` (the id derives from code and subject)."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.raised: ev.RedFlagRaised | None = None
        self.status = FlagStatus.RAISED
        self.history: list[Event] = []
        self.outcomes: list[ev.RedFlagOutcomeRecorded] = []

    @property
    def flag_id(self) -> str:
        return self.stream_id.removeprefix("redflag-")

    @property
    def facts(self) -> ev.RedFlagRaised:
        if self.raised is None:
            raise RuntimeError(f"red flag {self.stream_id} was never raised")
        return self.raised

    def raise_flag(self, finding: Finding, on: dt.date) -> None:
        """Raise the flag for a finding; a flag already raised is left as it is."""
        if self.exists:
            return
        info = code_info(finding.code)
        self._record(
            ev.RedFlagRaised(
                flag_id=finding.flag_id,
                code=finding.code,
                label=info.label,
                severity=info.severity.value,
                village=finding.village,
                programme_id=finding.programme_id,
                subject_id=finding.subject_id,
                summary=finding.summary,
                evidence=finding.evidence,
                raised_on=on,
            )
        )

    def acknowledge(self, note: str, on: dt.date) -> None:
        """Receive the flag for review (签收)."""
        if self.status is not FlagStatus.RAISED:
            raise AlreadyExists(f"预警已处于“{self.status.value}”状态 (already {self.status})")
        self._record(ev.RedFlagAcknowledged(flag_id=self.flag_id, note=note, acknowledged_on=on))

    def explain(self, explanation: str, on: dt.date) -> None:
        """Explain the flag as no problem (情况说明); a confirmed flag stays confirmed."""
        if self.status is FlagStatus.CONFIRMED:
            raise Refused("预警已确认，不能再作情况说明 (the flag is confirmed)")
        if self.status is FlagStatus.EXPLAINED:
            raise AlreadyExists("预警已作情况说明 (already explained)")
        if not explanation.strip():
            raise Refused("情况说明不能为空 (an explanation is required)")
        self._record(
            ev.RedFlagExplained(flag_id=self.flag_id, explanation=explanation, explained_on=on)
        )

    def confirm(self, note: str, on: dt.date) -> None:
        """Confirm the problem (问题属实); an explanation may be overruled."""
        if self.status is FlagStatus.CONFIRMED:
            raise AlreadyExists("预警已确认 (already confirmed)")
        facts = self.facts
        self._record(
            ev.RedFlagConfirmed(
                flag_id=self.flag_id,
                code=facts.code,
                village=facts.village,
                programme_id=facts.programme_id,
                summary=facts.summary,
                severity=facts.severity,
                note=note,
                confirmed_on=on,
            )
        )

    def record_outcome(self, clue_id: str, outcome: str, concluded_on: dt.date) -> bool:
        """Record supervision's conclusion of a clue; once per clue. True if recorded."""
        if any(o.clue_id == clue_id for o in self.outcomes):
            return False
        self._record(
            ev.RedFlagOutcomeRecorded(
                flag_id=self.flag_id, clue_id=clue_id, outcome=outcome, concluded_on=concluded_on
            )
        )
        return True

    def _apply(self, event: Event) -> None:
        match event:
            case ev.RedFlagRaised():
                self.raised = event
            case ev.RedFlagAcknowledged():
                self.status = FlagStatus.ACKNOWLEDGED
            case ev.RedFlagExplained():
                self.status = FlagStatus.EXPLAINED
            case ev.RedFlagConfirmed():
                self.status = FlagStatus.CONFIRMED
            case ev.RedFlagOutcomeRecorded():
                self.outcomes.append(event)
            case _:
                super()._apply(event)
        self.history.append(event)
