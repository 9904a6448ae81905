"""因果链: `GET /api/v1/chains/{event_id}` and the page `/chain/{event_id}` — one event's causes
and effects across the four services, as one timeline with each step's actor, service and time,
and the expected reactions missing from it. Reachable from every audit trail.

A step the caller may not open (a confidential clue for one who does not read clues, another
village's entry for a village-scoped role) keeps its place, service and time, without the
stream, the actor or the village.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from projection.adapters.area import towns_of
from projection.adapters.reader import ReadModels
from projection.domain.access import (
    VIEW_READERS,
    OutOfScope,
    held_area,
    may_read_village,
    sees_clues,
    town_scope,
)
from projection.domain.auditing import Step, missing_effects, ordered, policy
from projection.domain.catalogue import CONFIDENTIAL_KINDS, event_label
from projection.domain.timeframe import local_text
from projection.entrypoints.auth import page_principal
from projection.entrypoints.web import error_page, login_redirect, page_context, templates
from projection.views.audit import ROLE_LABELS
from projection.views.auditing import SERVICE_LABELS
from shared.roles import Principal, Role
from shared.web import require

router = APIRouter(prefix="/api/v1", tags=["views"])
pages = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require(*VIEW_READERS))]


async def load_chain(request: Request, event_id: str, principal: Principal) -> dict[str, Any]:
    try:
        uuid.UUID(event_id)
    except ValueError as exc:
        raise StarletteHTTPException(
            422, f"事件编号格式不正确 (not an event id): {event_id}"
        ) from exc
    reader: ReadModels = request.app.state.reader
    area = request.app.state.settings.area_code
    try:  # a town's token on a county projection follows its own town's events only
        town = town_scope(held_area(principal, area), area, None, towns_of(area))
    except OutOfScope as exc:
        raise StarletteHTTPException(403, str(exc)) from exc
    async with reader.snapshot(town=town) as snap:
        steps = await snap.chain(event_id)
    if steps is None:
        raise StarletteHTTPException(404, f"没有这个事件 (no event {event_id})")
    timeline = ordered(steps)
    missing = missing_effects(timeline, dt.datetime.now(dt.UTC), policy().grace)
    return {
        "event_id": event_id,
        "steps": [_shown(step, step.event_id == event_id, principal) for step in timeline],
        "missing": missing,
        "complete": not missing,
    }


def _shown(step: Step, asked: bool, principal: Principal) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": step.event_id,
        "event": event_label(step.event_type),
        "event_type": step.event_type,
        "service": SERVICE_LABELS.get(step.service, step.service),
        "depth": step.depth,
        "caused_by": step.causation_id,
        "occurred_at": step.occurred_at.isoformat(),
        "recorded_at": step.recorded_at.isoformat(),
        "recorded_local": local_text(step.recorded_at),
        "asked": asked,
    }
    confidential = step.kind in CONFIDENTIAL_KINDS and not sees_clues(principal)
    elsewhere = not may_read_village(principal, step.village)
    if confidential or elsewhere:
        body["withheld"] = "保密事项" if confidential else "他村事项"
        return body
    return body | {
        "stream_id": step.stream_id,
        "audit_url": f"/api/v1/audit/{quote(step.stream_id, safe='')}",
        "village": step.village,
        "actor": {
            "user_id": step.actor_id,
            "role": step.actor_role,
            "role_label": ROLE_LABELS.get(step.actor_role, step.actor_role),
        },
    }


@router.get(
    "/chains/{event_id}",
    summary="事件的因果链（跨服务） (an event's chain of causes and effects across services)",
)
async def get_chain(event_id: str, request: Request, principal: Reader) -> dict[str, Any]:
    return await load_chain(request, event_id, principal)


@pages.get("/chain/{event_id}", response_class=HTMLResponse)
async def chain_page(event_id: str, request: Request) -> Response:
    principal = page_principal(request)
    if principal is None:
        return login_redirect(request)
    if principal.role is Role.PUBLIC:
        return error_page(request, principal, StarletteHTTPException(403, "公众不能查看因果链"))
    try:
        chain = await load_chain(request, event_id, principal)
    except StarletteHTTPException as exc:
        return error_page(request, principal, exc)
    return templates.TemplateResponse(
        request, "chain.html", page_context(request, principal, chain=chain)
    )
