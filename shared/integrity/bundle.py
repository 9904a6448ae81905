"""A bundle for an outside auditor (审计导出包): a store's events as JSON Lines in their wire form
and its latest checkpoint with every stream's inclusion proof, readable by the standalone
verifier (`contracts/verifier/lianxin_verify.py`, standard library only) without this codebase.
The format is specified in `contracts/hash-spec.md`."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from shared.eventstore import EventStore
from shared.integrity import merkle
from shared.integrity.checkpoint import latest

#: What an outside auditor needs beside the events, copied into every bundle: the exact hash
#: specification and the standalone verifier (Python standard library only).
CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
BESIDE = (CONTRACTS / "hash-spec.md", CONTRACTS / "verifier" / "lianxin_verify.py")


@dataclass(frozen=True, slots=True)
class Bundle:
    """What was written: where, how many events and streams, and the checkpoint's number."""

    path: Path
    events: int
    streams: int
    checkpoint: int | None


async def write_bundle(store: EventStore, service: str, out: Path) -> Bundle:
    """Write `events.jsonl` (and `checkpoint.json` when the store has a checkpoint) into `out`,
    with the hash specification and the standalone verifier beside them (where they are: a
    checkout). Personal fields are in the bundle as they are stored: encrypted tokens, which the
    hashes cover, so the bundle verifies and shows no personal data."""
    out.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - an export: nothing else waits
    for document in BESIDE:
        if document.exists():
            shutil.copyfile(document, out / document.name)
    events = streams = 0
    with (out / "events.jsonl").open("wb") as lines:
        async for stream in store.streams():
            streams += 1
            for env in stream:
                lines.write(env.to_json() + b"\n")
                events += 1
    event, leaves = await latest(store, service)
    if event is None or leaves is None:
        return Bundle(out, events, streams, None)
    paths = merkle.all_proofs([merkle.leaf_hash(leaf) for leaf in leaves])
    body = {
        "service": service,
        "checkpoint": json.loads(event.to_json()),
        "leaves": [list(leaf) for leaf in leaves],
        "proofs": {
            leaf[0]: {"index": index, "path": paths[index]} for index, leaf in enumerate(leaves)
        },
    }
    (out / "checkpoint.json").write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n")
    return Bundle(out, events, streams, event.stream_version)
