"""Recording checkpoints (检查点) of a store's stream heads, and reading the latest back.

`record` reads every stream's head in one snapshot, computes the Merkle root (`merkle`),
appends a `CheckpointRecorded` event and keeps the leaves in `<schema>.checkpoint_heads` — all in
one transaction. The event is hash-chained and published on Kafka like any other, so a copy of
the root lives outside the store; the leaves let the verifier prove each stream against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import Migration, migrate
from shared.envelope import Actor, Envelope
from shared.eventstore import ANY_VERSION, CommandContext, EventStore
from shared.ids import uuid7
from shared.integrity import merkle
from shared.integrity.events import CheckpointRecorded, checkpoint_stream
from shared.kernel import ConcurrencyConflict

#: How many checkpoints keep their leaves (older ones keep only their event).
KEEP_LEAVES = 3

MIGRATIONS = [
    Migration(
        1,
        "checkpoint leaves",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.checkpoint_heads (
            checkpoint_version int NOT NULL,
            stream_id text NOT NULL,
            stream_version int NOT NULL,
            hash char(64) NOT NULL,
            PRIMARY KEY (checkpoint_version, stream_id))""",
        ],
    ),
]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A recorded checkpoint: its event and the leaves it commits to (in tree order)."""

    event: Envelope
    leaves: list[merkle.Leaf]

    @property
    def root(self) -> str:
        return str(self.event.payload["root"])

    @property
    def number(self) -> int:
        return self.event.stream_version


async def migrate_checkpoints(store: EventStore) -> None:
    await migrate(store.engine, store.schema, "integrity", MIGRATIONS)


async def heads(conn: AsyncConnection, store: EventStore, service: str) -> list[merkle.Leaf]:
    """Every stream's head but the checkpoint stream's, in tree order."""
    rows = await conn.execute(
        text(
            f'SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM "{store.schema}"'
            ".events WHERE stream_id <> :own ORDER BY stream_id, stream_version DESC"
        ),
        {"own": checkpoint_stream(service)},
    )
    return merkle.ordered([(str(s), int(v), str(h)) for s, v, h in rows])


async def record(
    store: EventStore, service: str, actor: Actor, *, town: str, attempts: int = 3
) -> Checkpoint:
    """Append a checkpoint of the store as it stands (a consistent snapshot of its heads)."""
    for attempt in range(attempts):
        try:
            return await _record_once(store, service, actor, town)
        except ConcurrencyConflict:  # another checkpoint at the same time: take the next
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


async def _record_once(store: EventStore, service: str, actor: Actor, town: str) -> Checkpoint:
    async with store.engine.connect() as conn:
        await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            leaves = await heads(conn, store, service)
            event = CheckpointRecorded(
                service=service, root=merkle.root(leaves), tree_size=len(leaves)
            )
            ctx = CommandContext(actor=actor, town=town, correlation_id=uuid7())
            [env] = await store.append(
                checkpoint_stream(service), ANY_VERSION, [event], ctx, conn=conn
            )
            if leaves:
                await conn.execute(
                    text(
                        f'INSERT INTO "{store.schema}".checkpoint_heads'
                        " (checkpoint_version, stream_id, stream_version, hash)"
                        " SELECT :n, * FROM unnest(CAST(:s AS text[]), CAST(:v AS int[]),"
                        " CAST(:h AS text[]))"
                    ),
                    {
                        "n": env.stream_version,
                        "s": [leaf[0] for leaf in leaves],
                        "v": [leaf[1] for leaf in leaves],
                        "h": [leaf[2] for leaf in leaves],
                    },
                )
            await conn.execute(
                text(
                    f'DELETE FROM "{store.schema}".checkpoint_heads WHERE checkpoint_version <= :n'
                ),
                {"n": env.stream_version - KEEP_LEAVES},
            )
    return Checkpoint(env, leaves)


async def latest(
    store: EventStore, service: str
) -> tuple[Envelope | None, list[merkle.Leaf] | None]:
    """The newest checkpoint event in the store and its leaves (None when the table has none)."""
    events = await store.read_stream(checkpoint_stream(service))
    if not events:
        return None, None
    newest = events[-1]
    async with store.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    f'SELECT stream_id, stream_version, hash FROM "{store.schema}".checkpoint_heads'
                    " WHERE checkpoint_version = :n"
                ),
                {"n": newest.stream_version},
            )
        ).all()
    leaves = merkle.ordered([(str(s), int(v), str(h)) for s, v, h in rows])
    return newest, leaves if rows or newest.payload.get("tree_size") == 0 else None
