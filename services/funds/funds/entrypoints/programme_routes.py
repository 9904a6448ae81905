"""Routes of fund programmes (惠农涉农资金): a write route is one command (`command(...)`), a
read route loads and presents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from funds.application import commands as c
from funds.application import programmes as h
from funds.domain.identity import programme_stream
from funds.domain.programme import Programme
from funds.entrypoints.access import EVERYONE, WRITERS, Access, reader
from funds.entrypoints.deps import Svc
from funds.entrypoints.presenters import programme_summary, programme_view
from shared.business_dates import AsOf
from shared.command_routes import command
from shared.roles import Principal
from shared.web import require

router = APIRouter(prefix="/api/v1", tags=["programmes 资金项目"])

Writer = Annotated[Principal, Depends(require(*WRITERS))]
Reader = Annotated[Access, Depends(reader())]
Json = dict[str, Any]

P = "/programmes/{programme_id}"

command(
    router,
    "/programmes",
    c.CreateProgramme,
    h.create,
    Writer,
    summary="设立资金项目 (establish a funded programme)",
    status_code=201,
)
command(
    router,
    f"{P}/allocations",
    c.AllocateFunds,
    h.allocate,
    Writer,
    summary="资金分配到村 (allocate funds to a village)",
    status_code=201,
)
command(
    router,
    f"{P}/start",
    c.StartProgramme,
    h.start,
    Writer,
    summary="项目启动 (start the programme)",
)
command(
    router,
    f"{P}/disbursements",
    c.RecordDisbursement,
    h.disburse,
    Writer,
    summary="资金发放 (disburse funds)",
    status_code=201,
)
command(
    router,
    f"{P}/expenditures",
    c.RecordExpenditure,
    h.spend,
    Writer,
    summary="项目支出 (record an expenditure)",
    status_code=201,
)
command(
    router,
    f"{P}/changes",
    c.RecordProgrammeChange,
    h.change,
    Writer,
    summary="项目变更 (change the programme)",
    status_code=201,
)
command(
    router,
    f"{P}/notices",
    c.OpenNotice,
    h.open_notice,
    Writer,
    summary="发布公示 (publish a public notice)",
    status_code=201,
)
command(
    router,
    f"{P}/notices/{{notice_id}}/objections",
    c.RecordObjection,
    h.record_objection,
    Writer,
    summary="登记公示异议 (record an objection to a notice)",
    status_code=201,
)
command(
    router,
    f"{P}/notices/{{notice_id}}/close",
    c.CloseNotice,
    h.close_notice,
    Writer,
    summary="公示结束 (close the notice)",
)


def _visible(programme: Programme, access: Access) -> bool:
    village = access.scope.village
    return village is None or (programme.village == village or village in programme.allocations)


@router.get("/programmes", summary="资金项目列表 (funded programmes)")
async def list_programmes(access: Reader, svc: Svc, as_of: AsOf = None) -> list[Json]:
    programmes = await svc.streams.load_all(Programme, "programme-", as_of=as_of, order="stream_id")
    return [programme_summary(p, access) for p in programmes if _visible(p, access)]


@router.get(
    "/programmes/{programme_id}",
    summary="资金项目详情（含发放明细） (one programme with its disbursements)",
)
async def get_programme(programme_id: str, access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    programme = await svc.streams.get(
        Programme, programme_stream(programme_id), "资金项目", as_of=as_of
    )
    if not _visible(programme, access):
        access.scope.check(programme.village)
    return programme_view(programme, access)


@router.get(
    "/public-notices",
    summary="公示栏（公开，无个人信息） (public notice board; open, no personal data)",
)
async def public_notices(
    svc: Svc,
    _: Annotated[Principal, Depends(require(*EVERYONE))],
    village: str | None = None,
) -> list[Json]:
    programmes = await svc.streams.load_all(Programme, "programme-", order="stream_id")
    return [
        {
            "programme_id": p.programme_id,
            "programme": p.name,
            "notice_id": n.notice_id,
            "village": n.village,
            "title": n.title,
            "opened_on": n.opened_on,
            "ends_on": n.ends_on,
            "closed_on": n.closed_on,
            "objections": len(n.objections),
        }
        for p in programmes
        for n in p.notices.values()
        if village is None or n.village in (None, village)
    ]
