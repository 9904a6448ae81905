"""The key table (个人信息密钥表) in a service's schema: one AES-256 key per person per owning
service, made on the person's first event, deleted when the person is erased.

`person_keys` holds the service's own keys (`owner` = the service) and the copies of other
services' keys it reads (`sharing`); `erased_persons` remembers which references were erased
(a reference is a keyed hash, not the person's data), so that a copy arriving after the erasure
is not kept and a token whose key is gone shows `ERASED`. Every key a service makes is
published, wrapped, on the key topic through the outbox in the same transaction; erasing it
publishes a tombstone and deletes the outbox rows that carried it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import Migration, checked_schema, migrate
from shared.ids import uuid7
from shared.personal import declared, tokens
from shared.personal.declared import Keys
from shared.personal.secret import transport_key
from shared.personal.tokens import KeyId

log = structlog.get_logger(__name__)

#: The compacted topic carrying every service's keys, wrapped (key = `<owner>:<ref>`).
KEY_TOPIC = "person-keys"

MIGRATIONS = [
    Migration(
        1,
        "per-person keys and erased references",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.person_keys (
            owner text NOT NULL,
            ref text NOT NULL,
            key bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (owner, ref))""",
            "CREATE INDEX IF NOT EXISTS person_keys_ref ON {schema}.person_keys (ref)",
            """CREATE TABLE IF NOT EXISTS {schema}.erased_persons (
            ref text PRIMARY KEY,
            erased_at timestamptz NOT NULL,
            event_id uuid NOT NULL)""",
        ],
    ),
]


def wrap(owner: str, ref: str, key: bytes, created_at: dt.datetime) -> bytes:
    """A key as published on the key topic: encrypted with the transport key."""
    nonce = os.urandom(12)
    sealed = AESGCM(transport_key()).encrypt(nonce, key, f"{owner}:{ref}".encode())
    body = {
        "created_at": created_at.astimezone(dt.UTC).isoformat(),
        "key": base64.b64encode(nonce + sealed).decode(),
    }
    return json.dumps(body).encode()


def unwrap(owner: str, ref: str, value: bytes) -> tuple[bytes, dt.datetime]:
    body = json.loads(value)
    raw = base64.b64decode(body["key"])
    key = AESGCM(transport_key()).decrypt(raw[:12], raw[12:], f"{owner}:{ref}".encode())
    return key, dt.datetime.fromisoformat(body["created_at"])


def topic_key(owner: str, ref: str) -> str:
    return f"{owner}:{ref}"


