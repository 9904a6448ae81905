"""事实依据: `GET /api/v1/basis/<view>?figure=<id>` lists the entities or events behind one
figure of a view, under the same filters and `as_of` (the page `/basis/<view>` shows the same).
Each item links to its audit trail and its event's cause chain. The number listed equals the
figure: the list is what the view counted, or the query that counts the same in SQL.
"""

from __future__ import annotations

import dataclasses
import io
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from projection.adapters.queries import Page
from projection.adapters.reader import Entity, LoggedEvent, ReadModels, Snapshot
from projection.domain.access import VIEW_READERS
from projection.domain.catalogue import CONFIDENTIAL_KINDS, KIND_LABELS, event_label, status_label
from projection.entrypoints.access_log import disclosure
from projection.entrypoints.export import write_csv
from projection.entrypoints.params import ViewQuery
from projection.entrypoints.web import error_page, page_context, page_reader, templates
from projection.views.audit import ROLE_LABELS
from projection.views.auditing import chain_url
from projection.views.basis import Basis, EntityQuery, EventQuery
from projection.views.common import Ask, PageAsk
from projection.views.model import Column, Table, View
from projection.views.registry import VIEWS
from shared.clock import china_date, china_today
from shared.envelope import Envelope
from shared.roles import Principal
from shared.web import require

router = APIRouter(prefix="/api/v1", tags=["views"])
pages = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require(*VIEW_READERS))]
Figure = Annotated[str, Query(min_length=1, max_length=300, description="数字的编号（视图中给出）")]
#: The state fields that name an entity in a list, in order of preference.
NAME_KEYS = ("head_name", "name", "title", "student_name", "petitioner_name", "subject_name")


