"""What the verifier finds (核查发现), each problem named once, in Chinese with English.

Several checks may see the same problem — a deleted last event is missing against the
checkpoint, against Kafka and against the projection — so findings are keyed by service, stream
and version and merged: the most specific kind wins, its sources are listed, consecutive versions
of one kind become one range, and a stream with no event left in the store is one finding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """Kinds of finding, most specific first (the order merging keeps)."""

    STREAM_DELETED = "stream_deleted"
    FORGED = "forged"
    EDITED = "edited"
    MISSING = "missing"
    REPLACED = "replaced"
    CHECKPOINT_INVALID = "checkpoint_invalid"
    UNPUBLISHED = "unpublished"
    NOT_ON_KAFKA = "not_on_kafka"
    KAFKA_ALTERED = "kafka_altered"
    NOT_IN_PROJECTION = "not_in_projection"
    PROJECTION_DIFFERS = "projection_differs"


LABELS: dict[Kind, str] = {
    Kind.STREAM_DELETED: "整个流被删除 (stream deleted)",
    Kind.FORGED: "伪造插入：不经发件箱写入、从未发布 (forged: inserted outside the store's append)",
    Kind.EDITED: "内容被篡改 (edited)",
    Kind.MISSING: "缺失 (missing)",
    Kind.REPLACED: "与前一版本的链接断开，其一被整体替换 (replaced)",
    Kind.CHECKPOINT_INVALID: "检查点的叶子与其根不符 (checkpoint leaves do not match its root)",
    Kind.UNPUBLISHED: "发件箱记录从未发布 (outbox row never published)",
    Kind.NOT_ON_KAFKA: "已发布但 Kafka 上没有 (published but not on Kafka)",
    Kind.KAFKA_ALTERED: "Kafka 上的副本与其哈希不符 (Kafka's copy altered)",
    Kind.NOT_IN_PROJECTION: "投影中缺失 (missing in the projection)",
    Kind.PROJECTION_DIFFERS: "投影中的副本不同 (the projection's copy differs)",
}

#: Which source saw it, in Chinese.
SOURCES = {
    "chain": "哈希链",
    "checkpoint": "检查点",
    "kafka": "Kafka",
    "outbox": "发件箱",
    "projection": "投影",
}

_RANK = {kind: rank for rank, kind in enumerate(Kind)}
_EXPLAINS = frozenset({Kind.EDITED, Kind.FORGED, Kind.MISSING})


@dataclass(slots=True)
class Finding:
    """One problem: in `service`'s store, stream `stream_id`, versions `version`..`last`."""

    service: str
    stream_id: str
    version: int
    kind: Kind
    source: str
    detail: str = ""
    last: int | None = None
    sources: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.sources.add(self.source)
        if self.last is None:
            self.last = self.version

    @property
    def versions(self) -> str:
        return str(self.version) if self.last == self.version else f"{self.version}–{self.last}"

    def text(self) -> str:
        """One line of the report: `relief 流 X：版本 2 内容被篡改 (edited)（哈希链、Kafka）`."""
        seen = "、".join(SOURCES.get(s, s) for s in sorted(self.sources))
        where = "" if self.kind is Kind.STREAM_DELETED else f"版本 {self.versions} "
        detail = f"；{self.detail}" if self.detail else ""
        return f"{self.service} 流 {self.stream_id}：{where}{LABELS[self.kind]}（{seen}）{detail}"

    def as_dict(self) -> dict[str, object]:
        return {
            "service": self.service,
            "stream_id": self.stream_id,
            "version": self.version,
            "last_version": self.last,
            "kind": self.kind.value,
            "label": LABELS[self.kind],
            "sources": sorted(self.sources),
            "detail": self.detail,
            "text": self.text(),
        }


def from_dict(body: dict[str, Any]) -> Finding:
    """A finding from its `as_dict` form (a service's report read over HTTP)."""
    sources = [str(s) for s in body.get("sources") or []]
    return Finding(
        str(body["service"]),
        str(body["stream_id"]),
        int(body["version"]),
        Kind(body["kind"]),
        sources[0] if sources else "chain",
        str(body.get("detail") or ""),
        last=int(body.get("last_version") or body["version"]),
        sources=set(sources),
    )


def merged(findings: Iterable[Finding], *, present: set[str]) -> list[Finding]:
    """Each problem once. `present` names the streams that still have events in the store:
    every finding of a stream not among them becomes one `STREAM_DELETED`."""
    by_stream: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        by_stream[(f.service, f.stream_id)].append(f)
    out: list[Finding] = []
    for (service, stream), found in sorted(by_stream.items()):
        if stream not in present and any(
            f.kind in (Kind.STREAM_DELETED, Kind.MISSING) for f in found
        ):
            top = max((f.last or f.version) for f in found)
            sources = set().union(*(f.sources for f in found))
            out.append(
                Finding(
                    service,
                    stream,
                    1,
                    Kind.STREAM_DELETED,
                    "chain",
                    detail=f"原有版本 1–{top} (it had versions 1–{top})",
                    last=top,
                    sources=sources,
                )
            )
            continue
        out.extend(_per_version(found))
    return out


def _per_version(found: list[Finding]) -> list[Finding]:
    by_version: dict[int, Finding] = {}
    for f in found:
        for version in range(f.version, (f.last or f.version) + 1):
            single = Finding(f.service, f.stream_id, version, f.kind, f.source, f.detail)
            single.sources |= f.sources
            held = by_version.get(version)
            if held is None:
                by_version[version] = single
            elif _RANK[single.kind] < _RANK[held.kind]:
                single.sources |= held.sources
                single.detail = single.detail or held.detail
                by_version[version] = single
            else:
                held.sources |= single.sources
                held.detail = held.detail or single.detail
    # a broken link between n-1 and n is explained by n-1 found edited, forged or missing
    for version, f in list(by_version.items()):
        neighbour = by_version.get(version - 1)
        if f.kind is Kind.REPLACED and neighbour is not None and neighbour.kind in _EXPLAINS:
            neighbour.sources |= f.sources
            del by_version[version]
    ranges: list[Finding] = []
    for version in sorted(by_version):
        f = by_version[version]
        last = ranges[-1] if ranges else None
        if last is not None and last.kind is f.kind and last.last == version - 1:
            last.last = version
            last.sources |= f.sources
            if f.detail and f.detail not in last.detail:
                last.detail = f"{last.detail}；{f.detail}" if last.detail else f.detail
        else:
            ranges.append(f)
    return ranges
