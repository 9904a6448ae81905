"""Petition cases (信访件, measure 7): the deputy secretary records; names are shown in full
to the deputy secretary and the town secretary only."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from shared.business_dates import AsOf
from shared.command_routes import command
from shared.roles import Principal
from shared.web import require
from supervision.application import commands as c
from supervision.application import handlers as h
from supervision.domain.petitions import STATUSES, Petition
from supervision.domain.vocabulary import FocusArea
from supervision.entrypoints.access import (
    PETITION_READERS,
    PETITION_WRITERS,
    PETITIONER_NAME_READERS,
)
from supervision.entrypoints.presenters import petition_view

from .common import Wiring

router = APIRouter(prefix="/api/v1/petitions", tags=["petitions 信访"])
PetitionId = Annotated[uuid.UUID, Path(description="信访件编号")]
Writer = Annotated[Principal, Depends(require(*PETITION_WRITERS))]
Reader = Annotated[Principal, Depends(require(*PETITION_READERS))]


command(
    router,
    "",
    c.ReceivePetition,
    h.receive_petition,
    Writer,
    summary="受理信访件 (receive a petition)",
    status_code=201,
)
command(
    router,
    "/{petition_id}/classify",
    c.ClassifyPetition,
    h.classify_petition,
    Writer,
    summary="分类 (classify into a focus area)",
)
command(
    router,
    "/{petition_id}/team",
    c.FormPetitionTeam,
    h.form_petition_team,
    Writer,
    summary="成立工作专班 (form the special team)",
)
command(
    router,
    "/{petition_id}/leader",
    c.AssignPetitionLeader,
    h.assign_petition_leader,
    Writer,
    summary="领导包案 (put a leader in charge)",
)
command(
    router,
    "/{petition_id}/notes",
    c.NotePetitionProgress,
    h.note_petition_progress,
    Writer,
    summary="办理进展 (a progress note)",
)
command(
    router,
    "/{petition_id}/resolve",
    c.ResolvePetition,
    h.resolve_petition,
    Writer,
    summary="化解办结 (resolve)",
)
command(
    router,
    "/{petition_id}/close",
    c.ClosePetition,
    h.close_petition,
    Writer,
    summary="销号 (strike off)",
)
command(
    router,
    "/{petition_id}/reopen",
    c.ReopenPetition,
    h.reopen_petition,
    Writer,
    summary="重新打开 (reopen, with a reason)",
)


@router.get("/{petition_id}", summary="一个信访件 (one case)")
async def get_petition(
    petition_id: PetitionId, svc: Wiring, principal: Reader, as_of: AsOf = None
) -> dict[str, Any]:
    stream = Petition.stream_for(str(petition_id))
    petition = await svc.ledger.get(Petition, stream, Petition.KIND, as_of=as_of)
    reveal = principal.role in PETITIONER_NAME_READERS
    return petition_view(petition, svc.as_of_day(as_of), reveal_names=reveal)


@router.get("", summary="信访台账 (the petition ledger; backlog 积案)")
async def list_petitions(
    svc: Wiring,
    principal: Reader,
    as_of: AsOf = None,
    focus_area: FocusArea | None = None,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")] = None,
    backlog: bool | None = None,
) -> dict[str, Any]:
    today = svc.as_of_day(as_of)
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
