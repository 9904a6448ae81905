"""The supervision service's HTTP API (REST under /api/v1), one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from . import clues, directives, items, petitions, plan

ROUTERS: tuple[APIRouter, ...] = (
    plan.router,
    items.router,
    petitions.router,
    directives.router,
    clues.router,
)
