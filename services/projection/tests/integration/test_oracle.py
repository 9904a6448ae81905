"""The equality oracle: random histories of the four services go through the projection's real
consumer path (without Kafka: records handed to `handle_batch` in random batches, partitions
interleaved, a batch redelivered, events republished by the relay), and every view, at random
`as_of` days, villages and periods, equals the same view built on the brute-force reference
reader (`adapters/reference.py`: every stream folded from scratch over the envelopes)."""

from __future__ import annotations

import datetime as dt
import difflib
import inspect
import json
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from projection.adapters.reader import Snapshot
from projection.adapters.reference import ReferenceSnapshot
from projection.domain.catalogue import RULES
from projection.domain.timeframe import Window, local_day
from projection.views import members as member_views
from projection.views import relief as relief_views
from projection.views import supervision as supervision_views
from projection.views.audit import audit_trail
from projection.views.common import Ask, PageAsk
from projection.views.registry import SPECS
from projection.worker import projection_runtime

from shared.db import migrate
from shared.envelope import Envelope
from shared.testing import Infra, unique
from shared.town import load_town

from .histories import OTHER_TOWN, town_history
from .history_party import KINDS
from .support import settings_for

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

TODAY = dt.date(2017, 6, 30)
PERIODS = ("2016", "2016-Q2", "2016-H2", "2017-03", "2017-Q1")


@dataclass(frozen=True, slots=True)
class Record:
    """What the consumer reads of a Kafka record."""

    topic: str
    partition: int
    offset: int
    key: bytes
    value: bytes


