"""The plan's three lists and the ledger (问题清单、责任清单、整改清单, 台帐)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from shared.auth import VILLAGE_SCOPED, Principal
from shared.business_dates import AsOf
from shared.ids import uuid7
from shared.web import require
from supervision.application import commands as c
from supervision.application import handlers
from supervision.application.views import item_view
from supervision.domain.items import STATUSES, ListItem
from supervision.domain.vocabulary import ListName, Source
from supervision.entrypoints import schemas as s

from .common import (
    ITEM_CLOSERS,
    ITEM_READERS,
    LEADERS,
    Wiring,
    as_of_day,
    outcome,
    work,
)

router = APIRouter(prefix="/api/v1/items", tags=["items 清单台帐"])
ItemId = Annotated[uuid.UUID, Path(description="清单事项编号")]
Writer = Annotated[Principal, Depends(require(*LEADERS))]
Closer = Annotated[Principal, Depends(require(*ITEM_CLOSERS))]
Reader = Annotated[Principal, Depends(require(*ITEM_READERS))]


@router.post("", status_code=201, summary="列入清单 (enter an item on a list)")
async def open_item(
    body: s.OpenItemBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.OpenItem(
        item_id=str(body.id or uuid7()),
        list_name=body.list_name,
        title=body.title,
        detail=body.detail,
        source=body.source,
        measure=body.measure,
        lead_post=body.lead_post,
        lead_unit=body.lead_unit,
        deadline=body.deadline,
        village=svc.village(body.village),
        on=w.on,
    )
    return outcome(await handlers.open_item(cmd, w.uow, svc.plan))


@router.post("/{item_id}/start", summary="开始整改 (start work)")
async def start_item(
    item_id: ItemId, body: s.StartItemBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.StartItemWork(
        item_id=str(item_id), note=body.note, on=w.on, expected_version=body.expected_version
    )
    return outcome(await handlers.start_item_work(cmd, w.uow))


@router.post("/{item_id}/rectify", summary="整改到位 (report rectified)")
async def rectify_item(
    item_id: ItemId, body: s.RectifyItemBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.RectifyItem(
        item_id=str(item_id),
        summary=body.summary,
        evidence=tuple(body.evidence),
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.rectify_item(cmd, w.uow))


@router.post("/{item_id}/close", summary="销号 (strike off, on evidence)")
async def close_item(
    item_id: ItemId, body: s.CloseItemBody, request: Request, svc: Wiring, principal: Closer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.CloseItem(
        item_id=str(item_id),
        evidence=tuple(body.evidence),
        note=body.note,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.close_item(cmd, w.uow))


@router.post("/{item_id}/reopen", summary="重新整改 (reopen, with a reason)")
async def reopen_item(
    item_id: ItemId, body: s.ReopenItemBody, request: Request, svc: Wiring, principal: Closer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ReopenItem(
        item_id=str(item_id),
        reason=body.reason,
        new_deadline=body.new_deadline,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.reopen_item(cmd, w.uow))


@router.post("/{item_id}/notes", summary="台帐记录 (a progress note)")
async def note_item(
    item_id: ItemId, body: s.NoteBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.NoteItem(
        item_id=str(item_id), note=body.note, on=w.on, expected_version=body.expected_version
    )
    return outcome(await handlers.note_item(cmd, w.uow))


def _may_see(principal: Principal, item: ListItem) -> bool:
    if principal.role not in VILLAGE_SCOPED:
        return True
    return item.listed is not None and item.listed.village == principal.village


@router.get("/{item_id}", summary="一个事项 (one item, overdue derived for the day)")
async def get_item(
    item_id: ItemId, svc: Wiring, principal: Reader, as_of: AsOf = None
) -> dict[str, Any]:
    item = await svc.ledger.get(
        ListItem, ListItem.stream_for(str(item_id)), ListItem.KIND, as_of=as_of
    )
    if not _may_see(principal, item):
        raise HTTPException(403, "只能查看本村的清单事项 (own village only)")
    return item_view(item, as_of_day(svc, as_of))


@router.get("", summary="台帐 (the ledger, filtered)")
async def list_items(
    svc: Wiring,
    principal: Reader,
    as_of: AsOf = None,
    list_name: ListName | None = None,
    source: Source | None = None,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")] = None,
    measure: Annotated[int | None, Query(ge=1, le=14)] = None,
    lead_post: str | None = None,
    village: str | None = None,
    overdue: bool | None = None,
) -> dict[str, Any]:
    today = as_of_day(svc, as_of)
    views = [
        item_view(item, today)
        for item in await svc.ledger.load_all(ListItem, f"{ListItem.PREFIX}-", as_of=as_of)
        if _may_see(principal, item)
    ]
    wanted = {
        "list_name": list_name,
        "source": source,
        "status": status,
        "measure": measure,
        "lead_post": lead_post,
        "village": village,
        "overdue": overdue,
    }
    for key, value in wanted.items():
        if value is not None:
            views = [v for v in views if v[key] == value]
    views.sort(key=lambda v: (v["deadline"], v["listed_on"]))
    return {
        "as_of": today,
        "count": len(views),
        "overdue": sum(v["overdue"] for v in views),
        "items": views,
    }