class KeyTable:
    """A service's key table; `owner` names the keys it makes (its service name)."""

    def __init__(self, schema: str, owner: str, *, topic: str = KEY_TOPIC) -> None:
        self.schema = checked_schema(schema)
        self.owner = owner
        self.topic = topic
        self._s = f'"{self.schema}"'

    async def migrate(self, engine: Any) -> None:
        await migrate(engine, self.schema, "person_keys", MIGRATIONS)

    async def protect(
        self, conn: AsyncConnection, items: Sequence[tuple[str, dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """The payloads `(event_type, payload)` with their personal fields encrypted, keys
        made (and published) for the people seen for the first time, in `conn`'s transaction."""
        refs: set[str] = set()
        for event_type, payload in items:
            refs |= declared.subjects(event_type, payload)
        if not refs:
            return [payload for _, payload in items]
        keys = await self.ensure(conn, refs)
        return [declared.protect(t, payload, self.owner, keys) for t, payload in items]

    async def ensure(self, conn: AsyncConnection, refs: Iterable[str]) -> dict[str, bytes]:
        """This owner's key of every reference, made where missing."""
        wanted = sorted(set(refs))
        found = await self._own(conn, wanted)
        missing = [ref for ref in wanted if ref not in found]
        if missing:
            now = dt.datetime.now(dt.UTC)
            made = {ref: tokens.new_key() for ref in missing}
            inserted = (
                await conn.execute(
                    text(
                        f"INSERT INTO {self._s}.person_keys (owner, ref, key, created_at)"
                        " SELECT :o, r, k, :t FROM unnest(CAST(:refs AS text[]),"
                        " CAST(:keys AS bytea[])) AS u(r, k)"
                        " ON CONFLICT (owner, ref) DO NOTHING RETURNING ref"
                    ),
                    {
                        "o": self.owner,
                        "t": now,
                        "refs": missing,
                        "keys": [made[r] for r in missing],
                    },
                )
            ).scalars()
            new = set(inserted)
            if new:
                await conn.execute(
                    text(
                        f"INSERT INTO {self._s}.outbox (event_id, topic, key, value)"
                        " SELECT e, :topic, k, v FROM unnest(CAST(:ids AS uuid[]),"
                        " CAST(:ks AS text[]), CAST(:vs AS bytea[])) AS u(e, k, v)"
                    ),
                    {
                        "topic": self.topic,
                        "ids": [uuid7() for _ in new],
                        "ks": [topic_key(self.owner, r) for r in sorted(new)],
                        "vs": [wrap(self.owner, r, made[r], now) for r in sorted(new)],
                    },
                )
            found.update({r: made[r] for r in new})
            if len(found) < len(wanted):  # made meanwhile by another transaction
                found.update(await self._own(conn, [r for r in wanted if r not in found]))
        return found

    async def _own(self, conn: AsyncConnection, refs: list[str]) -> dict[str, bytes]:
        rows = await conn.execute(
            text(
                f"SELECT ref, key FROM {self._s}.person_keys WHERE owner = :o AND ref = ANY(:refs)"
            ),
            {"o": self.owner, "refs": refs},
        )
        return {str(r.ref): bytes(r.key) for r in rows}

    async def lookup(self, conn: AsyncConnection, kids: Iterable[KeyId]) -> Keys:
        """The keys held (own and copies) for `kids`, and which of their people were erased."""
        wanted = sorted(set(kids))
        if not wanted:
            return Keys({})
        refs = sorted({ref for _, ref in wanted})
        # a key made before the person's last erasure is void even if a racing copy kept it
        rows = await conn.execute(
            text(
                f"SELECT k.owner, k.ref, k.key FROM {self._s}.person_keys k"
                f" LEFT JOIN {self._s}.erased_persons e USING (ref) WHERE k.ref = ANY(:refs)"
                " AND (e.erased_at IS NULL OR k.created_at > e.erased_at)"
            ),
            {"refs": refs},
        )
        found = {(str(r.owner), str(r.ref)): bytes(r.key) for r in rows}
        erased = await conn.execute(
            text(f"SELECT ref FROM {self._s}.erased_persons WHERE ref = ANY(:refs)"),
            {"refs": refs},
        )
        gone = frozenset(str(r) for r in erased.scalars())
        # a token of this owner whose key is absent was erased (or never made): not pending
        own_missing = {ref for owner, ref in wanted if owner == self.owner}
        asked = set(wanted)
        return Keys({kid: key for kid, key in found.items() if kid in asked}, gone | own_missing)

    async def reveal(self, conn: AsyncConnection, value: Any) -> Any:
        """`value` with every token in it opened (or shown erased / pending)."""
        kids = declared.tokens_in(value)
        if not kids:
            return value
        return declared.reveal(value, await self.lookup(conn, kids))

    async def erase(
        self, conn: AsyncConnection, ref: str, *, event_id: Any, at: dt.datetime
    ) -> int:
        """Delete every key of `ref` (own and copies); publish a tombstone for each own one and
        drop the outbox rows that carried it. Returns how many keys were deleted."""
        deleted = (
            (
                await conn.execute(
                    text(f"DELETE FROM {self._s}.person_keys WHERE ref = :r RETURNING owner"),
                    {"r": ref},
                )
            )
            .scalars()
            .all()
        )
        await conn.execute(
            text(
                f"INSERT INTO {self._s}.erased_persons (ref, erased_at, event_id)"
                " VALUES (:r, :t, :e) ON CONFLICT (ref) DO UPDATE SET erased_at ="
                " GREATEST(erased_persons.erased_at, EXCLUDED.erased_at)"
            ),
            {"r": ref, "t": at, "e": event_id},
        )
        if self.owner in deleted:
            await self._tombstone(conn, ref)
        return len(deleted)

    async def _tombstone(self, conn: AsyncConnection, ref: str) -> None:
        key = topic_key(self.owner, ref)
        exists = await conn.execute(text("SELECT to_regclass(:t)"), {"t": f"{self._s}.outbox"})
        if exists.scalar_one_or_none() is None:
            return
        await conn.execute(
            text(f"DELETE FROM {self._s}.outbox WHERE topic = :topic AND key = :k"),
            {"topic": self.topic, "k": key},
        )
        await conn.execute(
            text(
                f"INSERT INTO {self._s}.outbox (event_id, topic, key, value)"
                " VALUES (:e, :topic, :k, NULL)"
            ),
            {"e": uuid7(), "topic": self.topic, "k": key},
        )

    async def copy(self, conn: AsyncConnection, records: Iterable[Any]) -> int:
        """Apply key-topic records (`key`, `value`): a wrapped key is kept unless its person was
        erased after it was made; a tombstone deletes the copy. Returns the records applied."""
        applied = 0
        for record in records:
            try:
                owner, _, ref = bytes(record.key or b"").decode().partition(":")
            except UnicodeDecodeError:
                owner, ref = "", ""
            if not owner or not ref:
                log.warning(
                    "personal.key_record_unreadable", offset=getattr(record, "offset", None)
                )
                continue  # not a key record: skipped, never a wedged consumer
            if owner == self.owner:
                continue  # our own keys are in the table already
            if record.value is None:
                await conn.execute(
                    text(f"DELETE FROM {self._s}.person_keys WHERE owner = :o AND ref = :r"),
                    {"o": owner, "r": ref},
                )
            else:
                try:
                    key, made = unwrap(owner, ref, bytes(record.value))
                except (ValueError, KeyError, TypeError, InvalidTag):
                    # wrapped by another deployment's secret (or damaged): not ours to open
                    log.warning("personal.key_copy_unreadable", owner=owner, person_ref=ref)
                    continue
                await conn.execute(
                    text(
                        f"INSERT INTO {self._s}.person_keys (owner, ref, key, created_at)"
                        " SELECT :o, :r, :k, :t WHERE NOT EXISTS (SELECT 1 FROM"
                        f" {self._s}.erased_persons WHERE ref = :r AND erased_at >= :t)"
                        " ON CONFLICT (owner, ref) DO UPDATE SET key = EXCLUDED.key,"
                        " created_at = EXCLUDED.created_at"
                    ),
                    {"o": owner, "r": ref, "k": key, "t": made},
                )
            applied += 1
        return applied
