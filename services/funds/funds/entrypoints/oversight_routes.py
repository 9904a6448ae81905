"""Routes of oversight: red flags (预警), their codes, cadre relations, the deadline check and
the view of relief's registered households."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from funds.application import commands as c
from funds.domain.beneficiary import Beneficiary
from funds.domain.codes import CODES, EIGHT_BEHAVIOURS, NINE_CATEGORIES
from funds.domain.identity import programme_stream, red_flag_stream
from funds.domain.programme import Programme
from funds.domain.red_flag import RedFlag
from funds.entrypoints import schemas as s
from funds.entrypoints.access import (
    CHECKERS,
    CONFIRMERS,
    FLAG_HANDLERS,
    WRITERS,
    Access,
    reader,
)
from funds.entrypoints.deps import Services, Svc, context, written
from funds.entrypoints.presenters import (
    code_view,
    disbursement_view,
    red_flag_view,
    relief_household_view,
    trail_view,
)
from shared.auth import Principal
from shared.business_dates import AsOf
from shared.web import require

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
            if access.sees(v["village"])
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
    access.check(view["village"])
    view["trail"] = trail_view(await svc.streams.store.read_stream(flag.stream_id))
    subject = flag.facts
    if subject.programme_id:
        programme = await svc.streams.load(Programme, programme_stream(subject.programme_id))
        paid = programme.disbursements.get(subject.subject_id)
        view["programme"] = programme.name
        view["disbursement"] = disbursement_view(paid, access) if paid else None
    return view


async def _handle(
    flag_id: str,
    action: str,
    text: str,
    body: s.Versioned,
    request: Request,
    who: Principal,
    svc: Services,
) -> Json:
    cmd = c.HandleRedFlag(
        flag_id=flag_id,
        action=action,
        text=text,
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
    )
    return written(await svc.oversight.handle_flag(cmd, context(request, who, body.occurred_on)))


@router.post("/red-flags/{flag_id}/acknowledge", summary="签收预警 (acknowledge a red flag)")
async def acknowledge(
    flag_id: str,
    body: s.FlagNoteBody,
    request: Request,
    who: Annotated[Principal, Depends(require(*FLAG_HANDLERS))],
    svc: Svc,
) -> Json:
    return await _handle(flag_id, "acknowledge", body.note, body, request, who, svc)


@router.post("/red-flags/{flag_id}/explain", summary="预警情况说明 (explain a red flag)")
async def explain(
    flag_id: str,
    body: s.ExplainBody,
    request: Request,
    who: Annotated[Principal, Depends(require(*WRITERS))],
    svc: Svc,
) -> Json:
    return await _handle(flag_id, "explain", body.explanation, body, request, who, svc)


@router.post(
    "/red-flags/{flag_id}/confirm",
    summary="确认问题（纪委书记） (confirm the problem; discipline secretary)",
)
async def confirm(
    flag_id: str,
    body: s.FlagNoteBody,
    request: Request,
    who: Annotated[Principal, Depends(require(*CONFIRMERS))],
    svc: Svc,
) -> Json:
    return await _handle(flag_id, "confirm", body.note, body, request, who, svc)


@router.post(
    "/checks/deadlines",
    summary="期限检查（未按期启动、资金滞留） (deadline check: late starts, idle funds)",
)
async def check_deadlines(
    request: Request,
    who: Annotated[Principal, Depends(require(*CHECKERS))],
    svc: Svc,
    body: s.DeadlineCheckBody | None = None,
) -> Json:
    today = body.today if body else None
    cmd = c.CheckDeadlines(today=today)
    result = await svc.oversight.check_deadlines(cmd, context(request, who, None))
    return {"today": result.id, "red_flags": written(result)["red_flags"]}


@router.post(
    "/cadre-relations",
    status_code=201,
    summary="登记村干部亲属关系 (register a village cadre's relative)",
)
async def record_relation(
    body: s.CadreRelationBody,
    request: Request,
    who: Annotated[Principal, Depends(require(*WRITERS))],
    svc: Svc,
) -> Json:
    cmd = c.RecordCadreRelation(**body.model_dump())
    return written(
        await svc.oversight.record_relation(cmd, context(request, who, body.occurred_on))
    )


@router.get("/cadre-relations", summary="村干部亲属关系 (village cadres' relatives)")
async def list_relations(access: Reader, svc: Svc) -> list[Json]:
    people = await svc.streams.load_all(Beneficiary, "beneficiary-", order="stream_id")
    return [
        {
            "relation_id": r.relation_id,
            "relative_name": access.name(r.relative_name),
            "relative_id_number": access.id_number(r.relative_id_number),
            "relation": r.relation,
            "cadre_name": r.cadre_name,
            "cadre_post": r.cadre_post,
            "cadre_village": r.cadre_village,
            "recorded_on": r.recorded_on,
        }
        for person in people
        for r in person.relations
        if access.sees(r.cadre_village)
    ]


@router.get(
    "/relief-households",
    summary="扶贫建档立卡户（来自扶贫服务的事件） (poor households, from relief's events)",
)
async def relief_households(
    access: Reader, svc: Svc, village: str | None = None, as_of: AsOf = None
) -> Json:
    if village is not None:
        access.check(village)
    async with svc.streams.store.engine.connect() as conn:
        rows = await svc.relief.households(conn, village or access.village)
    day = as_of or svc.clock()
    items = [relief_household_view(row, access, day) for row in rows]
    return {"as_of": day, "count": len(items), "households": items}
