"""HTTP routes of the households (建档立卡): register (one or a file), correct, income, the
两不愁三保障, exit and return, pairing and visits, the five projects' measures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from relief.adapters.tabular import CSV, XLSX, UnreadableTable, read_table
from relief.application import commands as c
from relief.application.imports import MAX_ROWS, ImportRejected, rows_to_commands
from relief.domain.household import Household, household_stream
from relief.domain.values import HouseholdStatus
from relief.entrypoints import schemas as s
from relief.entrypoints import views
from relief.entrypoints.deps import (
    Reader,
    Writer,
    context,
    reader,
    reveal,
    run,
    scope_of,
    service,
    village_filter,
)
from shared.business_dates import BusinessDate
from shared.kernel import NotFound
from shared.web import problem

router = APIRouter(prefix="/api/v1/households", tags=["households 建档立卡贫困户"])

MAX_UPLOAD = 5 * 1024 * 1024


@router.post("", status_code=201, summary="建档立卡：登记贫困户 (register a poor household)")
async def register(body: s.RegisterHouseholdIn, request: Request, who: Writer) -> dict[str, Any]:
    return await run(request, who, body.command())


@router.post(
    "/import",
    status_code=201,
    summary="批量建档：上传 CSV 或 XLSX（全部通过才保存） (bulk registration, all or none)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                CSV: {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def import_households(
    request: Request,
    who: Writer,
    occurred_on: Annotated[BusinessDate | None, Query(description="建档日期（默认今天）")] = None,
) -> Any:
    """The file is the request body: `Content-Type: text/csv` (UTF-8 or GBK) or the XLSX type
    (first sheet). A header row, then one household per row. Columns (English or Chinese):
    `village` 村/社区, `head_name` 户主姓名, `head_id_number` 户主身份证号,
    `income_per_head` 人均纯收入, `causes` 致贫原因 (separated by 、 , ;), and optionally
    `members` 家庭成员 (`姓名/身份证号/关系` separated by ;). Any bad row → 422 problem+json
    whose `errors` list every bad row's line, column and reason; nothing is stored."""
    declared = int(request.headers.get("content-length") or 0)
    if declared > MAX_UPLOAD:
        return problem(413, "请求过大 (payload too large)", "文件不能超过 5 MB", request=request)
    data = await request.body()
    if len(data) > MAX_UPLOAD:
        return problem(413, "请求过大 (payload too large)", "文件不能超过 5 MB", request=request)
    try:
        header, rows = read_table(data, request.headers.get("content-type", ""), MAX_ROWS)
        commands, bad = rows_to_commands(header, rows)
        registered = await service(request).import_households(
            commands, bad, context(request, who, occurred_on), scope_of(who), occurred_on
        )
    except UnreadableTable as exc:
        return problem(exc.status, "文件无法读取 (unreadable file)", str(exc), request=request)
    except ImportRejected as exc:
        errors = [{"line": e.line, "field": e.field, "message": e.message} for e in exc.errors]
        return problem(422, exc.title, str(exc), request=request, errors=errors)
    body = {
        "imported": len(registered),
        "households": [{"line": line, "household_id": hid} for line, hid in registered],
    }
    return JSONResponse(body, status_code=201)


@router.get("", summary="贫困户名单（按村、状态） (households, by village and status)")
async def list_households(
    request: Request,
    who: Reader,
    village: str | None = None,
    status: HouseholdStatus | None = None,
) -> dict[str, Any]:
    where = village_filter(who, village)
    found = await reader(request).load_all(
        Household,
        with_event="relief.HouseholdRegistered",
        where={"village": where} if where else None,
    )
    rows = [views.household_summary(h, reveal(who)) for h in found if status in (None, h.status)]
    return {"count": len(rows), "households": rows}


