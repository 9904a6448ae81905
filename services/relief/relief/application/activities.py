"""Handlers of the five activities' records: each activity is one ledger stream of the town."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from relief.application.commands import (
    RecordEnterprisePairing,
    RecordFreeClinic,
    RecordPosts,
    RecordStudentHelped,
)
from relief.application.households import Result
from relief.application.ports import Env, UnitOfWorkPort
from relief.domain.activities import (
    ActivityLedger,
    EnterprisePairings,
    FreeClinics,
    PostLedger,
    StudentAid,
    activity_stream,
)
from shared.ids import uuid7

L = TypeVar("L", bound=ActivityLedger)


async def _ledger(uow: UnitOfWorkPort, env: Env, cls: type[L], village: str) -> tuple[L, str]:
    name = env.town.known_village(village).name
    env.scope.check(name)
    return await uow.load(cls, activity_stream(env.town.code, cls.activity)), name


async def enterprise_pairing(cmd: RecordEnterprisePairing, uow: UnitOfWorkPort, env: Env) -> Result:
    ledger, village = await _ledger(uow, env, EnterprisePairings, cmd.village)
    record_id = cmd.record_id or str(uuid7())
    poor = env.town.known_village(village).poor_village
    ledger.record(
        record_id=record_id,
        enterprise=cmd.enterprise,
        village=village,
        poor_village=poor,
        people=list(cmd.people),
        content=cmd.content,
        on=env.day,
    )
    return record_id, ledger


async def posts(cmd: RecordPosts, uow: UnitOfWorkPort, env: Env) -> Result:
    ledger, village = await _ledger(uow, env, PostLedger, cmd.village)
    record_id = cmd.record_id or str(uuid7())
    ledger.record(
        record_id=record_id,
        village=village,
        kind=cmd.kind,
        employer=cmd.employer,
        posts=cmd.posts,
        people=list(cmd.people),
        on=env.day,
    )
    return record_id, ledger


async def student(cmd: RecordStudentHelped, uow: UnitOfWorkPort, env: Env) -> Result:
    ledger, village = await _ledger(uow, env, StudentAid, cmd.village)
    record_id = cmd.record_id or str(uuid7())
    ledger.record(
        record_id=record_id,
        village=village,
        student_name=cmd.student_name,
        school=cmd.school,
        support=cmd.support,
        amount=cmd.amount,
        people=list(cmd.people),
        on=env.day,
    )
    return record_id, ledger


async def clinic(cmd: RecordFreeClinic, uow: UnitOfWorkPort, env: Env) -> Result:
    ledger, village = await _ledger(uow, env, FreeClinics, cmd.village)
    record_id = cmd.record_id or str(uuid7())
    ledger.record(
        record_id=record_id,
        village=village,
        medical_staff=list(cmd.medical_staff),
        patients=cmd.patients,
        services=cmd.services,
        on=env.day,
    )
    return record_id, ledger


HANDLERS: dict[type[Any], Callable[[Any, UnitOfWorkPort, Env], Awaitable[Result]]] = {
    RecordEnterprisePairing: enterprise_pairing,
    RecordPosts: posts,
    RecordStudentHelped: student,
    RecordFreeClinic: clinic,
}
