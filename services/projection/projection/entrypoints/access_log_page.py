"""The dashboard's page of the read-access log (个人信息访问记录, `/dashboard/access-log`): who
looked at one person's data, and whether the log's chain is intact; for the auditor and the
town secretary, as `GET /api/v1/access-log`. Reading it records nothing."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from projection.entrypoints.web import (
    ACCESS_LOG_PAGE,
    ACCESS_LOG_READERS,
    page_context,
    page_for,
    templates,
)
from projection.views.audit import ROLE_LABELS
from shared.kernel import InvalidResidentId, ResidentId
from shared.personal.secret import person_ref

#: The dashboard's page, before `/dashboard/{name}` takes the path.
pages = APIRouter(include_in_schema=False)


@pages.get("/dashboard/access-log", response_class=HTMLResponse)
async def access_log_page(request: Request, id_number: str = "") -> Response:
    """个人信息访问记录: the newest 200 rows (of one person, when an ID number is given) and the
    state of the log's chain; for the auditor and the town secretary. Reading it records
    nothing."""
    principal = page_for(request, ACCESS_LOG_READERS, "访问记录仅供审计与党委书记查看")
    if isinstance(principal, Response):
        return principal
    ref, problem = None, ""
    if id_number.strip():
        try:
            ref = person_ref(ResidentId(id_number.strip()).value)
        except InvalidResidentId as exc:
            problem = str(exc)
    state = request.app.state
    async with state.engine.connect() as conn:
        rows = [] if problem else await state.access_log.entries(conn, person_ref=ref, limit=200)
        breaks = await state.access_log.verify(conn)
    return templates.TemplateResponse(
        request,
        "access_log.html",
        page_context(
            request,
            principal,
            spec=ACCESS_LOG_PAGE,
            entries=[e.to_json() | {"role_label": ROLE_LABELS.get(e.role, e.role)} for e in rows],
            breaks=[b.to_json() for b in breaks],
            asked=id_number.strip(),
            problem=problem,
        ),
    )
