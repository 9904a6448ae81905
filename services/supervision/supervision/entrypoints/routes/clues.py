"""Inaction reports and corruption clues (为官不为、雁过拔毛), and accountability (问责):
the discipline secretary's; subjects' names shown in full to them and the town secretary."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from shared.auth import Principal
from shared.business_dates import AsOf
from shared.ids import uuid7
from shared.web import require
from supervision.application import commands as c
from supervision.application import handlers
from supervision.application.views import clue_view
from supervision.domain.clues import STATUSES, Clue
from supervision.domain.vocabulary import ClueCategory
from supervision.entrypoints import schemas as s

from .common import (
    CLUE_READERS,
    CLUE_SUBJECT_READERS,
    CLUE_WRITERS,
    Wiring,
    as_of_day,
    outcome,
    work,
)

router = APIRouter(prefix="/api/v1/clues", tags=["clues 问题线索与问责"])
ClueId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$", description="线索编号")
]
Writer = Annotated[Principal, Depends(require(*CLUE_WRITERS))]
Reader = Annotated[Principal, Depends(require(*CLUE_READERS))]


@router.post("", status_code=201, summary="受理问题线索 (receive a report or clue)")
async def receive(
    body: s.ReceiveClueBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ReceiveClue(
        clue_id=str(body.id or uuid7()),
        category=body.category,
        channel=body.channel,
        summary=body.summary,
        village=svc.village(body.village),
        subject_name=body.subject_name,
        subject_post=body.subject_post,
        subject_member_id=body.subject_member_id,
        on=w.on,
    )
    return outcome(await handlers.receive_clue(cmd, w.uow))


@router.post("/{clue_id}/verify", summary="初步核实 (verified: has substance)")
async def verify(
    clue_id: ClueId, body: s.VerifyClueBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.VerifyClue(
        clue_id=clue_id, findings=body.findings, on=w.on, expected_version=body.expected_version
    )
    return outcome(await handlers.verify_clue(cmd, w.uow))


@router.post("/{clue_id}/accountability", summary="问责决定 (decide for one person)")
async def decide(
    clue_id: ClueId, body: s.DecideBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.DecideAccountability(
        clue_id=clue_id,
        subject_name=body.subject_name,
        subject_member_id=body.subject_member_id,
        subject_post=body.subject_post,
        kind=body.kind,
        reason=body.reason,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.decide_accountability(cmd, w.uow))


@router.post("/{clue_id}/conclude", summary="办结 (conclude with the accountability decided)")
async def conclude(
    clue_id: ClueId, body: s.ConcludeClueBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ConcludeClue(
        clue_id=clue_id, summary=body.summary, on=w.on, expected_version=body.expected_version
    )
    return outcome(await handlers.conclude_clue(cmd, w.uow))


@router.post("/{clue_id}/dismiss", summary="予以了结 (dismiss, with reasons)")
async def dismiss(
    clue_id: ClueId, body: s.DismissClueBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.DismissClue(
        clue_id=clue_id, reason=body.reason, on=w.on, expected_version=body.expected_version
    )
    return outcome(await handlers.dismiss_clue(cmd, w.uow))


@router.get("/{clue_id}", summary="一条线索 (one clue)")
async def get_clue(
    clue_id: ClueId, svc: Wiring, principal: Reader, as_of: AsOf = None
) -> dict[str, Any]:
    clue = await svc.ledger.get(Clue, Clue.stream_for(clue_id), Clue.KIND, as_of=as_of)
    view = clue_view(clue, reveal_names=principal.role in CLUE_SUBJECT_READERS)
    view["as_of"] = as_of_day(svc, as_of)
    return view


@router.get("", summary="线索台账 (the clues)")
async def list_clues(
    svc: Wiring,
    principal: Reader,
    as_of: AsOf = None,
    category: ClueCategory | None = None,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")] = None,
) -> dict[str, Any]:
    reveal = principal.role in CLUE_SUBJECT_READERS
    views = [
        clue_view(k, reveal_names=reveal)
        for k in await svc.ledger.load_all(Clue, f"{Clue.PREFIX}-", as_of=as_of)
    ]
    for key, value in {"category": category, "status": status}.items():
        if value is not None:
            views = [v for v in views if v[key] == value]
    return {"as_of": as_of_day(svc, as_of), "count": len(views), "clues": views}
