"""The plan and its 14 measures (方案、主要措施)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from shared.business_dates import AsOf
from shared.command_routes import custom_pipeline, pipeline_of
from shared.pipeline import Scope, Work
from shared.roles import Principal
from shared.web import command_context, require
from supervision.application import handlers
from supervision.application.commands import RegisterPlanMeasures
from supervision.application.handlers import Deps, Registration
from supervision.domain.items import ListItem
from supervision.domain.measures import Measure, measure_stream
from supervision.entrypoints.access import PLAN_READERS, PLAN_REGISTRARS
from supervision.entrypoints.presenters import measure_view

from .common import Wiring

router = APIRouter(prefix="/api/v1", tags=["plan 方案"])


@router.get("/plan", summary="方案 (the plan as loaded from its file)")
async def get_plan(
    svc: Wiring, _: Annotated[Principal, Depends(require(*PLAN_READERS))]
) -> dict[str, Any]:
    plan = svc.plan
    return {
        "plan_id": plan.plan_id,
        "version": plan.version,
        "title": plan.title,
        "posts": list(plan.posts),
        "units": list(plan.units),
        "groups": [{"number": g.number, "title": g.title} for g in plan.groups],
        "measures": [
            {
                "number": m.number,
                "group": m.group,
                "title": m.title,
                "lead_post": m.lead_post,
                "lead_units": list(m.lead_units),
                "deadline": m.deadline,
                "due_on": m.due_on,
                "tasks": list(m.tasks),
                "targets": [
                    {"key": t.key, "text": t.text, "quantity": t.quantity, "unit": t.unit}
                    for t in m.targets
                ],
                "problems": list(m.problems),
            }
            for m in plan.measures
        ],
    }


@router.post(
    "/plan/register",
    summary="登记方案的14项措施 (register the plan's measures)",
    openapi_extra=custom_pipeline(),
)
async def register_plan(
    cmd: RegisterPlanMeasures,
    request: Request,
    principal: Annotated[Principal, Depends(require(*PLAN_REGISTRARS))],
) -> dict[str, Any]:
    """Registers each measure not registered yet; registering again changes nothing. Answers
    the measures registered now and those registered before (a list, not one entity)."""
    pipeline = pipeline_of(request)
    ctx = command_context(request, principal, pipeline.town.code)

    async def register(uow: Work[Deps]) -> list[Registration]:
        return await handlers.register_plan_measures(cmd, uow)

    done, _ = await pipeline.attempt(
        register, ctx, Scope.of(principal), cmd.occurred_on, command="RegisterPlanMeasures"
    )
    return {
        "plan_id": pipeline.deps.plan.plan_id,
        "registered": [r.number for r in done if r.registered_now],
        "already_registered": [r.number for r in done if not r.registered_now],
    }


@router.get("/measures", summary="措施总览 (the registered measures with their items)")
async def list_measures(
    svc: Wiring,
    _: Annotated[Principal, Depends(require(*PLAN_READERS))],
    as_of: AsOf = None,
) -> dict[str, Any]:
    today = svc.as_of_day(as_of)
    measures = await svc.ledger.load_all(Measure, f"measure-{svc.plan.plan_id}-", as_of=as_of)
    items = await svc.ledger.load_all(ListItem, f"{ListItem.PREFIX}-", as_of=as_of)
    by_measure: dict[int, Counter[str]] = {}
    for item in items:
        assert item.listed is not None
        counts = by_measure.setdefault(item.listed.measure, Counter())
        counts[item.status] += 1
        counts["overdue"] += item.overdue(today)
        counts["total"] += 1
    views = []
    for measure in sorted(measures, key=lambda m: m.registered.number if m.registered else 0):
        view = measure_view(measure)
        view["items"] = dict(by_measure.get(view["number"], Counter()))
        view["deadline_passed"] = view["due_on"] is not None and today > view["due_on"]
        views.append(view)
    return {"as_of": today, "measures": views}


@router.get("/measures/{number}", summary="一项措施 (one registered measure)")
async def get_measure(
    number: int,
    svc: Wiring,
    _: Annotated[Principal, Depends(require(*PLAN_READERS))],
    as_of: AsOf = None,
) -> dict[str, Any]:
    svc.plan.measure(number)
    stream = measure_stream(svc.plan.plan_id, number)
    measure = await svc.ledger.get(Measure, stream, "措施", as_of=as_of)
    return measure_view(measure)
