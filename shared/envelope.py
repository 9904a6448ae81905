"""The event envelope (事件信封) and the per-stream SHA-256 hash chain.

Every stored event carries who did it, when, why (correlation and causation), for which town,
and a hash over all of that chained to the previous event of the same stream, so that an
edited or removed row is evident.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from shared.codec import canonical_json

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class Actor:
    """Who issued the command: a user id and the role they acted in."""

    user_id: str
    role: str

    def as_dict(self) -> dict[str, str]:
        return {"user_id": self.user_id, "role": self.role}


SYSTEM_ACTOR = Actor(user_id="system", role="system")


@dataclass(frozen=True, slots=True)
class Envelope:
    """A stored event with its metadata. `global_position` is the store's order, not hashed."""

    event_id: uuid.UUID
    event_type: str
    schema_version: int
    stream_id: str
    stream_version: int
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    actor: Actor
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None
    town: str
    payload: dict[str, Any]
    prev_hash: str = GENESIS_HASH
    hash: str = ""
    global_position: int | None = field(default=None, compare=False)

    def hashed_fields(self) -> dict[str, Any]:
        """Everything the hash covers: all fields but the hash itself and the position."""
        return {
            "event_id": str(self.event_id),
            "event_type": self.event_type,
            "schema_version": self.schema_version,
            "stream_id": self.stream_id,
            "stream_version": self.stream_version,
            "occurred_at": _iso(self.occurred_at),
            "recorded_at": _iso(self.recorded_at),
            "actor": self.actor.as_dict(),
            "correlation_id": str(self.correlation_id),
            "causation_id": str(self.causation_id) if self.causation_id else None,
            "town": self.town,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        """Lowercase hex SHA-256 of the UTF-8 canonical JSON (`canonical_json`) of
        `hashed_fields()`; `prev_hash` is one of those fields, not a prefix of the bytes.
        Specified byte for byte in `contracts/hash-spec.md`."""
        return hashlib.sha256(canonical_json(self.hashed_fields())).hexdigest()

    def hash_matches(self) -> bool:
        """Whether the content matches its hash. Consumers check every message, so the
        common case takes orjson's rendering of the canonical form (sorted keys, no spaces,
        UTF-8), and only a mismatch is re-checked with the defining one (`canonical_json`):
        the two differ at most in rare renderings (e.g. keys outside the BMP), and a match of
        either means the content is the one that was sealed."""
        fast = orjson.dumps(self.hashed_fields(), option=orjson.OPT_SORT_KEYS)
        if hashlib.sha256(fast).hexdigest() == self.hash:
            return True
        return self.compute_hash() == self.hash

    def sealed(self, prev_hash: str) -> Envelope:
        """This envelope chained after `prev_hash`, with its own hash set."""
        chained = replace(self, prev_hash=prev_hash)
        return replace(chained, hash=chained.compute_hash())

    def to_json(self) -> bytes:
        """The wire form published to Kafka (the hashed fields plus the hash)."""
        body = self.hashed_fields()
        body["hash"] = self.hash
        try:
            return orjson.dumps(body)
        except TypeError:  # what orjson cannot write but JSON can (e.g. integers beyond 64 bits)
            return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> Envelope:
        """Parse the wire form; raises `ValueError` (or `KeyError`/`TypeError`) if malformed."""
        return cls.from_dict(_wire_body(raw))

    @classmethod
    def from_json_checked(cls, raw: bytes | str) -> tuple[Envelope, bool]:
        """Parse the wire form and say whether its content matches its hash.

        A consumer checks every message: the wire form written by `to_json` already holds the
        hashed fields in their canonical text (ISO times in UTC with microseconds, ids as
        text), so the hash is first checked on the parsed body as it came; only when that does
        not match is it recomputed from the parsed envelope (`hash_matches`)."""
        body = _wire_body(raw)
        env = cls.from_dict(body)
        hashed = {key: value for key, value in body.items() if key != "hash"}
        fast = orjson.dumps(hashed, option=orjson.OPT_SORT_KEYS)
        if hashed.keys() == _HASHED_KEYS and hashlib.sha256(fast).hexdigest() == env.hash:
            return env, True
        return env, env.hash_matches()

    @classmethod
    def from_dict(cls, body: dict[str, Any], global_position: int | None = None) -> Envelope:
        """Build from the hashed-fields dictionary form (JSON types)."""
        actor = body["actor"]
        causation = body.get("causation_id")
        payload = body["payload"]
        if not isinstance(payload, dict):
            raise ValueError("an envelope's payload must be a JSON object")
        return cls(
            event_id=uuid.UUID(body["event_id"]),
            event_type=str(body["event_type"]),
            schema_version=int(body["schema_version"]),
            stream_id=str(body["stream_id"]),
            stream_version=int(body["stream_version"]),
            occurred_at=_parse(body["occurred_at"]),
            recorded_at=_parse(body["recorded_at"]),
            actor=Actor(user_id=str(actor["user_id"]), role=str(actor["role"])),
            correlation_id=uuid.UUID(body["correlation_id"]),
            causation_id=uuid.UUID(causation) if causation else None,
            town=str(body["town"]),
            payload=payload,
            prev_hash=str(body.get("prev_hash", GENESIS_HASH)),
            hash=str(body.get("hash", "")),
            global_position=global_position,
        )


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """One problem in a stream's hash chain, named once (不连锁报告).

    `kind` is `edited` (the content no longer matches its hash), `missing` (versions
    `stream_version`..`last_version` are absent; `event_id` is the event found after the gap) or
    `replaced` (both neighbours match their own hashes but the link between them does not: one
    of them was replaced whole, with its hash recomputed)."""

    stream_id: str
    stream_version: int
    event_id: uuid.UUID
    reason: str
    kind: str = "edited"
    last_version: int | None = None


def verify_chain(envelopes: list[Envelope]) -> list[ChainBreak]:
    """Check one stream's events in version order; every problem is named once (empty = intact).

    A gap is one `missing` break, not a cascade: the event after it is checked for its own
    content only, its link being to an event that is not there. An edited event whose hash
    column was left as recorded breaks no link (the next event still names that hash)."""
    breaks: list[ChainBreak] = []
    expected_version, expected_prev = 1, GENESIS_HASH
    for env in envelopes:
        intact = env.hash_matches()
        if env.stream_version > expected_version:
            last = env.stream_version - 1
            span = f"{expected_version}–{last}" if last > expected_version else str(last)
            breaks.append(
                ChainBreak(
                    env.stream_id,
                    expected_version,
                    env.event_id,
                    f"版本 {span} 缺失 (version {span} missing)",
                    kind="missing",
                    last_version=last,
                )
            )
        elif intact and env.prev_hash != expected_prev:
            breaks.append(
                ChainBreak(
                    env.stream_id,
                    env.stream_version,
                    env.event_id,
                    f"版本 {env.stream_version} 与前一版本的链接不符，其一被整体替换"
                    " (link to the previous event broken: one of them was replaced)",
                    kind="replaced",
                )
            )
        if not intact:
            breaks.append(
                ChainBreak(
                    env.stream_id,
                    env.stream_version,
                    env.event_id,
                    f"版本 {env.stream_version} 内容与其哈希不符，记录后被修改"
                    " (content does not match its hash: altered after it was recorded)",
                )
            )
        expected_version, expected_prev = env.stream_version + 1, env.hash
    return breaks


_HASHED_KEYS = {
    "event_id",
    "event_type",
    "schema_version",
    "stream_id",
    "stream_version",
    "occurred_at",
    "recorded_at",
    "actor",
    "correlation_id",
    "causation_id",
    "town",
    "payload",
    "prev_hash",
}


def _wire_body(raw: bytes | str) -> dict[str, Any]:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        body = json.loads(raw)  # what orjson refuses but JSON allows (e.g. huge integers)
    if not isinstance(body, dict):
        raise ValueError("an envelope must be a JSON object")
    return body


def _iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _parse(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
