"""Petition cases (信访件, measure 7): the deputy secretary records; names are shown in full
to the deputy secretary and the town secretary only."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from shared.auth import Principal
from shared.business_dates import AsOf
from shared.ids import uuid7
from shared.web import require
from supervision.application import commands as c
from supervision.application import handlers
from supervision.application.views import petition_view
from supervision.domain.petitions import STATUSES, Petition
from supervision.domain.vocabulary import FocusArea
from supervision.entrypoints import schemas as s

from .common import (
    PETITION_READERS,
    PETITION_WRITERS,
    PETITIONER_NAME_READERS,
    Wiring,
    as_of_day,
    outcome,
    work,
)

router = APIRouter(prefix="/api/v1/petitions", tags=["petitions 信访"])
PetitionId = Annotated[uuid.UUID, Path(description="信访件编号")]
Writer = Annotated[Principal, Depends(require(*PETITION_WRITERS))]
Reader = Annotated[Principal, Depends(require(*PETITION_READERS))]


@router.post("", status_code=201, summary="受理信访件 (receive a petition)")
async def receive_petition(
    body: s.ReceivePetitionBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ReceivePetition(
        petition_id=str(body.id or uuid7()),
        channel=body.channel,
        petitioner_name=body.petitioner_name,
        petitioner_count=body.petitioner_count,
        village=svc.village(body.village),
        subject=body.subject,
        repeat_of=str(body.repeat_of) if body.repeat_of else None,
        on=w.on,
    )
    return outcome(await handlers.receive_petition(cmd, w.uow))


@router.post("/{petition_id}/classify", summary="分类 (classify into a focus area)")
async def classify(
    petition_id: PetitionId,
    body: s.ClassifyPetitionBody,
    request: Request,
    svc: Wiring,
    principal: Writer,
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ClassifyPetition(
        petition_id=str(petition_id),
        focus_area=body.focus_area,
        key_case=body.key_case,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.classify_petition(cmd, w.uow))


@router.post("/{petition_id}/team", summary="成立工作专班 (form the special team)")
async def form_team(
    petition_id: PetitionId,
    body: s.PetitionTeamBody,
    request: Request,
    svc: Wiring,
    principal: Writer,
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.FormPetitionTeam(
        petition_id=str(petition_id),
        team_name=body.team_name,
        members=tuple(body.members),
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.form_petition_team(cmd, w.uow))


@router.post("/{petition_id}/leader", summary="领导包案 (put a leader in charge)")
async def assign_leader(
    petition_id: PetitionId,
    body: s.PetitionLeaderBody,
    request: Request,
    svc: Wiring,
    principal: Writer,
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.AssignPetitionLeader(
        petition_id=str(petition_id),
        leader=body.leader,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.assign_petition_leader(cmd, w.uow))


@router.post("/{petition_id}/notes", summary="办理进展 (a progress note)")
async def note_progress(
    petition_id: PetitionId, body: s.NoteBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.NotePetitionProgress(
        petition_id=str(petition_id),
        note=body.note,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.note_petition_progress(cmd, w.uow))


@router.post("/{petition_id}/resolve", summary="化解办结 (resolve)")
async def resolve(
    petition_id: PetitionId,
    body: s.ResolvePetitionBody,
    request: Request,
    svc: Wiring,
    principal: Writer,
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ResolvePetition(
        petition_id=str(petition_id),
        resolution=body.resolution,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.resolve_petition(cmd, w.uow))


@router.post("/{petition_id}/close", summary="销号 (strike off)")
async def close(
    petition_id: PetitionId, body: s.CloseBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ClosePetition(
        petition_id=str(petition_id),
        note=body.note,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.close_petition(cmd, w.uow))


@router.post("/{petition_id}/reopen", summary="重新打开 (reopen, with a reason)")
async def reopen(
    petition_id: PetitionId, body: s.ReopenBody, request: Request, svc: Wiring, principal: Writer
) -> dict[str, Any]:
    w = work(request, principal, svc, body)
    cmd = c.ReopenPetition(
        petition_id=str(petition_id),
        reason=body.reason,
        on=w.on,
        expected_version=body.expected_version,
    )
    return outcome(await handlers.reopen_petition(cmd, w.uow))


@router.get("/{petition_id}", summary="一个信访件 (one case)")
async def get_petition(
    petition_id: PetitionId, svc: Wiring, principal: Reader, as_of: AsOf = None
) -> dict[str, Any]:
    stream = Petition.stream_for(str(petition_id))
    petition = await svc.ledger.get(Petition, stream, Petition.KIND, as_of=as_of)
    reveal = principal.role in PETITIONER_NAME_READERS
    return petition_view(petition, as_of_day(svc, as_of), reveal_names=reveal)


@router.get("", summary="信访台账 (the petition ledger; backlog 积案)")
async def list_petitions(
    svc: Wiring,
    principal: Reader,
    as_of: AsOf = None,
    focus_area: FocusArea | None = None,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")] = None,
    backlog: bool | None = None,
) -> dict[str, Any]:
    today = as_of_day(svc, as_of)
    reveal = principal.role in PETITIONER_NAME_READERS
    views = [
        petition_view(p, today, reveal_names=reveal)
        for p in await svc.ledger.load_all(Petition, f"{Petition.PREFIX}-", as_of=as_of)
    ]
    for key, value in {"focus_area": focus_area, "status": status, "backlog": backlog}.items():
        if value is not None:
            views = [v for v in views if v[key] == value]
    open_cases = [v for v in views if v["backlog"]]
    return {
        "as_of": today,
        "count": len(views),
        "backlog": len(open_cases),
        "backlog_by_focus_area": dict(Counter(v["focus_area"] or "未分类" for v in open_cases)),
        "petitions": views,
    }
