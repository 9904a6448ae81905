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


def test_a_removed_event_breaks_the_link_after_it() -> None:
    chain = _chain(4)
    del chain[1]
    versions = {b.stream_version for b in verify_chain(chain)}
    assert 3 in versions


def test_the_wire_form_round_trips() -> None:
    env = _chain(1)[0]
    again = Envelope.from_json(env.to_json())
    assert again == env
    assert again.compute_hash() == env.hash
