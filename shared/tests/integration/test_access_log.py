"""The read-access log on the real PostgreSQL: appends stay one linear chain, the table refuses
edits, and what a database owner changes anyway is named by `verify`."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.personal.access_log import AccessLog
from shared.roles import Principal, Role
from shared.testing import unique

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SECRETARY = Principal("u-sec", "书记", Role.TOWN_SECRETARY)
AUDITOR = Principal("u-aud", "审计", Role.AUDITOR)
ZHANG, LI = "a" * 32, "b" * 32


async def a_log(engine: AsyncEngine) -> AccessLog:
    log = AccessLog(unique("al"))
    await log.migrate(engine)
    return log


async def test_rows_chain_and_list_newest_first_by_person(engine: AsyncEngine) -> None:
    log = await a_log(engine)
    async with engine.begin() as conn:
        first = await log.record(conn, SECRETARY, "GET /api/v1/audit/h-1", [LI, ZHANG, LI], 3)
        await log.record(conn, AUDITOR, "GET /api/v1/views/relief/villages", [LI], 1)
        await log.record(conn, AUDITOR, "GET /api/v1/basis/x?figure=y", [], 2)
    assert first.persons == (ZHANG, LI)  # sorted, once each
    async with engine.connect() as conn:
        assert await log.verify(conn) == []
        every = await log.entries(conn)
        zhang = await log.entries(conn, person_ref=ZHANG)
        page = await log.entries(conn, limit=1, before=3)
    assert [e.seq for e in every] == [3, 2, 1]
    assert [e.user_id for e in zhang] == ["u-sec"]
    assert [e.seq for e in page] == [2]
    assert every[0].prev_hash == every[1].hash


async def test_concurrent_appends_make_one_linear_chain(engine: AsyncEngine) -> None:
    log = await a_log(engine)

    async def one(n: int) -> None:
        async with engine.begin() as conn:
            await log.record(conn, SECRETARY, f"GET /n/{n}", [ZHANG], 1)

    await asyncio.gather(*(one(n) for n in range(12)))
    async with engine.connect() as conn:
        assert await log.verify(conn) == []
        assert sorted(e.seq for e in await log.entries(conn)) == list(range(1, 13))


async def test_the_table_refuses_updates_and_deletes(engine: AsyncEngine) -> None:
    log = await a_log(engine)
    async with engine.begin() as conn:
        await log.record(conn, SECRETARY, "GET /x", [ZHANG], 1)
    for statement in (
        f"UPDATE \"{log.schema}\".access_log SET user_id = 'x'",
        f'DELETE FROM "{log.schema}".access_log',
        f'TRUNCATE "{log.schema}".access_log',
    ):
        with pytest.raises(Exception, match="append-only"):
            async with engine.begin() as conn:
                await conn.execute(text(statement))


async def test_an_edited_and_a_deleted_row_are_each_named(engine: AsyncEngine) -> None:
    log = await a_log(engine)
    async with engine.begin() as conn:
        for n in range(5):
            await log.record(conn, SECRETARY, f"GET /n/{n}", [ZHANG], 1)
    table = f'"{log.schema}".access_log'
    async with engine.begin() as conn:  # the owner of the table, around the trigger
        await conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER access_log_append_only"))
        await conn.execute(text(f"UPDATE {table} SET persons = '{{}}' WHERE seq = 2"))
        await conn.execute(text(f"DELETE FROM {table} WHERE seq = 4"))
        await conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER access_log_append_only"))
    async with engine.connect() as conn:
        found = await log.verify(conn)
    assert [(b.seq, b.kind) for b in found] == [(2, "edited"), (4, "missing")]
