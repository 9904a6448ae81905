"""The supervision service's HTTP API (REST under /api/v1), one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from . import appraisal, clues, committees, directives, items, petitions, plan, powers

ROUTERS: tuple[APIRouter, ...] = (
    plan.router,
    items.router,
    petitions.router,
    directives.router,
    clues.router,
    powers.router,
    committees.router,
    appraisal.router,
)
