"""Which data schema is live (`projection_meta.current_schema`), and swapping in a rebuilt one.

The API reads the live schema's name at the start of every request (one indexed row), and the
consumer checks it every few seconds, so a replay swaps its schema in without a restart: the
next request reads the new schema, and the consumer moves to it, continuing from the offsets
the rebuild stored there.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from projection.adapters.schema import META_MIGRATIONS
from shared.db import checked_schema, migrate

CURRENT = "current_schema"


class Generations:
    """The home schema's record of data schemas (generations `<home>_g<N>`)."""

    def __init__(self, engine: AsyncEngine, home: str) -> None:
        self.engine = engine
        self.home = checked_schema(home)
        self._h = f'"{self.home}"'

    async def migrate(self) -> None:
        await migrate(self.engine, self.home, "projection_meta", META_MIGRATIONS)

    def schema_of(self, generation: int) -> str:
        return checked_schema(f"{self.home}_g{generation}")

    def generation_of(self, schema: str) -> int:
        m = re.fullmatch(re.escape(self.home) + r"_g(\d+)", schema)
        return int(m[1]) if m else 0

    async def current(self, conn: AsyncConnection | None = None) -> str:
        """The live data schema (the first generation when none was recorded yet)."""
        if conn is None:
            async with self.engine.begin() as own:
                return await self.current(own)
        sql = f"SELECT value FROM {self._h}.projection_meta WHERE key = :k"
        value = (await conn.execute(text(sql), {"k": CURRENT})).scalar_one_or_none()
        if value is None:
            await conn.execute(
                text(
                    f"INSERT INTO {self._h}.projection_meta (key, value) VALUES (:k, :v)"
                    " ON CONFLICT DO NOTHING"
                ),
                {"k": CURRENT, "v": self.schema_of(1)},
            )
            value = (await conn.execute(text(sql), {"k": CURRENT})).scalar_one()
        return checked_schema(str(value))

    async def existing(self) -> list[str]:
        """Every generation schema in the database, oldest first."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE :p"
                ),
                {"p": f"{self.home}\\_g%"},
            )
            names = [str(r[0]) for r in rows if self.generation_of(str(r[0]))]
        return sorted(names, key=self.generation_of)

    async def next_schema(self) -> str:
        """A fresh schema name after every generation that exists."""
        numbers = [self.generation_of(s) for s in await self.existing()]
        numbers.append(self.generation_of(await self.current()))
        return self.schema_of(max(numbers) + 1)

    async def swap(self, schema: str) -> str:
        """Make `schema` the live one; returns the schema it replaced."""
        schema = checked_schema(schema)
        async with self.engine.begin() as conn:
            old = await self.current(conn)
            await conn.execute(
                text(
                    f"UPDATE {self._h}.projection_meta SET value = :v, updated_at = now()"
                    " WHERE key = :k"
                ),
                {"k": CURRENT, "v": schema},
            )
        return old

    async def drop(self, schema: str) -> None:
        """Drop a generation that is not live."""
        schema = checked_schema(schema)
        if not self.generation_of(schema):
            raise ValueError(f"{schema} is not a generation of {self.home}")
        if schema == await self.current():
            raise ValueError(f"{schema} is live; it cannot be dropped")
        async with self.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    async def record_replay(self, report: dict[str, Any]) -> None:
        """Keep a rebuild's report (shown to auditors)."""
        async with self.engine.begin() as conn:
            await conn.execute(
                text(
                    f"INSERT INTO {self._h}.projection_replays (schema_name, started_at,"
                    " finished_at, swapped, report) VALUES (:s, :a, :b, :w, CAST(:r AS jsonb))"
                ),
                {
                    "s": report["schema"],
                    "a": report["started_at_dt"],
                    "b": report["finished_at_dt"],
                    "w": bool(report["swapped"]),
                    "r": json.dumps(
                        {k: v for k, v in report.items() if not k.endswith("_dt")},
                        ensure_ascii=False,
                        default=str,
                    ),
                },
            )

    async def replays(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest rebuild reports."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                text(f"SELECT report FROM {self._h}.projection_replays ORDER BY id DESC LIMIT :n"),
                {"n": limit},
            )
            return [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in rows]
