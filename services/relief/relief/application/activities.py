"""Handlers of the five activities' records: each activity is one ledger stream of the town."""

from __future__ import annotations

from typing import TypeVar

from relief.application.commands import (
    RecordEnterprisePairing,
    RecordFreeClinic,
    RecordPosts,
    RecordStudentHelped,
)
from relief.application.ports import Work
from relief.domain.activities import (
    ActivityLedger,
    EnterprisePairings,
    FreeClinics,
    PostLedger,
    StudentAid,
    activity_stream,
)
from shared.ids import uuid7
from shared.pipeline import Done

L = TypeVar("L", bound=ActivityLedger)


async def _ledger(uow: Work, cls: type[L], village: str) -> tuple[L, str]:
    name = uow.town.known_village(village).name
    uow.scope.check(name)
    return await uow.load(cls, activity_stream(uow.town.code, cls.activity)), name


async def enterprise_pairing(cmd: RecordEnterprisePairing, uow: Work) -> Done:
    ledger, village = await _ledger(uow, EnterprisePairings, cmd.village)
    record_id = cmd.record_id or str(uuid7())
    poor = uow.town.known_village(village).poor_village
    ledger.record(
        record_id=record_id,
        enterprise=cmd.enterprise,
        village=village,
        poor_village=poor,
        people=list(cmd.people),
        content=cmd.content,
        on=uow.day,
    )
    return record_id, ledger


async def posts(cmd: RecordPosts, uow: Work) -> Done:
    ledger, village = await _ledger(uow, PostLedger, cmd.village)
    record_id = cmd.record_id or str(uuid7())
    ledger.record(
        record_id=record_id,
        village=village,
        kind=cmd.kind,
        employer=cmd.employer,
        posts=cmd.posts,
        people=list(cmd.people),
        on=uow.day,
    )
    return record_id, ledger


async def student(cmd: RecordStudentHelped, uow: Work) -> Done:
    ledger, village = await _ledger(uow, StudentAid, cmd.village)
    record_id = cmd.record_id or str(uuid7())
    ledger.record(
        record_id=record_id,
        village=village,
        student_name=cmd.student_name,
        school=cmd.school,
        support=cmd.support,
        amount=cmd.amount,
        people=list(cmd.people),
        on=uow.day,
    )
    return record_id, ledger


async def clinic(cmd: RecordFreeClinic, uow: Work) -> Done:
    ledger, village = await _ledger(uow, FreeClinics, cmd.village)
    record_id = cmd.record_id or str(uuid7())
    ledger.record(
        record_id=record_id,
        village=village,
        medical_staff=list(cmd.medical_staff),
        patients=cmd.patients,
        services=cmd.services,
        on=uow.day,
    )
    return record_id, ledger
