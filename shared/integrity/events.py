"""The one event every write service shares: a checkpoint of its stream heads (检查点)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.kernel import Event, event_type

#: The stream a service's checkpoints are appended to: `checkpoint-<service>`.
STREAM_PREFIX = "checkpoint-"


def checkpoint_stream(service: str) -> str:
    return f"{STREAM_PREFIX}{service}"


@event_type("integrity.CheckpointRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class CheckpointRecorded(Event):
    """A checkpoint of the store (存储检查点): the RFC 6962 Merkle root of every stream's head
    (`[stream_id, version, hash]`, by stream id) but the checkpoint stream's own, `tree_size`
    leaves. A tail or a whole stream removed after it no longer proves against this root."""

    service: str
    root: str
    tree_size: int
