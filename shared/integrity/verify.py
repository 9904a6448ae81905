"""Verifying a service's event store, the source of truth (核查事件存储).

For one store: every stream's hash chain (`verify_chain`, each problem once); every stream
proved against the latest checkpoint (an RFC 6962 inclusion proof of its head then); the store
reconciled with its Kafka topic (ids missing on either side, content that differs, outbox rows
never published, events that never went through the outbox) and, when given, with the
projection's copy (each stream's head version and hash). Events recorded within `grace` of the
run are only counted as in flight, not reported, since the relay and the projection trail the
store by design.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from shared.envelope import Envelope, verify_chain
from shared.eventstore import EventStore
from shared.integrity import merkle
from shared.integrity.checkpoint import latest
from shared.integrity.findings import Finding, Kind, merged
from shared.integrity.findings import from_dict as finding_from_dict
from shared.integrity.kafka_copy import Copy, read_copies
from shared.retention import DEFAULT_HORIZON

#: A stream head as a copy holds it: (version, hash).
Head = tuple[int, str]


@dataclass(frozen=True, slots=True)
class StoreHead:
    """A stream's newest event in the store."""

    version: int
    hash: str
    recorded_at: dt.datetime
    town: str

    def as_list(self) -> list[Any]:
        return [self.version, self.hash, self.recorded_at.isoformat(), self.town]

    @classmethod
    def from_list(cls, value: list[Any]) -> StoreHead:
        return cls(int(value[0]), str(value[1]), dt.datetime.fromisoformat(value[2]), str(value[3]))


GRACE = dt.timedelta(seconds=30)


@dataclass(slots=True)
class CheckpointStatus:
    """The latest checkpoint and how the store proves against it."""

    number: int
    recorded_at: str
    root: str
    tree_size: int
    proved: int = 0
    valid: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "recorded_at": self.recorded_at,
            "root": self.root,
            "tree_size": self.tree_size,
            "proved": self.proved,
            "valid": self.valid,
        }


@dataclass(slots=True)
class ServiceReport:
    """What one store's check found."""

    service: str
    streams: int = 0
    events: int = 0
    kafka_messages: int | None = None
    projection_streams: int | None = None
    in_flight: int = 0
    checkpoint: CheckpointStatus | None = None
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    heads: dict[str, StoreHead] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.findings and not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "clean": self.clean,
            "streams": self.streams,
            "events": self.events,
            "kafka_messages": self.kafka_messages,
            "projection_streams": self.projection_streams,
            "in_flight": self.in_flight,
            "checkpoint": self.checkpoint.as_dict() if self.checkpoint else None,
            "findings": [f.as_dict() for f in self.findings],
            "problems": self.problems,
        }


async def verify_store(
    store: EventStore,
    service: str,
    *,
    kafka: str | None,
    grace: dt.timedelta = GRACE,
    now: dt.datetime | None = None,
    outbox_kept: dt.timedelta = DEFAULT_HORIZON,
) -> ServiceReport:
    """Check `service`'s store; `kafka` is the bootstrap address (None: not compared). The
    report keeps every stream's head, for `compare_heads` with the projection's copy. Outbox
    rows are pruned after `outbox_kept`: an older event without one is not called forged."""
    report = ServiceReport(service)
    cutoff = (now or dt.datetime.now(dt.UTC)) - grace
    copies: dict[tuple[str, int], Copy] | None = None
    if kafka is not None:
        try:
            copies, report.kafka_messages = await read_copies(kafka, store.topic)
        except Exception as exc:  # an unreachable broker is reported, not raised
            report.problems.append(
                f"无法读取 Kafka 主题 {store.topic} (cannot read the topic): {exc}"
            )
    proofs = await _checkpoint(store, service, report)
    found: list[Finding] = []
    unpublished: list[Envelope] = []
    present: set[str] = set()
    async for events in store.streams():
        stream = events[0].stream_id
        present.add(stream)
        report.streams += 1
        report.events += len(events)
        found += _chain(service, events)
        if proofs is not None:
            found += _prove(service, events, proofs, report)
        if copies is not None:
            for env in events:
                copy = copies.pop((stream, env.stream_version), None)
                if copy is None:
                    if env.recorded_at > cutoff:
                        report.in_flight += 1
                    else:
                        unpublished.append(env)
                elif not copy.intact:
                    found.append(_one(service, env, Kind.KAFKA_ALTERED, "kafka"))
                elif copy.hash != env.hash or copy.event_id != env.event_id:
                    found.append(
                        _one(
                            service,
                            env,
                            Kind.EDITED,
                            "kafka",
                            "与 Kafka 上的副本不同 (differs from Kafka's copy)",
                        )
                    )
        head = events[-1]
        report.heads[stream] = StoreHead(
            head.stream_version, head.hash, head.recorded_at, head.town
        )
    if copies is not None:
        for (stream, version), _ in sorted(copies.items()):
            found.append(
                Finding(
                    service, stream, version, Kind.MISSING, "kafka", "Kafka 上仍有 (still on Kafka)"
                )
            )
    if proofs is not None:
        for stream, (leaf, _, _) in proofs.items():
            if stream not in present:
                found.append(
                    Finding(service, stream, 1, Kind.STREAM_DELETED, "checkpoint", last=leaf[1])
                )
    pruned_before = (now or dt.datetime.now(dt.UTC)) - outbox_kept
    found += await _through_outbox(store, service, unpublished, pruned_before)
    report.findings = merged([*report.findings, *found], present=present)
    return report


