"""Inaction reports and corruption clues (为官不为、雁过拔毛), and accountability (问责):
the discipline secretary's; subjects' names shown in full to them and the town secretary."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from shared.business_dates import AsOf
from shared.command_routes import command
from shared.roles import Principal
from shared.web import require
from supervision.application import commands as c
from supervision.application import handlers as h
from supervision.domain.clues import STATUSES, Clue
from supervision.domain.vocabulary import ClueCategory
from supervision.entrypoints.access import CLUE_READERS, CLUE_SUBJECT_READERS, CLUE_WRITERS
from supervision.entrypoints.presenters import clue_view

from .common import Wiring

router = APIRouter(prefix="/api/v1/clues", tags=["clues 问题线索与问责"])
ClueId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$", description="线索编号")
]
Writer = Annotated[Principal, Depends(require(*CLUE_WRITERS))]
Reader = Annotated[Principal, Depends(require(*CLUE_READERS))]


command(
    router,
    "",
    c.ReceiveClue,
    h.receive_clue,
    Writer,
    summary="受理问题线索 (receive a report or clue)",
    status_code=201,
)
command(
    router,
    "/{clue_id}/verify",
    c.VerifyClue,
    h.verify_clue,
    Writer,
    summary="初步核实 (verified: has substance)",
)
command(
    router,
    "/{clue_id}/accountability",
    c.DecideAccountability,
    h.decide_accountability,
    Writer,
    summary="问责决定 (decide for one person)",
)
command(
    router,
    "/{clue_id}/conclude",
    c.ConcludeClue,
    h.conclude_clue,
    Writer,
    summary="办结 (conclude with the accountability decided)",
)
command(
    router,
    "/{clue_id}/dismiss",
    c.DismissClue,
    h.dismiss_clue,
    Writer,
    summary="予以了结 (dismiss, with reasons)",
)


@router.get("/{clue_id}", summary="一条线索 (one clue)")
async def get_clue(
    clue_id: ClueId, svc: Wiring, principal: Reader, as_of: AsOf = None
) -> dict[str, Any]:
    clue = await svc.ledger.get(Clue, Clue.stream_for(clue_id), Clue.KIND, as_of=as_of)
    view = clue_view(clue, reveal_names=principal.role in CLUE_SUBJECT_READERS)
    view["as_of"] = svc.as_of_day(as_of)
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
    return {"as_of": svc.as_of_day(as_of), "count": len(views), "clues": views}
