"""Envelopes shaped like the write services' events, for the benchmark and the tests.

`EnvelopeFactory` seals envelopes stream by stream (versions and the hash chain) exactly as an
event store does; `synthetic_events(n)` yields a plausible mix (households registered, paired,
visited, exiting poverty; fund disbursements) for measuring replay throughput.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

from shared.clock import noon, utc_now
from shared.envelope import GENESIS_HASH, Actor, Envelope
from shared.ids import uuid7
from shared.kernel import make_resident_id
from shared.settings import YISUHE_TOWN_CODE
from shared.town import load_town

CLERK = Actor("clerk-shibi", "village_clerk")
AGRICULTURE = Actor("agriculture", "agriculture_leader")
ECONOMIC = Actor("economic", "economic_leader")


class EnvelopeFactory:
    """Seals envelopes with consecutive versions and a hash chain per stream."""

    def __init__(self, town: str = YISUHE_TOWN_CODE) -> None:
        self.town = town
        self.heads: dict[str, tuple[int, str]] = {}
        self.correlation = uuid.uuid4()

    def event(
        self,
        stream_id: str,
        event_type: str,
        payload: dict[str, Any],
        *,
        on: dt.date,
        actor: Actor = AGRICULTURE,
        recorded_at: dt.datetime | None = None,
        causation_id: uuid.UUID | None = None,
    ) -> Envelope:
        version, prev = self.heads.get(stream_id, (0, GENESIS_HASH))
        env = Envelope(
            event_id=uuid7(),
            event_type=event_type,
            schema_version=1,
            stream_id=stream_id,
            stream_version=version + 1,
            occurred_at=noon(on),  # a business day as the services store it
            recorded_at=recorded_at or utc_now(),
            actor=actor,
            correlation_id=self.correlation,
            causation_id=causation_id,
            town=self.town,
            payload=payload,
        ).sealed(prev)
        self.heads[stream_id] = (env.stream_version, env.hash)
        return env


def topic_of(env: Envelope, suffix: str = "") -> str:
    """The topic a write service publishes the event on (`relief.events` …), plus `suffix`."""
    return f"{env.event_type.partition('.')[0]}.events{suffix}"


def household_registered(
    f: EnvelopeFactory, household_id: str, village: str, head: str, first17: str, on: dt.date
) -> Envelope:
    town = load_town(f.town)
    known = town.village(village)
    id_number = make_resident_id(first17).value
    return f.event(
        f"household-{household_id}",
        "relief.HouseholdRegistered",
        {
            "household_id": household_id,
            "village": village,
            "village_code": known.code if known else "",
            "head_name": head,
            "head_id_number": id_number,
            "members": [{"name": head, "id_number": id_number, "relation": "户主"}],
            "causes": ["因病"],
            "income_per_head": "1800.00",
            "registered_on": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )


def household_paired(f: EnvelopeFactory, household_id: str, helper: str, on: dt.date) -> Envelope:
    return f.event(
        f"household-{household_id}",
        "relief.HouseholdPaired",
        {
            "household_id": household_id,
            "helper": {
                "kind": "cadre",
                "name": helper,
                "post": "驻村干部",
                "member_id": None,
                "branch_id": None,
            },
            "paired_on": on.isoformat(),
        },
        on=on,
    )


def household_visited(
    f: EnvelopeFactory, household_id: str, visitor: str, on: dt.date, notes: str = "走访了解情况"
) -> Envelope:
    return f.event(
        f"household-{household_id}",
        "relief.HouseholdVisited",
        {
            "household_id": household_id,
            "visit_id": str(uuid.uuid4()),
            "visitor": visitor,
            "notes": notes,
            "visited_on": on.isoformat(),
        },
        on=on,
    )


def household_exited(f: EnvelopeFactory, household_id: str, on: dt.date) -> Envelope:
    return f.event(
        f"household-{household_id}",
        "relief.HouseholdExitedPoverty",
        {
            "household_id": household_id,
            "exited_on": on.isoformat(),
            "income_per_head": "3500.00",
            "poverty_line": "2952",
            "line_year": on.year,
            "policy_revision": "2016.1",
        },
        on=on,
    )


def synthetic_events(n: int, *, seed: int = 7) -> Iterator[Envelope]:
    """`n` envelopes: households registered, paired, visited (most events), some exiting."""
    rng = random.Random(seed)
    f = EnvelopeFactory()
    villages = load_town(f.town).names
    start = dt.date(2016, 3, 1)
    made = 0
    household = 0
    while made < n:
        household += 1
        hid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        village = villages[household % len(villages)]
        day = start + dt.timedelta(days=rng.randrange(0, 120))
        first17 = f"430321{1950 + household % 50}0101{household % 1000:03d}"
        batch = [
            household_registered(f, hid, village, f"户主{household}", first17, day),
            household_paired(f, hid, f"干部{household % 97}", day + dt.timedelta(days=3)),
        ]
        for visit in range(rng.randrange(4, 12)):
            batch.append(
                household_visited(
                    f, hid, f"干部{household % 97}", day + dt.timedelta(days=10 + 20 * visit)
                )
            )
        if rng.random() < 0.4:
            batch.append(household_exited(f, hid, day + dt.timedelta(days=300)))
        yield from batch[: n - made]
        made += min(len(batch), n - made)
