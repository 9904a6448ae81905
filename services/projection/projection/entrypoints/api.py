"""The JSON API: `/api/v1/views/<name>` (with `?format=csv|xlsx`), `/api/v1/audit/<stream>`,
the public notices, replay reports and the projection's status."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import IO, Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.exceptions import HTTPException as StarletteHTTPException

from projection.adapters.area import split_stream, towns_of
from projection.adapters.disclosure import Disclosure
from projection.adapters.reader import ReadModels
from projection.domain.access import (
    REPLAY_READERS,
    VIEW_READERS,
    OutOfScope,
    held_area,
    may_read_village,
    sees_clues,
    sees_full_detail,
    town_scope,
)
from projection.domain.catalogue import CONFIDENTIAL_KINDS
from projection.domain.timeframe import Window, after_day
from projection.entrypoints.access_log import disclosure
from projection.entrypoints.export import XLSX, write_csv, write_xlsx
from projection.entrypoints.params import ViewQuery
from projection.views.audit import audit_trail
from projection.views.auditing import mark_changed_after
from projection.views.common import Ask
from projection.views.model import RowChunks, View
from projection.views.public import public_notices
from projection.views.registry import SPECS, VIEWS
from shared.business_dates import AsOf
from shared.clock import china_today
from shared.roles import Principal
from shared.web import require

router = APIRouter(prefix="/api/v1", tags=["views"])
Reader = Annotated[Principal, Depends(require(*VIEW_READERS))]
#: Bytes of an export kept in memory before its file spills to disk.
EXPORT_IN_MEMORY = 1 << 20


def audit_url(stream_id: str) -> str:
    return f"/api/v1/audit/{quote(stream_id, safe='')}"


@asynccontextmanager
async def opened_view(
    request: Request, name: str, ask: Ask, principal: Principal
) -> AsyncIterator[View]:
    """A view built from the live schema, with personal data opened and masked for the
    caller's role; its snapshot stays open inside the block (an export reads its long lists
    there). A view that showed personal data unmasked is recorded in the access log once,
    when the block ends (for an export: after its every row was written)."""
    spec = VIEWS.get(name)
    if spec is None:
        raise StarletteHTTPException(404, f"没有这个视图 (no view named {name})")
    reader: ReadModels = request.app.state.reader
    shown = disclosure(request, principal)
    async with reader.snapshot(town=ask.town_code) as snap:
        view = await spec.build(snap, ask)
        await mark_changed_after(snap, ask, spec.group, view)
        sort = ask.page.sort
        if sort and not any(t.page and sort in t.page.sortable for t in view.tables):
            raise StarletteHTTPException(
                422, f"该视图的列表不能按 {sort} 排序 (cannot sort by {sort})"
            )
        for table in view.tables:
            table.rows = await _shown(snap.conn, table.rows, shown)
            if table.more is not None:
                table.more = _shown_chunks(snap.conn, table.more, shown)
        yield view
    await shown.record()


async def _shown(
    conn: AsyncConnection, rows: list[dict[str, Any]], shown: Disclosure
) -> list[dict[str, Any]]:
    return [
        row | ({"audit_url": audit_url(row["stream_id"])} if row.get("stream_id") else {})
        for row in await shown.rows(conn, rows)
    ]


def _shown_chunks(conn: AsyncConnection, more: RowChunks, shown: Disclosure) -> RowChunks:
    async def chunks() -> AsyncIterator[list[dict[str, Any]]]:
        async for chunk in more():
            yield await _shown(conn, chunk, shown)

    return chunks


async def build_view(request: Request, name: str, ask: Ask, principal: Principal) -> View:
    """A view as `opened_view` builds it, for a page (no rows left to read)."""
    async with opened_view(request, name, ask, principal) as view:
        return view


def _file_chunks(spool: IO[bytes]) -> Iterator[bytes]:
    """A written export, read back in 64 KiB pieces and closed at the end."""
    try:
        spool.seek(0)
        while piece := spool.read(1 << 16):
            yield piece
    finally:
        spool.close()


@router.get("/views", summary="列出全部视图 (all views)")
async def list_views(principal: Reader) -> list[dict[str, str]]:
    return [
        {"name": s.name, "title": s.title, "group": s.group, "url": f"/api/v1/views/{s.name}"}
        for s in SPECS
    ]


@router.get(
    "/views/{name:path}",
    summary="一个视图（JSON、CSV 或 XLSX） (one view as JSON, CSV or XLSX)",
    response_model=None,
)
async def get_view(
    name: str,
    request: Request,
    principal: Reader,
    query: Annotated[ViewQuery, Depends()],
    format: Annotated[
        Literal["json", "csv", "xlsx"], Query(description="json、csv 或 xlsx")
    ] = "json",
    table: Annotated[str | None, Query(description="CSV 导出哪张表（默认第一张）")] = None,
) -> dict[str, Any] | Response:
    ask = query.ask(request, principal, every_row=format != "json")
    if format == "json":
        return (await build_view(request, name, ask, principal)).to_json()
    spool = tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY)  # noqa: SIM115 (streamed)
    try:
        async with opened_view(request, name, ask, principal) as view:
            stem = f"{name.replace('/', '-')}-{view.window.as_of or china_today()}"
            if format == "csv":
                try:
                    chosen = view.table(table)
                except KeyError as exc:
                    raise StarletteHTTPException(
                        404, f"视图中没有这张表 (no table {table})"
                    ) from exc
                await write_csv(chosen, spool)
                media, filename = "text/csv; charset=utf-8", f"{stem}-{chosen.name}.csv"
            else:
                user = f"{principal.name} ({principal.role.value})"
                await write_xlsx(view, spool, user=user, masked=not sees_full_detail(principal))
                media, filename = XLSX, f"{stem}.xlsx"
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(
        _file_chunks(spool),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def load_audit(
    request: Request, stream_id: str, principal: Principal, as_of: dt.date | None
) -> dict[str, Any]:
    """An entity's audit trail, if the caller may read it (404 when unknown, 403 when out of
    scope)."""
    reader: ReadModels = request.app.state.reader
    shown = disclosure(request, principal)
    area = request.app.state.settings.area_code
    try:  # a town's token on a county projection reads its own town's trails only
        town = town_scope(held_area(principal, area), area, None, towns_of(area))
    except OutOfScope as exc:
        raise StarletteHTTPException(403, str(exc)) from exc
    named, _ = split_stream(stream_id)
    if town is not None and named is not None and named != town:
        raise StarletteHTTPException(403, "只能查看本镇数据 (outside your town)")
    async with reader.snapshot(town=town) as snap:
        trail = await audit_trail(
            snap,
            stream_id,
            full=shown.full,
            cutoff=after_day(as_of) if as_of else None,
            keys=lambda value: shown.keys_for(snap.conn, value),
            seen=shown.seen,
        )
    if trail is None:
        raise StarletteHTTPException(404, f"没有该实体的事件 (no events of {stream_id})")
    if not may_read_village(principal, trail["village"]):
        raise StarletteHTTPException(403, "只能查看本村数据 (outside your village)")
    if trail["kind"] in CONFIDENTIAL_KINDS and not sees_clues(principal):
        raise StarletteHTTPException(403, "线索明细仅纪委书记、党委书记和审计可查看")
    await shown.record()
    return trail


@router.get(
    "/audit/{stream_id}",
    summary="实体审计追溯（含哈希链校验） (an entity's audit trail, hash chain verified)",
)
async def get_audit(
    stream_id: str,
    request: Request,
    principal: Reader,
    as_of: AsOf = None,
) -> dict[str, Any]:
    return await load_audit(request, stream_id, principal, as_of)


@router.get(
    "/public/notices",
    summary="公示信息（无需令牌，不含个人信息） (public notices; no token, no personal data)",
    tags=["public"],
)
async def get_public(
    request: Request,
    village: Annotated[str | None, Query()] = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    ask = Ask(
        window=Window(as_of=as_of),
        village=village,
        today=china_today(),
        town_code=request.app.state.settings.area_code,
    )
    reader: ReadModels = request.app.state.reader
    async with reader.snapshot() as snap:
        return await public_notices(snap, ask)


@router.get("/replays", summary="读模型重建记录 (read-model rebuilds)")
async def get_replays(
    request: Request, principal: Annotated[Principal, Depends(require(*REPLAY_READERS))]
) -> list[dict[str, Any]]:
    return list(await request.app.state.generations.replays())


@router.get(
    "/status",
    summary="投影状态：当前 schema、事件数 (projection status: current schema, event counts)",
)
async def get_status(request: Request, principal: Reader) -> JSONResponse:
    reader: ReadModels = request.app.state.reader
    area = request.app.state.settings.area_code
    try:  # a town's token on a county's projection: its own town's counts
        town = town_scope(held_area(principal, area), area, None, towns_of(area))
    except OutOfScope as exc:
        raise StarletteHTTPException(403, str(exc)) from exc
    async with reader.snapshot(town=town) as snap:
        stats = await snap.stats()
    worker = request.app.state.worker
    workers = request.app.state.workers
    body = {
        "schema": stats["schema"],
        "events": stats["events"],
        "last_recorded": stats["last_recorded"].isoformat() if stats["last_recorded"] else None,
        "consumer": {"schema": worker.schema, "running": worker.running},
        "area": request.app.state.settings.area_code,
        "towns": {w.settings.town_code: w.schema for w in workers},
    }
    return JSONResponse(body)
