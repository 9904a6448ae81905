"""Training sessions (党员教育培训, measure 8): recording them, and the plan's targets per
person, per branch and for the town, derived from the attendance (as of a date)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from party.application import commands as c
from party.application.dependencies import Deps, branch_village, check_branch, new_id
from party.domain.branches import Branch
from party.domain.members import LEFT
from party.domain.training import (
    DEGREE_EDUCATION_TARGET,
    ENTREPRENEURSHIP_TARGET,
    SECRETARY_COUNTY_SESSIONS,
    SECRETARY_TOWN_SESSIONS,
    Attendance,
    Attendee,
    PersonTraining,
    TrainingSession,
    person_training,
)
from shared.kernel import NotFound, degree_enrolment_counts, member_on
from shared.pipeline import Done, OutOfScope, Scope, Work


async def hold_session(cmd: c.HoldSession, uow: Work[Deps]) -> Done:
    """A session and its attendees (its business day is the day it was held); a branch
    secretary records their own branch's sessions only."""
    if cmd.branch_id is not None:
        branch = await uow.get(Branch, cmd.branch_id, "党支部")
        uow.scope.check(branch_village(branch.kind, branch.village))
    elif uow.scope.limited:
        raise OutOfScope("县级、镇级培训由组织委员登记 (county and town sessions: organisation)")
    known = await uow.deps.queries.members_by_id(cmd.attendee_ids)
    if unknown := [m for m in cmd.attendee_ids if m not in known]:
        raise NotFound(f"以下党员不存在: {', '.join(unknown[:10])} (unknown members)")
    attendees = [
        Attendee(m, str(known[m]["branch_id"]), known[m]["status"] != LEFT)
        for m in cmd.attendee_ids
    ]
    session_id = cmd.session_id or new_id("training")
    session = await uow.load(TrainingSession, session_id)
    session.hold(
        level=cmd.level,
        programme=cmd.programme,
        topic=cmd.topic,
        held_on=cmd.held_on,
        branch_id=cmd.branch_id,
        attendees=attendees,
    )
    return session_id, session


# --- targets (queries) ---------------------------------------------------------------------


def _person(row: dict[str, Any], result: PersonTraining, as_of: dt.date) -> dict[str, Any]:
    secretary = None
    if result.secretary:
        secretary = {
            "county_sessions": {
                "attended": result.county_sessions,
                "required": SECRETARY_COUNTY_SESSIONS,
            },
            "town_sessions": {
                "attended": result.town_sessions,
                "required": SECRETARY_TOWN_SESSIONS,
            },
            "met": result.secretary_target_met,
        }
    return {
        "member_id": row["member_id"],
        "name": row["name"],
        "branch_id": row["branch_id"],
        "year": result.year,
        "as_of": as_of,
        "county_sessions": result.county_sessions,
        "town_sessions": result.town_sessions,
        "branch_session_months": list(result.branch_months),
        "months_required": list(result.months_required),
        "months_missed": list(result.months_missed),
        "monthly_target_met": result.monthly_target_met,
        "secretary_target": secretary,
    }


async def _people(
    deps: Deps, members: list[dict[str, Any]], year: int, as_of: dt.date
) -> list[tuple[dict[str, Any], PersonTraining]]:
    ids = [str(m["member_id"]) for m in members]
    attended: dict[str, list[Attendance]] = defaultdict(list)
    for row in await deps.queries.attendance(year, as_of, ids):
        attended[str(row["member_id"])].append(
            Attendance(row["session_id"], row["level"], row["programme"], row["held_on"])
        )
    secretaries = {
        b["secretary_member_id"] for b in await deps.queries.branches() if b["secretary_member_id"]
    }
    return [
        (
            m,
            person_training(
                year,
                attended[str(m["member_id"])],
                member_since=m["joined_on"],
                as_of=as_of,
                secretary=m["member_id"] in secretaries,
            ),
        )
        for m in members
    ]


async def member_training(
    deps: Deps, member_id: str, year: int, as_of: dt.date, scope: Scope
) -> dict[str, Any]:
    rows = await deps.queries.members_by_id([member_id])
    if member_id not in rows:
        raise NotFound(f"党员 {member_id} 不存在 (does not exist)")
    row = rows[member_id]
    check_branch(scope, await deps.queries.branch(str(row["branch_id"])))
    [(person, result)] = await _people(deps, [row], year, as_of)
    return _person(person, result, as_of)


async def branch_training(
    deps: Deps, branch_id: str, year: int, as_of: dt.date, scope: Scope
) -> dict[str, Any]:
    branch = await deps.queries.branch(branch_id)
    check_branch(scope, branch)
    assert branch is not None
    people = await _people(deps, await deps.queries.members(branch_id=branch_id), year, as_of)
    secretary = next(
        (
            _person(p, r, as_of)
            for p, r in people
            if p["member_id"] == branch["secretary_member_id"]
        ),
        None,
    )
    return {
        "branch_id": branch_id,
        "name": branch["name"],
        "year": year,
        "as_of": as_of,
        "members": len(people),
        "members_meeting_monthly": sum(1 for _, r in people if r.monthly_target_met),
        "members_missing": [
            {"member_id": p["member_id"], "name": p["name"], "months_missed": list(r.months_missed)}
            for p, r in people
            if not r.monthly_target_met
        ],
        "secretary": secretary,
    }


async def town_training(deps: Deps, year: int, as_of: dt.date) -> dict[str, Any]:
    all_rows = await deps.queries.members(active=False)
    # the members of the register on the day asked, not today's
    members = [m for m in all_rows if member_on(m["joined_on"], m["left_on"], as_of)]
    people = await _people(deps, members, year, as_of)
    branches = await deps.queries.branches()
    secretaries = [r for _, r in people if r.secretary]
    degree = [m for m in all_rows if degree_enrolment_counts(m["degree_enrolled_on"], year, as_of)]
    entrepreneurs = {
        row["member_id"]
        for row in await deps.queries.attendance(year, as_of)
        if row["programme"] == "entrepreneurship"
    }
    by_branch: dict[str, list[PersonTraining]] = defaultdict(list)
    for person, result in people:
        by_branch[str(person["branch_id"])].append(result)
    return {
        "year": year,
        "as_of": as_of,
        "secretaries": {
            "branches": len(branches),
            "with_secretary": len(secretaries),
            "meeting_target": sum(1 for r in secretaries if r.secretary_target_met),
            "required": {"county": SECRETARY_COUNTY_SESSIONS, "town": SECRETARY_TOWN_SESSIONS},
        },
        "members": {
            "active": len(people),
            "meeting_monthly": sum(1 for _, r in people if r.monthly_target_met),
        },
        "degree_education": {
            "enrolled": len(degree),
            "target": DEGREE_EDUCATION_TARGET,
            "met": len(degree) >= DEGREE_EDUCATION_TARGET,
        },
        "entrepreneurship": {
            "trained": len(entrepreneurs),
            "target": ENTREPRENEURSHIP_TARGET,
            "met": len(entrepreneurs) >= ENTREPRENEURSHIP_TARGET,
        },
        "branches": [
            {
                "branch_id": b["branch_id"],
                "name": b["name"],
                "members": len(by_branch[b["branch_id"]]),
                "meeting_monthly": sum(
                    1 for r in by_branch[b["branch_id"]] if r.monthly_target_met
                ),
            }
            for b in branches
        ],
    }
