"""The auditor's check of the sources (核查): `GET /api/v1/integrity` asks every write service to
verify its own store (chains, checkpoint, Kafka) and compares each store's stream heads with the
projection's copy; `POST /api/v1/integrity/checkpoints` has every service record a checkpoint.

The caller's own token goes with each request, so a service answers only a caller it would
answer directly. A service that cannot be asked is reported as such, never as clean.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from projection.adapters.copies import stream_heads
from projection.adapters.reader import ReadModels
from projection.entrypoints.web import (
    INTEGRITY_PAGE,
    page_context,
    page_for,
    templates,
)
from shared.integrity.report import render
from shared.integrity.roles import RECORDERS, VERIFIERS
from shared.integrity.verify import GRACE, ServiceReport, report_from_dict, with_projection
from shared.roles import Principal
from shared.web import require

router = APIRouter(prefix="/api/v1/integrity", tags=["integrity"])
#: The dashboard's page (存储核查), before `/dashboard/{name}` takes the path.
pages = APIRouter(include_in_schema=False)
#: How long one service may take to verify its store.
TIMEOUT = 300.0

Verifier = Annotated[Principal, Depends(require(*VERIFIERS))]
Recorder = Annotated[Principal, Depends(require(*RECORDERS))]


async def verify_sources(request: Request) -> dict[str, Any]:
    """Every service's report with the projection's copy compared, and the text report (a
    town's projection: a county's compares nothing of its own, 409)."""
    settings = request.app.state.settings
    if settings.area_code != settings.town_code:
        raise StarletteHTTPException(
            409,
            "存储核查请在镇级驾驶舱进行：县级驾驶舱汇总各镇的读模型"
            " (verify the stores on a town's projection; a county's rolls the towns up)",
        )
    urls, answers = await _ask_every_service(request, "GET", "/api/v1/integrity?heads=true")
    reader: ReadModels = request.app.state.reader
    async with reader.snapshot() as snap:
        copies = await stream_heads(snap.conn, snap.schema)
    town = request.app.state.settings.town_code
    reports = []
    for service, (body, error) in zip(urls, answers, strict=True):
        if body is None:
            reports.append(
                ServiceReport(service, problems=[f"无法核查 (could not verify): {error}"])
            )
            continue
        reports.append(with_projection(report_from_dict(body), copies.get(service, {}), town=town))
    bodies = [report.as_dict() for report in reports]
    return {
        "clean": all(report.clean for report in reports),
        "services": bodies,
        "text": render(bodies),
    }


async def record_checkpoints(request: Request) -> dict[str, Any]:
    """Every write service records a checkpoint now; its answer (or why not) by service."""
    urls, answers = await _ask_every_service(request, "POST", "/api/v1/integrity/checkpoints")
    return {
        service: body if body is not None else {"error": error}
        for service, (body, error) in zip(urls, answers, strict=True)
    }


@router.get("", summary="核查各服务的事件存储及其副本 (verify every store, Kafka and the views)")
async def get_integrity(request: Request, _: Verifier) -> dict[str, Any]:
    return await verify_sources(request)


@router.post(
    "/checkpoints", status_code=201, summary="各服务记录检查点 (every service records a checkpoint)"
)
async def post_checkpoints(request: Request, _: Recorder) -> dict[str, Any]:
    return await record_checkpoints(request)


@pages.get("/dashboard/integrity", response_class=HTMLResponse)
async def integrity_page(request: Request, recorded: str = "") -> Response:
    """存储核查: the same report as `GET /api/v1/integrity`, for the auditor and the leaders."""
    principal = page_for(request, VERIFIERS, "存储核查仅供审计、党委书记与纪委书记查看")
    if isinstance(principal, Response):
        return principal
    return templates.TemplateResponse(
        request,
        "integrity.html",
        page_context(
            request,
            principal,
            spec=INTEGRITY_PAGE,
            result=await verify_sources(request),
            grace=int(GRACE.total_seconds()),
            may_record=principal.role in RECORDERS,
            recorded=recorded,
        ),
    )


@pages.post("/dashboard/integrity/checkpoints")
async def integrity_checkpoints(request: Request) -> Response:
    principal = page_for(request, RECORDERS, "仅审计与党委书记可记录检查点")
    if isinstance(principal, Response):
        return principal
    made = await record_checkpoints(request)
    done = "，".join(
        f"{service} #{body['number']}" if "number" in body else f"{service} 未能记录"
        for service, body in made.items()
    )
    return RedirectResponse(
        f"/dashboard/integrity?{urlencode({'recorded': f'已记录检查点：{done}'})}", status_code=303
    )


Answer = tuple[dict[str, Any] | None, str]


async def _ask_every_service(
    request: Request, method: str, path: str
) -> tuple[dict[str, str], list[Answer]]:
    """Every write service's answer to `method path`, asked at once with the caller's token."""
    urls: dict[str, str] = request.app.state.settings.service_urls
    auth = {"authorization": request.headers.get("authorization", "")}
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        answers = await asyncio.gather(
            *(_ask(client, method, f"{url}{path}", auth) for url in urls.values())
        )
    return urls, list(answers)


async def _ask(client: httpx.AsyncClient, method: str, url: str, headers: dict[str, str]) -> Answer:
    try:
        response = await client.request(method, url, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail", "")
        except ValueError:
            detail = response.text[:200]
        return None, f"HTTP {response.status_code} {detail}"
    body: dict[str, Any] = response.json()
    return body, ""
