"""Given/when/then helpers for village decisions (四议两公开): a decision taken to any step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from funds.domain import events as ev
from funds.domain.decision import VillageDecision

from .scenario import settle

D = dt.date
VILLAGE, CODE = "石壁村", "430321100201"
PROPOSED_ON = D(2016, 7, 1)
#: the meetings of a decision that goes all the way, in order: (step, body, members, present)
MEETINGS = (
    ("consulted", "两委会议", 7, 6, D(2016, 7, 5)),
    ("reviewed", "党员大会", 40, 30, D(2016, 7, 12)),
    ("resolved", "村民代表会议", 30, 24, D(2016, 7, 20)),
)
RESOLUTION_DISCLOSED_ON = D(2016, 7, 22)


def proposed(kind: str = "asset_disposal", subject: str = "ZC-001") -> ev.DecisionProposed:
    return ev.DecisionProposed(
        decision_id="d-1",
        village=VILLAGE,
        village_code=CODE,
        kind=kind,
        subject=subject,
        description="原村小学校舍闲置，拟公开变卖，所得用于发展集体经济",
        proposed_on=PROPOSED_ON,
    )


def meeting(step: str, **overrides: Any) -> dict[str, Any]:
    """The keyword arguments of `hold_meeting` for `step`, passing with a quorum."""
    (found,) = [m for m in MEETINGS if m[0] == step]
    _, body, members, present, held_on = found
    present = overrides.get("present", present)
    return {
        "step": step,
        "body": body,
        "members": members,
        "present": present,
        "votes_for": present - 2,
        "votes_against": 1,
        "held_on": held_on,
    } | overrides


def given_decision(
    reached: str = "proposed", kind: str = "asset_disposal", subject: str = "ZC-001"
) -> VillageDecision:
    """A decision taken up to `reached`: proposed, consulted, reviewed, resolved or
    resolution_disclosed (each meeting passing)."""
    decision = VillageDecision("decision-d-1")
    decision.propose(proposed(kind, subject))
    order = ["proposed", "consulted", "reviewed", "resolved", "resolution_disclosed"]
    for step in order[1 : order.index(reached) + 1]:
        if step == "resolution_disclosed":
            decision.disclose_resolution("村务公开栏", RESOLUTION_DISCLOSED_ON)
        else:
            decision.hold_meeting(**meeting(step))
    settle(decision)
    return decision
