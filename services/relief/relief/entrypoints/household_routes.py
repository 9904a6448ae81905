"""HTTP routes of the households (建档立卡): register (one or a file), correct, income, the
两不愁三保障, exit and return, pairing and visits, the five projects' measures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from relief.adapters.tabular import CSV, XLSX, UnreadableTable, read_table
from relief.application import commands as c
from relief.application import households
from relief.application.imports import MAX_ROWS, ImportRejected, rows_to_commands
from relief.application.imports import import_households as import_households_in
from relief.application.ports import Work
from relief.domain.household import Household, household_stream
from relief.domain.values import HouseholdStatus
from relief.entrypoints import presenters
from relief.entrypoints.deps import Reader, Writer, reader, relief, reveal, village_filter
from shared.business_dates import BusinessDate
from shared.command_routes import command, custom_pipeline
from shared.kernel import NotFound
from shared.pipeline import Scope
from shared.web import command_context, problem

router = APIRouter(prefix="/api/v1/households", tags=["households 建档立卡贫困户"])

MAX_UPLOAD = 5 * 1024 * 1024


command(
    router,
    "",
    c.RegisterHousehold,
    households.register,
    Writer,
    summary="建档立卡：登记贫困户 (register a poor household)",
    status_code=201,
)


@router.post(
    "/import",
    status_code=201,
    summary="批量建档：上传 CSV 或 XLSX（全部通过才保存） (bulk registration, all or none)",
    openapi_extra=custom_pipeline(
        requestBody={
            "required": True,
            "content": {
                CSV: {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    ),
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
        pipeline = relief(request)
        ctx = command_context(request, who, pipeline.town.code)

        async def register_all(uow: Work) -> list[tuple[int, str]]:
            return await import_households_in(commands, bad, uow)

        registered, _ = await pipeline.attempt(
            register_all, ctx, Scope.of(who), occurred_on, command="ImportHouseholds"
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
    rows = [
        presenters.household_summary(h, reveal(who)) for h in found if status in (None, h.status)
    ]
    return {"count": len(rows), "households": rows}


@router.get(
    "/{household_id}",
    summary="一户的档案（由其事件重建） (one household's record, rebuilt from its events)",
)
async def get_household(household_id: str, request: Request, who: Reader) -> dict[str, Any]:
    household = await reader(request).load(Household, household_stream(household_id))
    if not household.exists:
        raise NotFound(f"农户 {household_id} 不存在 (no such household)")
    Scope.of(who).check(household.village)
    return presenters.household(household, reveal(who))


command(
    router,
    "/{household_id}/correct",
    c.CorrectHouseholdRecord,
    households.correct,
    Writer,
    summary="更正建档信息 (correct the registration)",
)


command(
    router,
    "/{household_id}/assess-income",
    c.AssessIncome,
    households.assess_income,
    Writer,
    summary="核定人均纯收入 (assess the net income per head)",
)


command(
    router,
    "/{household_id}/check-guarantees",
    c.CheckGuarantees,
    households.check_guarantees,
    Writer,
    summary="记录“两不愁三保障”核验 (record the check of the two assurances and three guarantees)",
)


command(
    router,
    "/{household_id}/exit",
    c.ExitPoverty,
    households.exit_poverty,
    Writer,
    summary="脱贫（收入超过当年贫困线且两不愁三保障全部达到） (exit poverty)",
)


command(
    router,
    "/{household_id}/return",
    c.ReturnToPoverty,
    households.return_to_poverty,
    Writer,
    summary="返贫 (return to poverty)",
)


command(
    router,
    "/{household_id}/pair",
    c.PairHousehold,
    households.pair,
    Writer,
    summary="结对帮扶（党员或干部，一户一人） (pair with a helper, one per household)",
)


command(
    router,
    "/{household_id}/repair",
    c.RepairHousehold,
    households.repair,
    Writer,
    summary="重新结对（须说明原因） (pair again, with a reason)",
)


command(
    router,
    "/{household_id}/visits",
    c.RecordVisit,
    households.visit,
    Writer,
    status_code=201,
    summary="记录走访 (record a visit)",
)


command(
    router,
    "/{household_id}/measures",
    c.PlanMeasure,
    households.plan_measure,
    Writer,
    status_code=201,
    summary="计划五大工程措施 (plan a measure of the five programmes)",
)


command(
    router,
    "/{household_id}/measures/{measure_id}/complete",
    c.CompleteMeasure,
    households.complete_measure,
    Writer,
    summary="措施完成 (complete a measure)",
)
