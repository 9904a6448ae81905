"""PostgreSQL access for every service: engines, schema names and schema migrations.

Migrations are numbered SQL statements per component, applied once each under an advisory
lock and recorded in `<schema>.schema_migrations`, so that two processes starting together
do not race and an upgraded service adds only what is new.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def checked_schema(name: str) -> str:
    """A schema name safe to place in SQL text (lower-case identifier), or ValueError."""
    if not _IDENT.match(name):
        raise ValueError(f"not a valid schema name: {name!r}")
    return name


def make_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    """An async SQLAlchemy engine on asyncpg (`postgresql+asyncpg://...`)."""
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    # No pre-ping: it costs a round trip per checkout (about a fifth of an append). A connection
    # found dead fails its command and is discarded by the pool; consumers retry such transient
    # failures, and an HTTP caller gets a 503 problem (shared/outage.py) and may repeat the command.
    # jsonb columns are read with orjson (views read many entity states per request).
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        echo=echo,
        json_deserializer=orjson.loads,
        # a failed statement's parameters (per-person keys, personal fields) stay out of errors
        # and logs
        hide_parameters=True,
        # JIT compiling costs tens of milliseconds per query and pays only on long analytics;
        # every query here is an index lookup or a small aggregate.
        connect_args={"server_settings": {"jit": "off"}},
    )


def lock_key(*parts: str) -> int:
    """A stable 63-bit advisory-lock key for a name (same in every process)."""
    joined = ":".join(parts).encode()
    return (zlib.crc32(joined) << 31) ^ zlib.adler32(joined)


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered step of a component's schema; `{schema}` is replaced by the schema name."""

    version: int
    description: str
    statements: Sequence[str]


async def migrate(
    engine: AsyncEngine, schema: str, component: str, migrations: Sequence[Migration]
) -> list[int]:
    """Apply the component's migrations not yet applied in `schema`; return the versions run."""
    schema = checked_schema(schema)
    applied_now: list[int] = []
    async with engine.begin() as conn:
        await conn.execute(
            text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key("migrate", schema)}
        )
        await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        await conn.execute(
            text(
                f'CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations ('
                " component text NOT NULL, version int NOT NULL,"
                " description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
                " PRIMARY KEY (component, version))"
            )
        )
        done = set(
            (
                await conn.execute(
                    text(f'SELECT version FROM "{schema}".schema_migrations WHERE component = :c'),
                    {"c": component},
                )
            ).scalars()
        )
        for step in sorted(migrations, key=lambda m: m.version):
            if step.version in done:
                continue
            for statement in step.statements:
                await conn.execute(text(statement.replace("{schema}", f'"{schema}"')))
            await _record(conn, schema, component, step)
            applied_now.append(step.version)
    return applied_now


async def _record(conn: AsyncConnection, schema: str, component: str, step: Migration) -> None:
    await conn.execute(
        text(
            f'INSERT INTO "{schema}".schema_migrations (component, version, description)'
            " VALUES (:c, :v, :d)"
        ),
        {"c": component, "v": step.version, "d": step.description},
    )
