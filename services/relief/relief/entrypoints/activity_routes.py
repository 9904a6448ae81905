"""HTTP routes of the five activities (五大活动): records, and progress against the plan's
targets "as of" a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request

from relief.application import activities
from relief.application import commands as c
from relief.domain.activities import (
    ACTIVITIES,
    ActivityLedger,
    EnterprisePairings,
    FreeClinics,
    PostLedger,
    Progress,
    StudentAid,
    activity_stream,
)
from relief.domain.household import Household
from relief.entrypoints import presenters
from relief.entrypoints.deps import Reader, Writer, reader, relief, village_filter
from shared.business_dates import AsOf
from shared.command_routes import command

router = APIRouter(prefix="/api/v1/activities", tags=["activities 五大活动"])

LEDGERS: dict[str, type[ActivityLedger]] = {
    cls.activity: cls for cls in (EnterprisePairings, PostLedger, StudentAid, FreeClinics)
}


command(
    router,
    "/enterprise-pairings",
    c.RecordEnterprisePairing,
    activities.enterprise_pairing,
    Writer,
    status_code=201,
    summary="企业联农村：企业对接省定贫困村 (pair an enterprise with a poor village)",
)


command(
    router,
    "/posts",
    c.RecordPosts,
    activities.posts,
    Writer,
    status_code=201,
    summary="提供公益性岗位、就业岗位（目标 50 个） (provide jobs; target 50)",
)


command(
    router,
    "/students",
    c.RecordStudentHelped,
    activities.student,
    Writer,
    status_code=201,
    summary="帮助贫困生（目标 10 名） (help poor students; target 10)",
)


command(
    router,
    "/clinics",
    c.RecordFreeClinic,
    activities.clinic,
    Writer,
    status_code=201,
    summary="义诊（目标 10 名医务人员、4 场） (free clinics; target 10 medics, 4 sessions)",
)


def _pairing_progress(households: list[Household], deadline: dt.date) -> list[Progress]:
    total = len(households)
    return [
        Progress(
            "pairing",
            "已结对贫困户",
            sum(h.helper is not None for h in households),
            total,
            deadline,
        ),
        Progress(
            "pairing", "已走访贫困户", sum(bool(h.visits) for h in households), total, deadline
        ),
    ]


@router.get(
    "/progress",
    summary="五大活动进度（对照目标，可按日期回看） (the five activities against targets)",
)
async def progress(
    request: Request,
    who: Reader,
    as_of: AsOf = None,
) -> dict[str, Any]:
    pipeline, store = relief(request), reader(request)
    town, targets = pipeline.town, pipeline.deps.policy.targets

    async def ledger(cls: type[ActivityLedger]) -> Any:
        return await store.load(cls, activity_stream(town.code, cls.activity), as_of=as_of)

    poor = sum(v.poor_village for v in town.villages)
    enterprise: EnterprisePairings = await ledger(EnterprisePairings)
    post: PostLedger = await ledger(PostLedger)
    aid: StudentAid = await ledger(StudentAid)
    clinic: FreeClinics = await ledger(FreeClinics)
    households = await store.load_all(
        Household, with_event="relief.HouseholdRegistered", as_of=as_of
    )
    lines = [
        enterprise.progress(poor, targets, as_of),
        *_pairing_progress(households, targets.deadline),
        post.progress(targets, as_of),
        aid.progress(targets, as_of),
        *clinic.progress(targets, as_of),
    ]
    return {
        "as_of": (as_of or pipeline.today()).isoformat(),
        "progress": [presenters.progress(p) for p in lines],
    }


@router.get("/{activity}", summary="一项活动的记录 (the records of one activity)")
async def records(
    activity: str,
    request: Request,
    who: Reader,
    as_of: AsOf = None,
) -> dict[str, Any]:
    cls = LEDGERS.get(activity)
    if cls is None:
        raise HTTPException(404, f"没有活动 {activity}；可选：{'、'.join(ACTIVITIES)}")
    town = relief(request).town.code
    found = await reader(request).load(cls, activity_stream(town, activity), as_of=as_of)
    return presenters.ledger(found, as_of, village_filter(who, None))