async def load_basis(
    request: Request,
    name: str,
    figure: str,
    query: ViewQuery,
    principal: Principal,
    *,
    every_item: bool = False,
) -> dict[str, Any]:
    """A figure's basis, one page of it (or all, for an export), masked for the caller (404
    for an unknown view or figure, 403 for clue detail the caller may not read); recorded in
    the access log if it showed personal data unmasked."""
    ask = query.ask(request, principal, every_row=every_item)  # another village: 403 first
    spec = VIEWS.get(name)
    if spec is None:
        raise StarletteHTTPException(404, f"没有这个视图 (no view named {name})")
    reader: ReadModels = request.app.state.reader
    async with reader.snapshot(town=ask.town_code) as snap:
        view = await spec.build(snap, dataclasses.replace(ask, page=PageAsk()))
        basis = view.basis(figure)
        if basis is None:
            raise StarletteHTTPException(
                404, f"该视图没有这个数字的事实依据 (no figure {figure} in {name})"
            )
        if basis.kinds & CONFIDENTIAL_KINDS and not ask.clues:
            raise StarletteHTTPException(403, "线索明细仅纪委书记、党委书记和审计可查看")
        total, items = await _items(snap, basis, ask)
        shown = disclosure(request, principal)
        items = await shown.rows(snap.conn, items, kind=lambda item: item.get("kind_code"))
    await shown.record()
    return {
        "view": name,
        "view_title": spec.title,
        "figure": figure,
        "label": _label(view, figure),
        "count": basis.count,
        "sums": basis.sums,
        "listed": total,
        "as_of": ask.window.as_of.isoformat() if ask.window.as_of else None,
        "village": ask.village,
        "items": items,
        "page": {
            "number": ask.page.number,
            "size": ask.page.size,
            "total": total,
            "pages": max(1, -(-total // ask.page.size)) if ask.page.size else 1,
        },
    }


#: The columns of a basis export (CSV), in the dashboard's order.
EXPORT_COLUMNS = [
    Column("kind", "对象类别"),
    Column("head_name", "户主/姓名"),
    Column("name", "名称"),
    Column("title", "标题"),
    Column("village", "村/社区"),
    Column("status", "状态"),
    Column("event", "事件"),
    Column("occurred_on", "业务日期", "date"),
    Column("recorded_on", "录入日期", "date"),
    Column("actor", "经办"),
    Column("actor_role", "经办角色"),
    Column("amount", "数量"),
    Column("event_id", "事件编号"),
    Column("stream_id", "实体流"),
]


@router.get(
    "/basis/{name:path}",
    summary="事实依据：一个数字背后的事件（JSON 或 CSV） (the events behind one figure)",
    response_model=None,
)
async def get_basis(
    name: str,
    request: Request,
    principal: Reader,
    query: Annotated[ViewQuery, Depends()],
    figure: Figure,
    format: Annotated[
        Literal["json", "csv"], Query(description="json 或 csv（全部条目）")
    ] = "json",
) -> dict[str, Any] | Response:
    if format == "json":
        return await load_basis(request, name, figure, query, principal)
    found = await load_basis(request, name, figure, query, principal, every_item=True)
    table = Table("basis", str(found["label"]), EXPORT_COLUMNS, list(found["items"]))
    spool = io.BytesIO()
    await write_csv(table, spool)
    stem = f"basis-{name.replace('/', '-')}-{found['as_of'] or china_today()}"
    return Response(
        spool.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'},
    )


@pages.get("/basis/{name:path}", response_class=HTMLResponse)
async def basis_page(
    name: str, request: Request, query: Annotated[ViewQuery, Depends()], figure: Figure
) -> Response:
    principal = page_reader(request)
    if isinstance(principal, Response):
        return principal
    try:
        found = await load_basis(request, name, figure, query, principal)
    except StarletteHTTPException as exc:
        return error_page(request, principal, exc)
    return templates.TemplateResponse(
        request,
        "basis.html",
        page_context(request, principal, spec=VIEWS[name], basis=found, query=query.params()),
    )


def _label(view: View, figure: str) -> str:
    """A figure's name for people: the card's label, or table · row · column."""
    kind, _, rest = figure.partition("/")
    if kind == "card":
        return rest
    if kind == "chart":
        chart_name, series, category = [*rest.split("/", 2), "", ""][:3]
        title = next((c.title for c in view.charts if c.name == chart_name), chart_name)
        return f"{title} · {series} · {category}"
    table_name, column, row_key = [*rest.split("/", 2), "", ""][:3]
    for table in view.tables:
        if table.name == table_name:
            title = next((c.title for c in table.columns if c.key == column), column)
            return f"{table.title} · {row_key} · {title}"
    return figure


async def _items(snap: Snapshot, basis: Basis, ask: Ask) -> tuple[int, list[dict[str, Any]]]:
    """How many entities or events the basis holds, and the asked page of them as items."""
    size = ask.page.size  # None: every item (an export)
    offset = (ask.page.number - 1) * size if size else 0
    end = offset + size if size else None
    w = ask.window
    entities: list[Entity] = []
    events: list[LoggedEvent] = []
    if isinstance(basis.query, EntityQuery):
        q = basis.query
        total, entities = await snap.entity_page(
            list(q.kinds),
            cutoff=w.cutoff,
            village=q.village or ask.village,
            page=Page(offset=offset, limit=size),
            where=q.where,
        )
    elif isinstance(basis.query, EventQuery):
        every = await snap.facts(
            list(basis.query.types),
            start=w.flow_start,
            cutoff=w.cutoff,
            village=basis.query.village or ask.village,
        )
        total, events = len(every), every[offset:end]
    elif basis.entities:
        total, entities = len(basis.entities), list(basis.entities[offset:end])
        # a view may have read a few fields of each: the page is read whole, for its names
        whole = await snap.entities_by_stream([e.stream_id for e in entities], cutoff=w.cutoff)
        entities = [whole.get(e.stream_id, e) for e in entities]
    else:
        total, events = len(basis.events), list(basis.events[offset:end])
    if entities:
        behind = await snap.status_events([e.stream_id for e in entities], cutoff=w.cutoff)
        logged = await snap.logged(list(behind.values()))
        return total, [
            _entity_item(e, logged[behind[e.stream_id]] if e.stream_id in behind else None)
            for e in entities
        ]
    ids = [e.event_id for e in events if e.event_id is not None]
    logged = await snap.logged(ids)
    return total, [
        _event_item(e, logged.get(e.event_id) if e.event_id else None, basis.sums) for e in events
    ]


def _entity_item(entity: Entity, env: Envelope | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "stream_id": entity.stream_id,
        "kind_code": entity.kind,
        "kind": KIND_LABELS.get(entity.kind, entity.kind),
        "village": entity.village or "",
        "status": status_label(entity.kind, entity.status),
    }
    for key in NAME_KEYS:
        if entity.get(key):
            item[key] = entity.get(key)
            break
    return item | _event_fields(env) | {"audit_url": _audit(entity.stream_id)}


def _event_item(event: LoggedEvent, env: Envelope | None, sums: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "stream_id": event.stream_id,
        "kind_code": event.kind,
        "kind": KIND_LABELS.get(event.kind, event.kind),
        "village": event.village or "",
    }
    if sums is not None:
        item["amount"] = event.payload.get(sums)
    return item | _event_fields(env) | {"audit_url": _audit(event.stream_id)}


def _event_fields(env: Envelope | None) -> dict[str, Any]:
    if env is None:
        return {}
    return {
        "event": event_label(env.event_type),
        "event_id": str(env.event_id),
        "occurred_on": china_date(env.occurred_at).isoformat(),
        "recorded_on": china_date(env.recorded_at).isoformat(),
        "actor": env.actor.user_id,
        "actor_role": ROLE_LABELS.get(env.actor.role, env.actor.role),
        "chain_url": chain_url(str(env.event_id)),
    }


def _audit(stream_id: str) -> str:
    return f"/api/v1/audit/{quote(stream_id, safe='')}"
