"""Every router of the funds service."""

from __future__ import annotations

from fastapi import APIRouter

from funds.entrypoints import decision_routes, oversight_routes, programme_routes, village_routes


def routers() -> list[APIRouter]:
    return [
        programme_routes.router,
        oversight_routes.router,
        village_routes.router,
        decision_routes.router,
    ]
