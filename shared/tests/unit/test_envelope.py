"""The envelope's hash chain makes an altered, reordered or removed event evident."""

import datetime as dt
import uuid
from dataclasses import replace

from shared.envelope import GENESIS_HASH, Actor, Envelope, verify_chain
from shared.ids import uuid7


def _chain(n: int) -> list[Envelope]:
    prev, out = GENESIS_HASH, []
    for v in range(1, n + 1):
        env = Envelope(
            event_id=uuid7(),
            event_type="test.Happened",
            schema_version=1,
            stream_id="s-1",
            stream_version=v,
            occurred_at=dt.datetime(2016, 5, v, tzinfo=dt.UTC),
            recorded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            actor=Actor("u1", "auditor"),
            correlation_id=uuid.uuid4(),
            causation_id=None,
            town="430321100",
            payload={"n": v, "名称": "石壁村"},
        ).sealed(prev)
        prev = env.hash
        out.append(env)
    return out


def test_an_untouched_chain_verifies() -> None:
    assert verify_chain(_chain(5)) == []


def test_an_altered_payload_is_named() -> None:
    chain = _chain(4)
    chain[2] = replace(chain[2], payload={"n": 99, "名称": "石壁村"})
    breaks = verify_chain(chain)
    assert [(b.stream_version, "altered" in b.reason) for b in breaks] == [(3, True)]


def test_a_removed_event_is_named_once_without_a_cascade() -> None:
    chain = _chain(6)
    del chain[1]
    breaks = verify_chain(chain)
    assert [(b.kind, b.stream_version, b.last_version) for b in breaks] == [("missing", 2, 2)]


def test_consecutive_removed_events_are_one_finding() -> None:
    chain = _chain(7)
    del chain[2:5]
    breaks = verify_chain(chain)
    assert [(b.kind, b.stream_version, b.last_version) for b in breaks] == [("missing", 3, 5)]
    assert "3–5" in breaks[0].reason


def test_an_event_replaced_whole_with_its_hash_recomputed_breaks_one_link() -> None:
    chain = _chain(4)
    chain[1] = replace(chain[1], payload={"n": 77, "名称": "伪造"}).sealed(chain[0].hash)
    breaks = verify_chain(chain)
    assert [(b.kind, b.stream_version) for b in breaks] == [("replaced", 3)]


def test_the_wire_form_round_trips() -> None:
    env = _chain(1)[0]
    again = Envelope.from_json(env.to_json())
    assert again == env
    assert again.compute_hash() == env.hash
