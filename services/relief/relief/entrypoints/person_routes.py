"""HTTP route of a person's erasure (个人信息删除): the town secretary's, with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from relief.application import commands as c
from relief.application.erasures import request_erasure
from shared.command_routes import command
from shared.roles import Principal, Role
from shared.web import require

router = APIRouter(prefix="/api/v1/persons", tags=["personal data 个人信息"])

#: Only the town's party secretary (党委书记) orders an erasure.
Eraser = Annotated[Principal, Depends(require(Role.TOWN_SECRETARY))]

command(
    router,
    "/erasures",
    c.RequestErasure,
    request_erasure,
    Eraser,
    summary="删除个人信息：删除一位居民在各服务中的密钥 (erase one person's personal data)",
    status_code=201,
)
