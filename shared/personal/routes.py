"""The read-access log over HTTP (个人信息访问记录), in every write service and the projection:
`GET /api/v1/access-log` lists who saw people's data unmasked through this service (the auditor
and the town secretary; `id_number=` narrows it to one person, by their keyed reference),
`GET /api/v1/access-log/verify` checks the log's hash chain (the auditor). Reading the log
records nothing in it. The log is the service runtime's (`app.state.runtime`) or, in the
projection, `app.state.access_log` on `app.state.engine`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.kernel import InvalidResidentId, ResidentId
from shared.personal.access_log import AccessLog
from shared.personal.secret import person_ref
from shared.roles import Principal, Role
from shared.web import require

router = APIRouter(prefix="/api/v1/access-log", tags=["personal data 个人信息"])
Reader = Annotated[Principal, Depends(require(Role.AUDITOR, Role.TOWN_SECRETARY))]
Verifier = Annotated[Principal, Depends(require(Role.AUDITOR))]


def _log(request: Request) -> tuple[AsyncEngine, AccessLog]:
    state = request.app.state
    runtime = getattr(state, "runtime", None)
    if runtime is not None:
        return runtime.engine, runtime.access_log
    return state.engine, state.access_log


@router.get("", summary="个人信息访问记录 (who saw people's data unmasked here)")
async def access_log(
    request: Request,
    _: Reader,
    id_number: Annotated[
        str | None, Query(max_length=32, description="只看此身份证号的人被谁查看")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: Annotated[
        int | None, Query(ge=1, le=2**63 - 1, description="只列编号小于此数的记录（翻页）")
    ] = None,
) -> dict[str, Any]:
    ref = None
    if id_number:
        try:
            ref = person_ref(ResidentId(id_number).value)
        except InvalidResidentId as exc:
            raise StarletteHTTPException(422, str(exc)) from exc
    engine, log = _log(request)
    async with engine.connect() as conn:
        entries = await log.entries(conn, person_ref=ref, limit=limit, before=before)
    return {
        "person_ref": ref,
        "entries": [e.to_json() for e in entries],
        "next_before": entries[-1].seq if len(entries) == limit else None,
    }


@router.get("/verify", summary="核验访问记录的哈希链 (verify the access log's hash chain)")
async def verify(request: Request, _: Verifier) -> dict[str, Any]:
    engine, log = _log(request)
    async with engine.connect() as conn:
        breaks = await log.verify(conn)
    return {"intact": not breaks, "breaks": [b.to_json() for b in breaks]}
