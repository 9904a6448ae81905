"""Adjusting village cadres unfit for their posts (调整不胜任现职村干部, measure 10).

The plan's four steps, strictly in order, each dated no earlier than the one before:
① information gathered (信息搜集); ② investigation in the village with a vote of the
branch-and-village committees and of the villagers' representatives (调查核实, 表决);
③ the town party committee's decision (党委会议决定: adjust or keep); ④ notice to the village
and a talk with the cadre (通报、谈话). After ④ the cadre may ask for one review (复核申诉),
which upholds or overturns the adjustment; an adjusted cadre may later be appointed again
(重新任用) — not while a review is pending, and not after it was overturned.
A decision to adjust needs a majority in favour (more than half of those voting) in both
meetings; "keep" ends the case at step ③."""

from __future__ import annotations

import datetime as dt

from party.domain.events import (
    CadreAdjustmentDecided,
    CadreAdjustmentNotified,
    CadreAppealLodged,
    CadreAppealReviewed,
    CadreInformationGathered,
    CadreInvestigationVoted,
    CadreReappointed,
    Vote,
)
from shared.kernel import Aggregate, AlreadyExists, Event, Refused

DECISIONS = {"adjust": "调整", "keep": "不予调整"}
REVIEW_RESULTS = {"upheld": "维持调整", "overturned": "撤销调整"}
STEPS = {
    "gathered": "① 信息搜集",
    "investigated": "② 调查表决",
    "decided": "③ 党委决定",
    "kept": "③ 不予调整 (结案)",
    "notified": "④ 通报谈话",
    "appealed": "复核申诉中",
    "upheld": "复核维持",
    "overturned": "复核撤销 (结案)",
    "reappointed": "重新任用 (结案)",
}


def majority_in_favour(vote: Vote) -> bool:
    """More than half of those voting are in favour."""
    cast = vote.in_favour + vote.against + vote.abstaining
    return vote.in_favour * 2 > cast


class CadreAdjustment(Aggregate):
    """One case of adjusting a village (community) cadre."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.adjustment_id = stream_id
        self.step = ""
        self.last_on: dt.date | None = None
        self.opened: CadreInformationGathered | None = None
        self.investigation: CadreInvestigationVoted | None = None
        self.decision: CadreAdjustmentDecided | None = None
        self.notice: CadreAdjustmentNotified | None = None
        self.appeal: CadreAppealLodged | None = None
        self.review: CadreAppealReviewed | None = None
        self.reappointment: CadreReappointed | None = None

    def gather(
        self,
        *,
        cadre_name: str,
        post: str,
        village: str,
        member_id: str | None,
        grounds: tuple[str, ...],
        summary: str,
        on: dt.date,
    ) -> None:
        if self.exists:
            raise AlreadyExists(f"调整案 {self.adjustment_id} 已存在 (already opened)")
        if not [g for g in grounds if g.strip()]:
            raise Refused("须列明不胜任现职的具体情形 (grounds required)")
        self._record(
            CadreInformationGathered(
                adjustment_id=self.adjustment_id,
                cadre_name=cadre_name,
                post=post,
                village=village,
                member_id=member_id,
                grounds=tuple(g.strip() for g in grounds if g.strip()),
                summary=summary,
                gathered_on=on,
            )
        )

    def investigate(
        self, *, committee: Vote, representatives: Vote, summary: str, on: dt.date
    ) -> None:
        self._after("gathered", on)
        for name, vote in (("支村两委会", committee), ("村民代表大会", representatives)):
            if min(vote.in_favour, vote.against, vote.abstaining) < 0 or (
                vote.in_favour + vote.against + vote.abstaining == 0
            ):
                raise Refused(f"{name}表决票数无效 (a vote needs at least one ballot)")
        self._record(
            CadreInvestigationVoted(
                adjustment_id=self.adjustment_id,
                committee=committee,
                representatives=representatives,
                summary=summary,
                investigated_on=on,
            )
        )

    def decide(self, *, decision: str, summary: str, on: dt.date) -> None:
        self._after("investigated", on)
        if decision not in DECISIONS:
            raise Refused(f"决定 {decision} 无效，应为 adjust 或 keep (unknown decision)")
        assert self.investigation is not None
        votes = (self.investigation.committee, self.investigation.representatives)
        if decision == "adjust" and not all(majority_in_favour(v) for v in votes):
            raise Refused("两会表决未过半数赞成，不能作出调整决定 (no majority for adjusting)")
        self._record(
            CadreAdjustmentDecided(
                adjustment_id=self.adjustment_id, decision=decision, summary=summary, decided_on=on
            )
        )

    def notify(self, *, talked_by: str, summary: str, on: dt.date) -> None:
        self._after("decided", on)
        self._record(
            CadreAdjustmentNotified(
                adjustment_id=self.adjustment_id,
                talked_by=talked_by,
                summary=summary,
                notified_on=on,
            )
        )

    def lodge_appeal(self, *, grounds: str, on: dt.date) -> None:
        if self.appeal is not None:
            raise Refused("已提出过复核申诉 (one review only)")
        self._after("notified", on)
        self._record(
            CadreAppealLodged(adjustment_id=self.adjustment_id, grounds=grounds, lodged_on=on)
        )

    def review_appeal(self, *, result: str, summary: str, on: dt.date) -> None:
        self._after("appealed", on)
        if result not in REVIEW_RESULTS:
            raise Refused(f"复核结果 {result} 无效，应为 upheld 或 overturned (unknown result)")
        self._record(
            CadreAppealReviewed(
                adjustment_id=self.adjustment_id, result=result, summary=summary, reviewed_on=on
            )
        )

    def reappoint(self, *, post: str, on: dt.date) -> None:
        self._after(("notified", "upheld"), on)
        self._record(
            CadreReappointed(adjustment_id=self.adjustment_id, post=post, reappointed_on=on)
        )

    def _after(self, steps: str | tuple[str, ...], on: dt.date) -> None:
        allowed = (steps,) if isinstance(steps, str) else steps
        if not self.exists:
            raise Refused(f"调整案 {self.adjustment_id} 不存在 (no such case)")
        if self.step not in allowed:
            wanted = "、".join(STEPS[s] for s in allowed)
            raise Refused(
                f"当前为「{STEPS[self.step]}」，此步骤须在「{wanted}」之后 (out of order)"
            )
        assert self.last_on is not None
        if on < self.last_on:
            raise Refused(f"日期不能早于上一步骤 {self.last_on} (before the previous step)")

    def _apply(self, event: Event) -> None:
        match event:
            case CadreInformationGathered():
                self.opened, self.step, self.last_on = event, "gathered", event.gathered_on
            case CadreInvestigationVoted():
                self.investigation, self.step = event, "investigated"
                self.last_on = event.investigated_on
            case CadreAdjustmentDecided():
                self.decision, self.last_on = event, event.decided_on
                self.step = "decided" if event.decision == "adjust" else "kept"
            case CadreAdjustmentNotified():
                self.notice, self.step, self.last_on = event, "notified", event.notified_on
            case CadreAppealLodged():
                self.appeal, self.step, self.last_on = event, "appealed", event.lodged_on
            case CadreAppealReviewed():
                self.review, self.step, self.last_on = event, event.result, event.reviewed_on
            case CadreReappointed():
                self.reappointment, self.step = event, "reappointed"
                self.last_on = event.reappointed_on
            case _:
                raise TypeError(f"CadreAdjustment cannot apply {type(event).__name__}")