def with_projection(
    report: ServiceReport,
    projection: Mapping[str, Head],
    *,
    town: str | None = None,
    grace: dt.timedelta = GRACE,
    now: dt.datetime | None = None,
) -> ServiceReport:
    """The report with the projection's copy compared (`compare_heads`) and merged in."""
    found, in_flight = compare_heads(
        report.service, report.heads, projection, town=town, grace=grace, now=now
    )
    report.findings = merged([*report.findings, *found], present=set(report.heads))
    report.in_flight += in_flight
    report.projection_streams = len(projection)
    return report


def report_from_dict(body: dict[str, Any]) -> ServiceReport:
    """A service's report as its `GET /api/v1/integrity?heads=true` answered it."""
    checkpoint = body.get("checkpoint")
    return ServiceReport(
        service=str(body["service"]),
        streams=int(body.get("streams") or 0),
        events=int(body.get("events") or 0),
        kafka_messages=body.get("kafka_messages"),
        in_flight=int(body.get("in_flight") or 0),
        checkpoint=CheckpointStatus(**checkpoint) if checkpoint else None,
        findings=[finding_from_dict(f) for f in body.get("findings") or []],
        problems=[str(p) for p in body.get("problems") or []],
        heads={s: StoreHead.from_list(h) for s, h in (body.get("heads") or {}).items()},
    )


def _one(service: str, env: Envelope, kind: Kind, source: str, detail: str = "") -> Finding:
    return Finding(service, env.stream_id, env.stream_version, kind, source, detail)


def _chain(service: str, events: list[Envelope]) -> list[Finding]:
    kinds = {"edited": Kind.EDITED, "missing": Kind.MISSING, "replaced": Kind.REPLACED}
    return [
        Finding(service, b.stream_id, b.stream_version, kinds[b.kind], "chain", last=b.last_version)
        for b in verify_chain(events)
    ]


Proofs = dict[str, tuple[merkle.Leaf, int, list[str]]]


async def _checkpoint(store: EventStore, service: str, report: ServiceReport) -> Proofs | None:
    """The latest checkpoint's leaves with their audit paths, or None if there is none usable."""
    event, leaves = await latest(store, service)
    if event is None:
        return None
    status = CheckpointStatus(
        number=event.stream_version,
        recorded_at=event.recorded_at.isoformat(),
        root=str(event.payload.get("root", "")),
        tree_size=int(event.payload.get("tree_size", -1)),
    )
    report.checkpoint = status
    if leaves is None or merkle.root(leaves) != status.root or len(leaves) != status.tree_size:
        status.valid = False
        report.findings.append(
            _one(
                service,
                event,
                Kind.CHECKPOINT_INVALID,
                "checkpoint",
                "无法据此证明各流 (streams cannot be proved against it)",
            )
        )
        return None
    paths = merkle.all_proofs([merkle.leaf_hash(leaf) for leaf in leaves])
    return {leaf[0]: (leaf, index, paths[index]) for index, leaf in enumerate(leaves)}