@router.get(
    "/{household_id}",
    summary="一户的档案（由其事件重建） (one household's record, rebuilt from its events)",
)
async def get_household(household_id: str, request: Request, who: Reader) -> dict[str, Any]:
    household = await reader(request).load(Household, household_stream(household_id))
    if not household.exists:
        raise NotFound(f"农户 {household_id} 不存在 (no such household)")
    scope_of(who).check(household.village)
    return views.household(household, reveal(who))


@router.post("/{household_id}/correct", summary="更正建档信息 (correct the registration)")
async def correct(
    household_id: str, body: s.CorrectRecordIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.CorrectHouseholdRecord(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
        head_name=body.head_name,
        members=[m.person() for m in body.members],
        causes=body.causes,
        reason=body.reason,
    )
    return await run(request, who, cmd)


@router.post(
    "/{household_id}/assess-income", summary="核定人均纯收入 (assess the net income per head)"
)
async def assess_income(
    household_id: str, body: s.AssessIncomeIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.AssessIncome(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
        income_per_head=body.income_per_head,
        year=body.year,
    )
    return await run(request, who, cmd)


@router.post(
    "/{household_id}/check-guarantees",
    summary="记录“两不愁三保障”核验 (record the check of the two assurances and three guarantees)",
)
async def check_guarantees(
    household_id: str, body: s.GuaranteesIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.CheckGuarantees(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
        checks=body.checks(),
        notes=body.notes,
    )
    return await run(request, who, cmd)


@router.post(
    "/{household_id}/exit",
    summary="脱贫（收入超过当年贫困线且两不愁三保障全部达到） (exit poverty)",
)
async def exit_poverty(
    household_id: str, request: Request, who: Writer, body: s.Versioned | None = None
) -> dict[str, Any]:
    body = body or s.Versioned()
    cmd = c.ExitPoverty(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
    )
    return await run(request, who, cmd)


@router.post("/{household_id}/return", summary="返贫 (return to poverty)")
async def return_to_poverty(
    household_id: str, body: s.ReturnIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.ReturnToPoverty(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
        reason=body.reason,
        income_per_head=body.income_per_head,
    )
    return await run(request, who, cmd)


@router.post(
    "/{household_id}/pair",
    summary="结对帮扶（党员或干部，一户一人） (pair with a helper, one per household)",
)
async def pair(household_id: str, body: s.PairIn, request: Request, who: Writer) -> dict[str, Any]:
    cmd = c.PairHousehold(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
        member_id=body.member_id,
        cadre_name=body.cadre_name,
        cadre_post=body.cadre_post,
    )
    return await run(request, who, cmd)


@router.post("/{household_id}/repair", summary="重新结对（须说明原因） (pair again, with a reason)")
async def repair(
    household_id: str, body: s.RepairIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.RepairHousehold(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
        member_id=body.member_id,
        cadre_name=body.cadre_name,
        cadre_post=body.cadre_post,
        reason=body.reason,
    )
    return await run(request, who, cmd)


@router.post("/{household_id}/visits", status_code=201, summary="记录走访 (record a visit)")
async def visit(
    household_id: str, body: s.VisitIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.RecordVisit(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
        notes=body.notes,
        visitor=body.visitor,
        visit_id=s.client_id(body.visit_id),
    )
    return await run(request, who, cmd)


@router.post(
    "/{household_id}/measures",
    status_code=201,
    summary="计划五大工程措施 (plan a measure of the five programmes)",
)
async def plan_measure(
    household_id: str, body: s.MeasureIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.PlanMeasure(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
        project=body.project,
        description=body.description,
        measure_id=s.client_id(body.measure_id),
    )
    return await run(request, who, cmd)


@router.post(
    "/{household_id}/measures/{measure_id}/complete", summary="措施完成 (complete a measure)"
)
async def complete_measure(
    household_id: str, measure_id: str, body: s.CompleteMeasureIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.CompleteMeasure(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        household_id=household_id,
        measure_id=measure_id,
        outcome=body.outcome,
    )
    return await run(request, who, cmd)
