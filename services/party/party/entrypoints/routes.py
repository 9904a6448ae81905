"""The party API under `/api/v1/` (thin routes: validate, build the command, call the handler)."""

from __future__ import annotations

from fastapi import APIRouter

from party.entrypoints import (
    adjustment_routes,
    appraisal_routes,
    assessment_routes,
    branch_routes,
    member_routes,
    training_routes,
)

router = APIRouter(prefix="/api/v1")
for part in (
    branch_routes,
    member_routes,
    training_routes,
    assessment_routes,
    appraisal_routes,
    adjustment_routes,
):
    router.include_router(part.router)
