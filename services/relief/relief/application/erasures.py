"""Handler of the erasure command (个人信息删除)."""

from __future__ import annotations

from relief.application.commands import RequestErasure
from relief.application.ports import Work
from relief.domain.erasure import Erasure, erasure_stream
from shared.ids import uuid7
from shared.personal.secret import person_ref
from shared.pipeline import Done


async def request_erasure(cmd: RequestErasure, uow: Work) -> Done:
    """Record `person.ErasureRequested` naming the person by their keyed reference only."""
    ref = person_ref(cmd.id_number)
    erasure = await uow.load(Erasure, erasure_stream(ref))
    erasure_id = str(uuid7())
    erasure.request(erasure_id=erasure_id, person_ref=ref, reason=cmd.reason, on=uow.day)
    uow.add(erasure)
    return erasure_id, erasure
