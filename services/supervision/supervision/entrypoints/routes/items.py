"""The plan's three lists and the ledger (问题清单、责任清单、整改清单, 台帐)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from shared.business_dates import AsOf
from shared.command_routes import command
from shared.pipeline import OutOfScope, Scope
from shared.roles import Principal
from shared.web import require
from supervision.application import commands as c
from supervision.application import handlers as h
from supervision.domain.items import STATUSES, ListItem
from supervision.domain.vocabulary import ListName, Source
from supervision.entrypoints.access import ITEM_CLOSERS, ITEM_READERS, LEADERS
from supervision.entrypoints.presenters import item_view

from .common import Wiring

router = APIRouter(prefix="/api/v1/items", tags=["items 清单台帐"])
ItemId = Annotated[uuid.UUID, Path(description="清单事项编号")]
Writer = Annotated[Principal, Depends(require(*LEADERS))]
Closer = Annotated[Principal, Depends(require(*ITEM_CLOSERS))]
Reader = Annotated[Principal, Depends(require(*ITEM_READERS))]

command(
    router,
    "",
    c.OpenItem,
    h.open_item,
    Writer,
    summary="列入清单 (enter an item on a list)",
    status_code=201,
)
command(
    router,
    "/{item_id}/start",
    c.StartItemWork,
    h.start_item_work,
    Writer,
    summary="开始整改 (start work)",
)
command(
    router,
    "/{item_id}/rectify",
    c.RectifyItem,
    h.rectify_item,
    Writer,
    summary="整改到位 (report rectified)",
)
command(
    router,
    "/{item_id}/close",
    c.CloseItem,
    h.close_item,
    Closer,
    summary="销号 (strike off, on evidence)",
)
command(
    router,
    "/{item_id}/reopen",
    c.ReopenItem,
    h.reopen_item,
    Closer,
    summary="重新整改 (reopen, with a reason)",
)
command(
    router,
    "/{item_id}/notes",
    c.NoteItem,
    h.note_item,
    Writer,
    summary="台帐记录 (a progress note)",
)


def _village(item: ListItem) -> str | None:
    return item.listed.village if item.listed is not None else None


@router.get("/{item_id}", summary="一个事项 (one item, overdue derived for the day)")
async def get_item(
    item_id: ItemId, svc: Wiring, principal: Reader, as_of: AsOf = None
) -> dict[str, Any]:
    item = await svc.ledger.get(
        ListItem, ListItem.stream_for(str(item_id)), ListItem.KIND, as_of=as_of
    )
    if not Scope.of(principal).allows(_village(item)):
        raise OutOfScope("只能查看本村的清单事项 (own village only)")
    return item_view(item, svc.as_of_day(as_of))


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
    today = svc.as_of_day(as_of)
    scope = Scope.of(principal)
    views = [
        item_view(item, today)
        for item in await svc.ledger.load_all(ListItem, f"{ListItem.PREFIX}-", as_of=as_of)
        if scope.allows(_village(item))
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
