"""The area a projection shows (区域): one town, or a county rolled up from its towns' views.

A town projection (the default) reads its town's live data schema. A county projection
(`LIANXIN_PROJECTION_AREA=430321`, the county's administrative code) runs one town projection per
town of the county (`shared/reference/<town>.yaml` whose code starts with the county's): each
folds only its town's events into its own home schema `<home>_<town>` with its own generations,
exactly as a town projection does. The county is then read as the union of the towns' live read
models: views in the schema `<home>_area`, one `UNION ALL` branch per town, made again whenever a
town's live generation changes (a replay). A county figure is the towns' own count and sum rows
side by side: nothing is folded a second time and no raw event is scanned for it; a town filter
reads that town's schema alone, so the county's totals are the towns' by construction.

Stream ids are unique within a town only (a year's appraisal, say): in the union an entity's
stream id is `<town>:<stream id>`, with `town` and `local_stream_id` beside it (lookups by stream
use those two columns, which each town's indexes answer). The event log keeps the stream ids the
events carry (their hashes cover them) and its `town` column.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from functools import cache

import yaml
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from projection.adapters.generations import Generations
from projection.adapters.schema import MIGRATIONS, READ_MODEL_TABLES, table_columns
from shared.db import checked_schema, migrate
from shared.town import REFERENCE, Town, load_town

#: A town's administrative code has 9 digits; a county's 6 (a province's 2, a city's 4).
TOWN_CODE_LENGTH = 9
_QUALIFIED = re.compile(r"^(\d{9}):(.+)$", re.S)
#: Tables whose union gives each row's stream id qualified by its town.
_BY_STREAM = ("entity_state", "entity_refs")


def is_town(code: str) -> bool:
    return len(code) == TOWN_CODE_LENGTH


@cache
def towns_of(area: str) -> tuple[str, ...]:
    """The towns an area covers: itself if it is a town, else every town with a reference file
    whose code starts with the area's code, in code order."""
    if is_town(area):
        return (area,)
    return tuple(
        sorted(
            p.stem
            for p in REFERENCE.glob("*.yaml")
            if is_town(p.stem) and p.stem.startswith(area) and p.stem.isdigit()
        )
    )


@cache
def load_area(code: str) -> Town:
    """The reference data of an area: a town's own, or a county's as one `Town` holding every
    village of its towns (named after the county, from its towns' files). `FileNotFoundError`
    for an area without a town."""
    if is_town(code):
        return load_town(code)
    towns = [load_town(t) for t in towns_of(code)]
    if not towns:
        raise FileNotFoundError(f"no town of area {code} in {REFERENCE}")
    first = yaml.safe_load((REFERENCE / f"{towns[0].code}.yaml").read_text(encoding="utf-8"))
    return Town(
        code=code,
        name=str(first["town"].get("county") or code),
        villages=tuple(v for t in towns for v in t.villages),
        programme_since=min(t.programme_since for t in towns),
    )


def town_home(home: str, town: str) -> str:
    """The home schema of a county projection's town projection."""
    return checked_schema(f"{home}_{town}")


def split_stream(stream_id: str) -> tuple[str | None, str]:
    """(town, stream id in the town) of a county stream id; (None, id) of a town's own."""
    m = _QUALIFIED.match(stream_id)
    return (m[1], m[2]) if m else (None, stream_id)


class County:
    """The county's union schema over its towns' live data schemas."""

    def __init__(self, engine: AsyncEngine, home: str, towns: Sequence[str]) -> None:
        self.engine = engine
        self.towns = tuple(towns)
        self.schema = checked_schema(f"{home}_area")
        self.generations = {t: Generations(engine, town_home(home, t)) for t in self.towns}
        self._built: tuple[str, ...] | None = None
        self._lock = asyncio.Lock()

    async def town_schema(self, conn: AsyncConnection, town: str) -> str:
        """The live data schema of one of the county's towns."""
        return await self.generations[town].current(conn)

    async def union_schema(self, conn: AsyncConnection) -> str:
        """The union schema, made again first if a town's live schema changed."""
        lives = tuple([await self.town_schema(conn, t) for t in self.towns])
        if lives != self._built:
            async with self._lock:
                if lives != self._built:
                    await self._build(lives)
                    self._built = lives
        return self.schema

    async def _build(self, lives: tuple[str, ...]) -> None:
        for live in lives:  # a town whose worker has not started yet still has its tables
            await migrate(self.engine, live, "projection", MIGRATIONS)
        a = f'"{self.schema}"'
        async with self.engine.begin() as conn:
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": a})
            await conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {a}"))
            for table in READ_MODEL_TABLES:
                columns = await table_columns(conn, lives[0], table)
                branches = [
                    _branch(table, columns, town, live)
                    for town, live in zip(self.towns, lives, strict=True)
                ]
                await conn.execute(text(f"DROP VIEW IF EXISTS {a}.{table}"))
                await conn.execute(
                    text(f"CREATE VIEW {a}.{table} AS {' UNION ALL '.join(branches)}")
                )


def _branch(table: str, columns: list[str], town: str, live: str) -> str:
    checked_schema(live)
    if not town.isdigit():
        raise ValueError(f"not a town code: {town!r}")
    if table in _BY_STREAM:
        cols = [f"'{town}:' || stream_id AS stream_id" if c == "stream_id" else c for c in columns]
        cols += [f"'{town}'::text AS town", "stream_id AS local_stream_id"]
    elif "town" in columns:
        cols = list(columns)
    else:
        cols = [*columns, f"'{town}'::text AS town"]
    return f'SELECT {", ".join(cols)} FROM "{live}".{table}'
