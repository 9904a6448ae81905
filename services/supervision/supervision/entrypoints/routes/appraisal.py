"""The facts of the yearly appraisal (年度绩效考核的事实依据, 保障措施 3): counted by supervision
from its own measures, items, directives and petitions, recorded by the leading group; party
grades them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from shared.business_dates import AsOf
from shared.command_routes import command
from shared.roles import Principal
from shared.web import require
from supervision.application import commands as c
from supervision.application import governance as g
from supervision.domain.appraisal import AppraisalFacts, appraisal_stream
from supervision.entrypoints.access import APPRAISAL_READERS, APPRAISAL_RECORDERS
from supervision.entrypoints.presenters import appraisal_view

from .common import Wiring

router = APIRouter(prefix="/api/v1/appraisal-facts", tags=["appraisal 年度考核事实"])
Recorder = Annotated[Principal, Depends(require(*APPRAISAL_RECORDERS))]
Reader = Annotated[Principal, Depends(require(*APPRAISAL_READERS))]

command(
    router,
    "/{year}",
    c.RecordAppraisalFacts,
    g.record_appraisal_facts,
    Recorder,
    summary="记录年度考核事实 (record the year's appraisal facts as counted)",
)


@router.get("/{year}", summary="年度考核事实 (the year's appraisal facts as last recorded)")
async def get_facts(
    year: Annotated[int, Path(ge=2000, le=2100, description="年度")],
    svc: Wiring,
    _: Reader,
    as_of: AsOf = None,
) -> dict[str, Any]:
    facts = await svc.ledger.get(
        AppraisalFacts, appraisal_stream(year), AppraisalFacts.KIND, as_of=as_of
    )
    return appraisal_view(facts)
