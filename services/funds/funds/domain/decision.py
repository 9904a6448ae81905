"""Village collective decisions (四议两公开, measure 6) and the collective projects they allow.

A decision on a collective economy project or an asset disposal goes 村党组织提议 → 村"两委"会议
商议 → 党员大会审议 → 村民代表会议（或村民会议）决议, strictly in that order, then 决议公开 and,
once the act happened, 实施结果公开 within `RESULT_DISCLOSURE_DAYS` of the resolution's
disclosure. A meeting without its quorum is no meeting (refused, not recorded); a meeting whose
vote fails is recorded and ends the decision. Nothing the decision is about may be done before
its resolution is disclosed (`VillageDecision.authorize`): a project does not start, an asset is
not disposed of.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from funds.domain import events as ev
from funds.domain.collective import count_refusal, more_than_half, passes, quorum, quorum_refusal
from funds.domain.values import (
    DECISION_KIND_LABELS,
    STEP_LABELS,
    DecisionKind,
    DecisionStatus,
    MeetingBody,
    Step,
)
from shared.kernel import Aggregate, AlreadyExists, Event, Refused

#: Days from the resolution's disclosure by which the result must be disclosed (实施结果公开).
RESULT_DISCLOSURE_DAYS: Final = 90

#: The small power (小微权力) a collective project exercises, as supervision's list names it.
WORKS_ITEM: Final = "works"

#: Each meeting: the step it follows, and the bodies that may hold it.
MEETINGS: Final[dict[Step, tuple[Step, frozenset[MeetingBody]]]] = {
    Step.CONSULTED: (Step.PROPOSED, frozenset({MeetingBody.COMMITTEES})),
    Step.REVIEWED: (Step.CONSULTED, frozenset({MeetingBody.PARTY_MEMBERS})),
    Step.RESOLVED: (
        Step.REVIEWED,
        frozenset({MeetingBody.REPRESENTATIVES, MeetingBody.VILLAGERS}),
    ),
}


def attendance_needed(step: Step, members: int) -> int:
    """The quorum of a meeting: two thirds of the members for the resolution (the 三资 rule,
    `collective.quorum`), more than half for the consultation and the review."""
    return quorum(members) if step is Step.RESOLVED else more_than_half(members)


@dataclass(frozen=True, slots=True)
class Authority:
    """What a decision gives the act it allows: its id, its resolving vote, the steps done."""

    decision_id: str
    vote: ev.AssemblyVote
    steps: tuple[str, ...]


class VillageDecision(Aggregate):
    """One village decision (四议两公开); stream `decision-<decision_id>`."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.proposal: ev.DecisionProposed | None = None
        self.meetings: dict[Step, ev.DecisionMeetingHeld] = {}
        self.resolution: ev.DecisionResolutionDisclosed | None = None
        self.result: ev.DecisionResultDisclosed | None = None
        self.status = DecisionStatus.PROPOSED

    @property
    def decision_id(self) -> str:
        return self.stream_id.removeprefix("decision-")

    @property
    def facts(self) -> ev.DecisionProposed:
        if self.proposal is None:
            raise RuntimeError(f"decision {self.stream_id} was never proposed")
        return self.proposal

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps done so far, in order (the shared vocabulary)."""
        done = [Step.PROPOSED.value] if self.proposal else []
        done += [s.value for s in MEETINGS if s in self.meetings and self.meetings[s].passed]
        if self.resolution is not None:
            done.append(Step.RESOLUTION_DISCLOSED.value)
        if self.result is not None:
            done.append(Step.RESULT_DISCLOSED.value)
        return tuple(done)

    def overdue(self, as_of: dt.date) -> bool:
        """The result was due before `as_of` and not disclosed by `as_of` (逾期未公开)."""
        return (
            self.resolution is not None
            and as_of > self.resolution.result_due_on
            and (self.result is None or self.result.disclosed_on > as_of)
        )

    @property
    def late(self) -> bool:
        """The result was disclosed after it was due."""
        return (
            self.resolution is not None
            and self.result is not None
            and self.result.disclosed_on > self.resolution.result_due_on
        )

    # --- the procedure --------------------------------------------------------------------

    def propose(self, event: ev.DecisionProposed) -> None:
        """村党组织提议: the decision's first step."""
        if self.exists:
            raise AlreadyExists(f"决策事项 {event.decision_id} 已提议 (already proposed)")
        if event.kind not in {k.value for k in DecisionKind}:
            raise Refused(f"决策事项类别无效 (unknown kind): {event.kind}")
        if not event.subject.strip() or not event.description.strip():
            raise Refused("提议须写明事项和内容 (subject and description are required)")
        self._record(event)

    def hold_meeting(
        self,
        *,
        step: str,
        body: str,
        members: int,
        present: int,
        votes_for: int,
        votes_against: int,
        held_on: dt.date,
    ) -> ev.DecisionMeetingHeld:
        """商议 / 审议 / 决议: the next meeting, in order, with its quorum; recorded whether its
        vote passes or not (a failed vote ends the decision)."""
        facts = self.facts
        if step not in {s.value for s in MEETINGS}:
            raise Refused(f"会议步骤无效 (unknown step): {step}")
        this = Step(step)
        after, bodies = MEETINGS[this]
        if this in self.meetings:
            what = "决议" if this is Step.RESOLVED else STEP_LABELS[this]
            raise AlreadyExists(f"该事项已{what}，不能再次{what} (already {step})")
        if self.status is DecisionStatus.REJECTED:
            raise Refused("该事项已被会议否决，程序已终止 (the decision was rejected)")
        if self.status.value != after.value:
            raise Refused(
                f"须先完成“{STEP_LABELS[after]}”，才能{STEP_LABELS[this]} "
                f"(steps in order: {after} before {step})"
            )
        if body not in {b.value for b in bodies}:
            allowed = "或".join(sorted(b.value for b in bodies))
            raise Refused(f"{STEP_LABELS[this]}应由{allowed}进行 (wrong body): {body}")
        if held_on < self._last_step_on():
            raise Refused(f"会议日期 {held_on} 早于上一步骤 (a meeting precedes the step before)")
        reason = count_refusal(members, present, votes_for, votes_against) or quorum_refusal(
            present, attendance_needed(this, members)
        )
        if reason is not None:
            raise Refused(reason)
        event = ev.DecisionMeetingHeld(
            decision_id=facts.decision_id,
            village=facts.village,
            step=step,
            body=body,
            members=members,
            present=present,
            votes_for=votes_for,
            votes_against=votes_against,
            passed=passes(present, votes_for),
            held_on=held_on,
        )
        self._record(event)
        return event

    def disclose_resolution(self, channel: str, on: dt.date) -> None:
        """决议公开: after the resolution; the result is then due in `RESULT_DISCLOSURE_DAYS`."""
        facts = self.facts
        if self.resolution is not None:
            raise AlreadyExists(f"决议已于 {self.resolution.disclosed_on} 公开 (already disclosed)")
        resolved = self.meetings.get(Step.RESOLVED)
        if resolved is None or not resolved.passed:
            raise Refused("尚未形成决议，不能公开决议 (no resolution to disclose)")
        if on < resolved.held_on:
            raise Refused("决议公开日期早于决议 (disclosed before it was resolved)")
        if not channel.strip():
            raise Refused("须写明公开方式 (a channel is required)")
        self._record(
            ev.DecisionResolutionDisclosed(
                decision_id=facts.decision_id,
                village=facts.village,
                channel=channel,
                disclosed_on=on,
                result_due_on=on + dt.timedelta(days=RESULT_DISCLOSURE_DAYS),
            )
        )

    def disclose_result(self, result: str, on: dt.date, acted_on: dt.date | None) -> None:
        """实施结果公开: after the resolution was disclosed and the act (`acted_on`: the project
        started, the asset disposed of) happened."""
        facts = self.facts
        if self.result is not None:
            raise AlreadyExists(f"实施结果已于 {self.result.disclosed_on} 公开 (already disclosed)")
        if self.resolution is None:
            raise Refused("决议尚未公开，不能公开实施结果 (the resolution is not disclosed)")
        if acted_on is None or acted_on > on:
            act = (
                "项目尚未启动" if facts.kind == DecisionKind.COLLECTIVE_PROJECT else "资产尚未处置"
            )
            raise Refused(f"{act}，不能公开实施结果 (nothing carried out to disclose)")
        if not result.strip():
            raise Refused("须写明实施结果 (a result is required)")
        self._record(
            ev.DecisionResultDisclosed(
                decision_id=facts.decision_id, village=facts.village, result=result, disclosed_on=on
            )
        )

    def authorize(
        self, kind: DecisionKind, village: str, on: dt.date, subject: str | None = None
    ) -> Authority:
        """What allows an act of `kind` in `village` on `on` (about `subject`, if given): this
        decision, of that kind and village, its resolution disclosed by then. Refused otherwise."""
        facts = self.facts
        if facts.kind != kind or facts.village != village:
            raise Refused(
                f"决策事项 {facts.decision_id} 是{facts.village}的"
                f"“{DECISION_KIND_LABELS[DecisionKind(facts.kind)]}”事项，"
                f"不能用于{village}的{DECISION_KIND_LABELS[kind]} (not this kind of decision)"
            )
        if subject is not None and facts.subject != subject:
            raise Refused(
                f"决策事项是“{facts.subject}”，不是 {subject} "
                "(the decision is about another subject)"
            )
        if self.resolution is None or self.resolution.disclosed_on > on:
            raise Refused(
                "四议两公开：决议公开前不得实施（项目不得启动、资产不得处置）"
                " (not before the resolution is disclosed)"
            )
        resolved = self.meetings[Step.RESOLVED]
        vote = ev.AssemblyVote(
            held_on=resolved.held_on,
            representatives=resolved.members,
            present=resolved.present,
            votes_for=resolved.votes_for,
            votes_against=resolved.votes_against,
        )
        return Authority(decision_id=facts.decision_id, vote=vote, steps=self.steps)

    def _last_step_on(self) -> dt.date:
        held = [m.held_on for m in self.meetings.values()]
        return max([self.facts.proposed_on, *held])

    def _apply(self, event: Event) -> None:
        match event:
            case ev.DecisionProposed():
                self.proposal = event
                self.status = DecisionStatus.PROPOSED
            case ev.DecisionMeetingHeld():
                step = Step(event.step)
                self.meetings[step] = event
                self.status = (
                    DecisionStatus(step.value) if event.passed else DecisionStatus.REJECTED
                )
            case ev.DecisionResolutionDisclosed():
                self.resolution = event
                self.status = DecisionStatus.RESOLUTION_DISCLOSED
            case ev.DecisionResultDisclosed():
                self.result = event
                self.status = DecisionStatus.RESULT_DISCLOSED
            case _:
                super()._apply(event)


class CollectiveProject(Aggregate):
    """A village collective economy project (集体经济项目); stream `cproject-<project_id>`."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.started: ev.CollectiveProjectStarted | None = None

    def start(
        self,
        *,
        project_id: str,
        village: str,
        village_code: str,
        investment: Decimal,
        decision: VillageDecision,
        on: dt.date,
    ) -> None:
        """Start the project its decision is about (named by the decision's subject), once the
        resolution was disclosed, by `on`."""
        if self.started is not None:
            raise AlreadyExists(f"项目“{self.started.name}”已于 {self.started.started_on} 启动")
        if investment <= 0:
            raise Refused("投资额须大于零 (investment must be positive)")
        authority = decision.authorize(DecisionKind.COLLECTIVE_PROJECT, village, on)
        self._record(
            ev.CollectiveProjectStarted(
                project_id=project_id,
                village=village,
                village_code=village_code,
                name=decision.facts.subject,
                decision_id=authority.decision_id,
                investment=investment,
                started_on=on,
                power_item=WORKS_ITEM,
                steps=authority.steps,
            )
        )

    def _apply(self, event: Event) -> None:
        match event:
            case ev.CollectiveProjectStarted():
                self.started = event
            case _:
                super()._apply(event)
