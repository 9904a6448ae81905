"""Every write service's integrity endpoints (核查), for the auditor.

`GET /api/v1/integrity` checks this service's store (chains, the latest checkpoint, its Kafka
topic) and, with `heads=true`, lists every stream's head for the projection to compare with its
copy; `POST /api/v1/integrity/checkpoints` records a checkpoint now. One check runs at a time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from shared.integrity import checkpoint
from shared.integrity.roles import RECORDERS, VERIFIERS
from shared.integrity.verify import verify_store
from shared.roles import Principal
from shared.web import require

router = APIRouter(prefix="/api/v1/integrity", tags=["integrity"])
_one_at_a_time = asyncio.Lock()

Auditor = Annotated[Principal, Depends(require(*VERIFIERS))]
Recorder = Annotated[Principal, Depends(require(*RECORDERS))]


@router.get("", summary="核查本服务的事件存储 (verify this service's event store)")
async def verify(request: Request, _: Auditor, heads: bool = False) -> dict[str, Any]:
    runtime = request.app.state.runtime
    async with _one_at_a_time:
        report = await verify_store(
            runtime.store,
            runtime.service,
            kafka=runtime.settings.kafka_bootstrap_servers,
            outbox_kept=dt.timedelta(days=runtime.settings.retention_days),
        )
    body = report.as_dict()
    if heads:
        body["heads"] = {stream: head.as_list() for stream, head in report.heads.items()}
    return body


@router.post(
    "/checkpoints", status_code=201, summary="记录检查点 (record a checkpoint of the stream heads)"
)
async def record(request: Request, principal: Recorder) -> dict[str, Any]:
    runtime = request.app.state.runtime
    made = await checkpoint.record(
        runtime.store, runtime.service, principal.actor, town=runtime.settings.town_code
    )
    return {
        "service": runtime.service,
        "number": made.number,
        "root": made.root,
        "tree_size": len(made.leaves),
        "event_id": str(made.event.event_id),
        "recorded_at": made.event.recorded_at.isoformat(),
    }
