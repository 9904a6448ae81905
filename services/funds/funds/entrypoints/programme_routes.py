"""Routes of fund programmes (惠农涉农资金): thin — validate, build the command, call it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from funds.application import commands as c
from funds.domain.identity import programme_stream
from funds.domain.programme import Programme
from funds.entrypoints import schemas as s
from funds.entrypoints.access import EVERYONE, WRITERS, Access, reader
from funds.entrypoints.deps import Svc, context, written
from funds.entrypoints.presenters import programme_summary, programme_view
from shared.auth import Principal
from shared.business_dates import AsOf
from shared.web import require

router = APIRouter(prefix="/api/v1", tags=["programmes 资金项目"])

Writer = Annotated[Principal, Depends(require(*WRITERS))]
Reader = Annotated[Access, Depends(reader())]
Json = dict[str, Any]


def _visible(programme: Programme, access: Access) -> bool:
    return access.village is None or (
        programme.village == access.village or access.village in programme.allocations
    )


@router.post("/programmes", status_code=201, summary="设立资金项目 (establish a funded programme)")
async def create_programme(body: s.ProgrammeBody, request: Request, who: Writer, svc: Svc) -> Json:
    fields = body.model_dump(exclude={"exclusive_with"})
    cmd = c.CreateProgramme(**fields, exclusive_with=tuple(body.exclusive_with))
    return written(await svc.programmes.create(cmd, context(request, who, body.occurred_on)))


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
        access.check(programme.village)
    return programme_view(programme, access)


@router.post(
    "/programmes/{programme_id}/allocations",
    status_code=201,
    summary="资金分配到村 (allocate funds to a village)",
)
async def allocate(
    programme_id: str, body: s.AllocationBody, request: Request, who: Writer, svc: Svc
) -> Json:
    cmd = c.AllocateFunds(programme_id=programme_id, **body.model_dump())
    return written(await svc.programmes.allocate(cmd, context(request, who, body.occurred_on)))


@router.post("/programmes/{programme_id}/start", summary="项目启动 (start the programme)")
async def start(
    programme_id: str, request: Request, who: Writer, svc: Svc, body: s.Versioned | None = None
) -> Json:
    body = body or s.Versioned()
    cmd = c.StartProgramme(programme_id=programme_id, **body.model_dump())
    return written(await svc.programmes.start(cmd, context(request, who, body.occurred_on)))


@router.post(
    "/programmes/{programme_id}/disbursements", status_code=201, summary="资金发放 (disburse funds)"
)
async def disburse(
    programme_id: str, body: s.DisbursementBody, request: Request, who: Writer, svc: Svc
) -> Json:
    cmd = c.RecordDisbursement(programme_id=programme_id, **body.model_dump())
    return written(await svc.programmes.disburse(cmd, context(request, who, body.occurred_on)))


@router.post(
    "/programmes/{programme_id}/expenditures",
    status_code=201,
    summary="项目支出 (record an expenditure)",
)
async def spend(
    programme_id: str, body: s.ExpenditureBody, request: Request, who: Writer, svc: Svc
) -> Json:
    cmd = c.RecordExpenditure(programme_id=programme_id, **body.model_dump())
    return written(await svc.programmes.spend(cmd, context(request, who, body.occurred_on)))


@router.post(
    "/programmes/{programme_id}/changes", status_code=201, summary="项目变更 (change the programme)"
)
async def change(
    programme_id: str, body: s.ChangeBody, request: Request, who: Writer, svc: Svc
) -> Json:
    approval = body.approval
    cmd = c.RecordProgrammeChange(
        programme_id=programme_id,
        **body.model_dump(exclude={"approval"}),
        approval_document=approval.document if approval else None,
        approved_by=approval.approved_by if approval else None,
        approved_on=approval.approved_on if approval else None,
    )
    return written(await svc.programmes.change(cmd, context(request, who, body.occurred_on)))


@router.post(
    "/programmes/{programme_id}/notices",
    status_code=201,
    summary="发布公示 (publish a public notice)",
)
async def open_notice(
    programme_id: str, body: s.NoticeBody, request: Request, who: Writer, svc: Svc
) -> Json:
    cmd = c.OpenNotice(programme_id=programme_id, **body.model_dump())
    return written(await svc.programmes.open_notice(cmd, context(request, who, body.occurred_on)))


@router.post(
    "/programmes/{programme_id}/notices/{notice_id}/objections",
    status_code=201,
    summary="登记公示异议 (record an objection to a notice)",
)
async def record_objection(
    programme_id: str,
    notice_id: str,
    body: s.ObjectionBody,
    request: Request,
    who: Writer,
    svc: Svc,
) -> Json:
    cmd = c.RecordObjection(programme_id=programme_id, notice_id=notice_id, **body.model_dump())
    ctx = context(request, who, body.occurred_on)
    return written(await svc.programmes.record_objection(cmd, ctx))


@router.post(
    "/programmes/{programme_id}/notices/{notice_id}/close", summary="公示结束 (close the notice)"
)
async def close_notice(
    programme_id: str,
    notice_id: str,
    body: s.CloseNoticeBody,
    request: Request,
    who: Writer,
    svc: Svc,
) -> Json:
    cmd = c.CloseNotice(programme_id=programme_id, notice_id=notice_id, **body.model_dump())
    ctx = context(request, who, body.occurred_on)
    return written(await svc.programmes.close_notice(cmd, ctx))


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