def _prove(
    service: str, events: list[Envelope], proofs: Proofs, report: ServiceReport
) -> list[Finding]:
    """Prove the stream's head at the checkpoint against the checkpoint's root."""
    held = proofs.get(events[0].stream_id)
    if held is None or report.checkpoint is None:
        return []  # a stream begun after the checkpoint
    (stream, version, _), index, path = held
    status = report.checkpoint
    at = next((env for env in events if env.stream_version == version), None)
    if at is None:
        newest = events[-1].stream_version
        if newest < version:
            return [
                Finding(
                    service,
                    stream,
                    newest + 1,
                    Kind.MISSING,
                    "checkpoint",
                    f"检查点 #{status.number} 之后被删除"
                    f" (deleted after checkpoint #{status.number})",
                    last=version,
                )
            ]
        return []  # a gap in the middle: the chain names it
    if merkle.verify_inclusion(
        (stream, version, at.hash), index, status.tree_size, path, status.root
    ):
        status.proved += 1
        return []
    return [
        _one(
            service,
            at,
            Kind.EDITED,
            "checkpoint",
            f"与检查点 #{status.number} 不符 (does not prove against checkpoint #{status.number})",
        )
    ]


def compare_heads(
    service: str,
    store: Mapping[str, StoreHead],
    projection: Mapping[str, Head],
    *,
    town: str | None = None,
    grace: dt.timedelta = GRACE,
    now: dt.datetime | None = None,
) -> tuple[list[Finding], int]:
    """The projection's copy against the store, stream by stream, by head version and hash
    (the chains make equal heads mean equal streams); and how many streams are in flight.
    Streams of another town than the projection's `town` are not expected there."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - grace
    found: list[Finding] = []
    in_flight = 0
    theirs = dict(projection)
    for stream, head in store.items():
        held = theirs.pop(stream, None)
        if town is not None and head.town != town:
            continue
        seen = held[0] if held else 0
        if held is not None and seen == head.version:
            if held[1] != head.hash:
                found.append(Finding(service, stream, seen, Kind.PROJECTION_DIFFERS, "projection"))
        elif seen > head.version:
            found.append(_still_in_projection(service, stream, head.version + 1, seen))
        elif head.recorded_at > cutoff:
            in_flight += 1
        else:
            found.append(
                Finding(
                    service,
                    stream,
                    seen + 1,
                    Kind.NOT_IN_PROJECTION,
                    "projection",
                    last=head.version,
                )
            )
    for stream, (version, _) in theirs.items():
        found.append(_still_in_projection(service, stream, 1, version))
    return found, in_flight


def _still_in_projection(service: str, stream: str, first: int, last: int) -> Finding:
    return Finding(
        service,
        stream,
        first,
        Kind.MISSING,
        "projection",
        "投影中仍有 (still in the projection)",
        last=last,
    )


async def _through_outbox(
    store: EventStore, service: str, absent: list[Envelope], pruned_before: dt.datetime
) -> list[Finding]:
    """Events in the store but not on Kafka: never published, lost, or never through the outbox."""
    if not absent:
        return []
    async with store.engine.connect() as conn:
        rows = await conn.execute(
            text(
                f'SELECT event_id, published_at FROM "{store.schema}".outbox'
                " WHERE event_id = ANY(:ids)"
            ),
            {"ids": [env.event_id for env in absent]},
        )
        outbox = {row[0]: row[1] for row in rows}
    found = []
    for env in absent:
        if env.event_id not in outbox and env.recorded_at < pruned_before:
            found.append(
                _one(
                    service, env, Kind.NOT_ON_KAFKA, "kafka", "发件箱记录已过保留期 (outbox pruned)"
                )
            )
        elif env.event_id not in outbox:
            found.append(_one(service, env, Kind.FORGED, "outbox"))
        elif outbox[env.event_id] is None:
            found.append(_one(service, env, Kind.UNPUBLISHED, "outbox"))
        else:
            found.append(_one(service, env, Kind.NOT_ON_KAFKA, "kafka"))
    return found