def deliveries(envelopes: Sequence[Envelope], rng: random.Random) -> list[list[Record]]:
    """The envelopes as a consumer of three partitions per topic would get them: per partition
    in publication order (key = stream id), partitions interleaved at random, some events
    republished later by the relay (at-least-once), random batch sizes, one batch redelivered."""
    published = list(envelopes)
    for env in rng.sample(published, k=max(1, len(published) // 30)):
        published.insert(rng.randrange(published.index(env) + 1, len(published) + 1), env)
    queues: dict[tuple[str, int], list[Record]] = {}
    for env in published:
        topic = f"{env.event_type.partition('.')[0]}.events"
        place = (topic, zlib.crc32(env.stream_id.encode()) % 3)
        queue = queues.setdefault(place, [])
        queue.append(Record(topic, place[1], len(queue), env.stream_id.encode(), env.to_json()))
    merged: list[Record] = []
    pending = {place: list(queue) for place, queue in queues.items()}
    while pending:
        place = rng.choice(sorted(pending))
        take = rng.randrange(1, 20)
        merged += pending[place][:take]
        del pending[place][:take]
        if not pending[place]:
            del pending[place]
    batches: list[list[Record]] = []
    while merged:
        size = rng.choice([1, rng.randrange(1, 20), rng.randrange(20, 120)])
        batches.append(merged[:size])
        del merged[:size]
    again = rng.randrange(len(batches))
    batches.insert(rng.randrange(again + 1, len(batches) + 1), batches[again])
    return batches


#: Sortable columns of the views' long lists (a key a table does not offer is ignored there).
SORT_KEYS = sorted(
    {
        key
        for module in (relief_views, member_views, supervision_views)
        for name, value in vars(module).items()
        if name.endswith("_SORTS")
        for key in value
    }
)


def asks(envelopes: Sequence[Envelope], rng: random.Random, count: int) -> list[Ask]:
    """Random questions: as_of at event days (and the days around them) or none; a village
    of the history, one without events, or none; a period, a from/to range, or none."""
    days = sorted({local_day(e.occurred_at) for e in envelopes})
    villages = sorted({str(e.payload["village"]) for e in envelopes if e.payload.get("village")})
    quiet = [v for v in load_town().names if v not in villages][:1]
    out = [Ask(Window(), None, TODAY, clues=True)]
    while len(out) < count:
        as_of = None
        if rng.random() < 0.75:
            as_of = rng.choice(days) + dt.timedelta(days=rng.choice([-1, 0, 0, 1]))
        period = start = end = None
        roll = rng.random()
        if roll < 0.35:
            period = rng.choice(PERIODS)
        elif roll < 0.6:
            start, end = sorted(rng.sample(days, 2)) if len(days) > 1 else (days[0], days[0])
        village = rng.choice([None, None, *villages, *quiet])
        window = Window.build(as_of=as_of, period=period, start=start, end=end)
        page = PageAsk()
        if rng.random() < 0.6:  # a page of the long lists, sorted in SQL by any of their columns
            page = PageAsk(
                number=rng.choice([1, 1, 2, 3]),
                size=rng.choice([2, 5, 50, None]),
                sort=rng.choice([None, *SORT_KEYS]),
                desc=rng.random() < 0.5,
            )
        out.append(Ask(window, village, TODAY, clues=rng.random() < 0.7, page=page))
    return out


def described(ask: Ask) -> str:
    params = ask.window.as_params() | ({"village": ask.village} if ask.village else {})
    return json.dumps(params | {"clues": ask.clues}, ensure_ascii=False)


def diff(name: str, real: Any, expected: Any) -> str:
    def lines(value: Any) -> list[str]:
        text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        return text.splitlines()

    body = difflib.unified_diff(
        lines(expected), lines(real), "reference", "Snapshot", lineterm="", n=2
    )
    return f"{name} differs (- reference, + Snapshot):\n" + "\n".join(list(body)[:120])


async def apply(infra: Infra, envelopes: Sequence[Envelope], rng: random.Random) -> Any:
    """The projection's consumer, migrated (no Kafka subscription), fed the deliveries."""
    schema = unique("oracle")
    runtime, consumer = projection_runtime(settings_for(infra, ""), schema, RULES)
    for component, migrations in runtime.migrations:
        await migrate(runtime.engine, runtime.schema, component, migrations)
    await consumer.migrate()
    for batch in deliveries(envelopes, rng):
        await consumer.handle_batch(batch)
    return runtime, schema


async def compare(real: Snapshot, reference: ReferenceSnapshot, ask: Ask) -> list[str]:
    """Every view for one question on both readers; the differences found."""
    found = []
    for spec in SPECS:
        got = (await spec.build(real, ask)).to_json()
        expected = (await spec.build(reference, ask)).to_json()  # type: ignore[arg-type]
        if got != expected:
            found.append(diff(f"view {spec.name} for {described(ask)}", got, expected))
    return found


async def compare_trails(
    real: Snapshot, reference: ReferenceSnapshot, streams: list[str], ask: Ask
) -> list[str]:
    found = []
    for stream_id in streams:
        for full in (True, False):
            cutoff = ask.window.cutoff
            got = await audit_trail(real, stream_id, full=full, cutoff=cutoff)
            expected = await audit_trail(reference, stream_id, full=full, cutoff=cutoff)  # type: ignore[arg-type]
            if got != expected:
                name = f"audit trail {stream_id} (full={full}) for {described(ask)}"
                found.append(diff(name, got, expected))
    return found


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # a failure names its seed; no long shrinking
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(30, 300))
async def test_every_view_equals_the_brute_force_fold(infra: Infra, seed: int, size: int) -> None:
    note(f"seed={seed} size={size}")
    rng = random.Random(seed)
    envelopes = town_history(seed, size, KINDS)
    runtime, schema = await apply(infra, envelopes, rng)
    problems: list[str] = []
    try:
        async with runtime.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
            async with conn.begin():
                real = Snapshot(conn, schema)
                reference = ReferenceSnapshot(envelopes)
                logged = await ReferenceSnapshot.from_event_log(conn, schema)
                ours = {e.event_id for e in envelopes if e.town != OTHER_TOWN}
                assert {e.event_id for e in logged.envelopes} == ours, "the event log"
                stats, expected = await real.stats(), await reference.stats()
                assert {k: v for k, v in stats.items() if k != "schema"} == {
                    k: v for k, v in expected.items() if k != "schema"
                }
                streams = sorted({e.stream_id for e in envelopes})
                for ask in asks(envelopes, rng, 6):
                    problems += await compare(real, reference, ask)
                    trails = [*rng.sample(streams, min(4, len(streams))), "household-none"]
                    problems += await compare_trails(real, reference, trails, ask)
    finally:
        await runtime.engine.dispose()
    if problems:
        print(f"oracle: seed={seed} size={size} schema={schema}")  # kept for a look
        raise AssertionError(
            f"seed={seed} size={size}: {len(problems)} differences\n\n" + "\n\n".join(problems[:6])
        )


async def test_the_reference_answers_every_question_of_the_snapshot() -> None:
    """A new `Snapshot` method needs its reference twin (same parameters)."""
    for name, method in inspect.getmembers(Snapshot, inspect.isfunction):
        if name.startswith("_"):
            continue
        twin = getattr(ReferenceSnapshot, name, None)
        assert twin is not None, f"ReferenceSnapshot lacks {name}"
        ours = list(inspect.signature(method).parameters.values())
        theirs = list(inspect.signature(twin).parameters.values())
        assert [(p.name, p.kind, p.default) for p in ours] == [
            (p.name, p.kind, p.default) for p in theirs
        ], name
