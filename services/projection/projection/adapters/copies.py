"""The projection's copy of each write service's streams, for the store verifier: every
stream's newest logged event (version and hash), grouped by the service that owns it."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import checked_schema
from shared.integrity.events import STREAM_PREFIX
from shared.integrity.verify import Head


def owner(stream_id: str, event_type: str) -> str:
    """The service a stream belongs to: its events' context (`relief.…`), or for a store's
    checkpoints (`integrity.…`, stream `checkpoint-<service>`) the service it names."""
    context = event_type.partition(".")[0]
    if context == "integrity" and stream_id.startswith(STREAM_PREFIX):
        return stream_id.removeprefix(STREAM_PREFIX)
    return context


async def stream_heads(conn: AsyncConnection, schema: str) -> dict[str, dict[str, Head]]:
    """`service → stream → (version, hash)` of the newest logged event of every stream."""
    rows = await conn.execute(
        text(
            "SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash, event_type"
            f' FROM "{checked_schema(schema)}".event_log'
            " ORDER BY stream_id, stream_version DESC"
        )
    )
    heads: dict[str, dict[str, Head]] = defaultdict(dict)
    for stream, version, hash_, event_type in rows:
        heads[owner(stream, event_type)][stream] = (int(version), str(hash_).strip())
    return dict(heads)
