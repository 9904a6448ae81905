"""The relief service's HTTP API: every router, plus relief's view of the party members and
the policy in force."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from relief.adapters.party_members import PartyMembersView
from relief.entrypoints import activity_routes, household_routes, person_routes, site_routes
from relief.entrypoints.deps import Reader, relief, village_filter

router = APIRouter(prefix="/api/v1", tags=["reference 参考"])


@router.get(
    "/party-members",
    summary="扶贫服务所知的党员（来自 party.MemberJoined） (the party members relief knows of)",
)
async def party_members(
    request: Request, who: Reader, village: str | None = None
) -> dict[str, Any]:
    view: PartyMembersView = request.app.state.party_members
    found = await view.members(village_filter(who, village))
    return {
        "count": len(found),
        "members": [
            {
                "member_id": m.member_id,
                "branch_id": m.branch_id,
                "name": m.name,
                "village": m.village,
            }
            for m in found
        ],
    }


@router.get(
    "/policy",
    summary="扶贫标准（各年度贫困线）与活动目标 (poverty lines and activity targets)",
)
async def policy(request: Request, who: Reader) -> dict[str, Any]:
    current = relief(request).deps.policy
    targets = current.targets
    return {
        "revision": current.lines.revision,
        "poverty_lines": {str(y): str(v) for y, v in sorted(current.lines.lines.items())},
        "targets": {
            "posts": targets.posts,
            "students": targets.students,
            "clinics": targets.clinics,
            "clinic_staff": targets.clinic_staff,
            "deadline": targets.deadline.isoformat(),
            "community_site_min_area_m2": str(targets.community_site_min_area_m2),
        },
    }


ROUTERS = (
    household_routes.router,
    activity_routes.router,
    site_routes.router,
    person_routes.router,
    router,
)
