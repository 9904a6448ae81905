"""Routes of oversight: red flags (预警), their codes, cadre relations, the deadline check and
the view of relief's registered households."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from funds.application import commands as c
from funds.application import oversight as h
from funds.application.ports import Deps
from funds.domain.beneficiary import Beneficiary
from funds.domain.codes import CODES, EIGHT_BEHAVIOURS, NINE_CATEGORIES
from funds.domain.identity import programme_stream, red_flag_stream
from funds.domain.programme import Programme
from funds.domain.red_flag import RedFlag
from funds.entrypoints.access import (
    CHECKERS,
    CONFIRMERS,
    FLAG_HANDLERS,
    WRITERS,
    Access,
    reader,
)
from funds.entrypoints.deps import Svc
from funds.entrypoints.presenters import (
    code_view,
    disbursement_view,
    red_flag_view,
    relief_household_view,
    trail_view,
)
from shared.business_dates import AsOf
from shared.command_routes import command, custom_pipeline, pipeline_of
from shared.pipeline import Scope, Work, Written, WrittenOut
from shared.roles import Principal
from shared.web import command_context, require

router = APIRouter(prefix="/api/v1", tags=["oversight 预警与监督"])

Reader = Annotated[Access, Depends(reader())]
Json = dict[str, Any]


@router.get(
    "/red-flag-codes",
    summary="预警代码表（对应措施14九类问题、措施13八种行为） (red-flag codes)",
)
async def red_flag_codes(_: Reader) -> Json:
    covered_c = {i for info in CODES.values() for i in info.categories}
    covered_b = {i for info in CODES.values() for i in info.behaviours}
    return {
        "codes": [code_view(info) for info in CODES.values()],
        "nine_categories": [
            {"index": i, "label": label, "covered": i in covered_c}
            for i, label in enumerate(NINE_CATEGORIES, start=1)
        ],
        "eight_behaviours": [
            {"index": i, "label": label, "covered": i in covered_b}
            for i, label in enumerate(EIGHT_BEHAVIOURS, start=1)
        ],
    }


@router.get("/red-flags", summary="预警列表 (red flags)")
async def list_red_flags(
    access: Reader,
    svc: Svc,
    code: str | None = None,
    village: str | None = None,
    status: str | None = None,
    programme_id: str | None = None,
    as_of: AsOf = None,
) -> list[Json]:
    flags = await svc.streams.load_all(RedFlag, "redflag-", as_of=as_of)
    views = [red_flag_view(f) for f in flags if f.raised is not None]
    return sorted(
        (
            v
            for v in views
            if access.scope.allows(v["village"])
            and (code is None or v["code"] == code)
            and (village is None or v["village"] == village)
            and (status is None or v["status"] == status)
            and (programme_id is None or v["programme_id"] == programme_id)
        ),
        key=lambda v: (v["raised_on"], v["code"], v["flag_id"]),
    )


@router.get(
    "/red-flags/{flag_id}",
    summary="预警详情（含处理经过；纪委书记可见明细） (one red flag and its handling)",
)
async def get_red_flag(flag_id: str, access: Reader, svc: Svc) -> Json:
    flag = await svc.streams.get(RedFlag, red_flag_stream(flag_id), "预警")
    view = red_flag_view(flag)
    access.scope.check(view["village"])
    view["trail"] = trail_view(await svc.streams.store.read_stream(flag.stream_id))
    subject = flag.facts
    if subject.programme_id:
        programme = await svc.streams.load(Programme, programme_stream(subject.programme_id))
        paid = programme.disbursements.get(subject.subject_id)
        view["programme"] = programme.name
        view["disbursement"] = disbursement_view(paid, access) if paid else None
    return view


command(
    router,
    "/red-flags/{flag_id}/acknowledge",
    c.AcknowledgeRedFlag,
    h.acknowledge_flag,
    Annotated[Principal, Depends(require(*FLAG_HANDLERS))],
    summary="签收预警 (acknowledge a red flag)",
)
command(
    router,
    "/red-flags/{flag_id}/explain",
    c.ExplainRedFlag,
    h.explain_flag,
    Annotated[Principal, Depends(require(*WRITERS))],
    summary="预警情况说明 (explain a red flag)",
)
command(
    router,
    "/red-flags/{flag_id}/confirm",
    c.ConfirmRedFlag,
    h.confirm_flag,
    Annotated[Principal, Depends(require(*CONFIRMERS))],
    summary="确认问题（纪委书记） (confirm the problem; discipline secretary)",
)


@router.post(
    "/checks/deadlines",
    summary="期限检查（未按期启动、资金滞留） (deadline check: late starts, idle funds)",
    response_model=WrittenOut,
    openapi_extra=custom_pipeline(),
)
async def check_deadlines(
    request: Request,
    who: Annotated[Principal, Depends(require(*CHECKERS))],
    body: c.CheckDeadlines | None = None,
) -> Json:
    """Not one entity's command: the check runs in one unit of work of the pipeline, dated to
    the day checked; the answer names that day (`id`) and lists the flags it raised
    (`events`)."""
    cmd = body or c.CheckDeadlines()
    pipeline = pipeline_of(request)
    ctx = command_context(request, who, pipeline.town.code)

    async def check(uow: Work[Deps]) -> str:
        await h.check_deadlines(cmd, uow)
        return uow.day.isoformat()

    day, committed = await pipeline.attempt(
        check, ctx, Scope.of(who), cmd.occurred_on, command="CheckDeadlines"
    )
    written = Written.of_events(day, committed)
    return written.to_json()


command(
    router,
    "/cadre-relations",
    c.RecordCadreRelation,
    h.record_relation,
    Annotated[Principal, Depends(require(*WRITERS))],
    summary="登记村干部亲属关系 (register a village cadre's relative)",
    status_code=201,
)


@router.get("/cadre-relations", summary="村干部亲属关系 (village cadres' relatives)")
async def list_relations(access: Reader, svc: Svc) -> list[Json]:
    people = await svc.streams.load_all(Beneficiary, "beneficiary-", order="stream_id")
    return [
        {
            "relation_id": r.relation_id,
            "relative_name": access.name(r.relative_name, of=r.relative_id_number),
            "relative_id_number": access.id_number(r.relative_id_number),
            "relation": r.relation,
            "cadre_name": r.cadre_name,
            "cadre_post": r.cadre_post,
            "cadre_village": r.cadre_village,
            "recorded_on": r.recorded_on,
        }
        for person in people
        for r in person.relations
        if access.scope.allows(r.cadre_village)
    ]


@router.get(
    "/relief-households",
    summary="扶贫建档立卡户（来自扶贫服务的事件） (poor households, from relief's events)",
)
async def relief_households(
    access: Reader, svc: Svc, village: str | None = None, as_of: AsOf = None
) -> Json:
    village = access.scope.narrow(village)
    async with svc.streams.store.engine.connect() as conn:
        rows = await svc.relief.households(conn, village)
    day = as_of or svc.today()
    items = [relief_household_view(row, access, day) for row in rows]
    return {"as_of": day, "count": len(items), "households": items}
