"""Envelopes shaped like the write services' events, for the benchmark and the tests: one set
of builders per service (`relief`, `funds`, `supervision`, `party`; payloads as in
`contracts/events/`), `EnvelopeFactory` to seal them stream by stream as an event store does,
`county_events(n)` for a county-sized realistic mix and `synthetic_events(n)` for a relief-only
one."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator

from projection.synthetic.county import county_events
from projection.synthetic.factory import (
    AGRICULTURE,
    CLERK,
    DEPUTY,
    DISCIPLINE,
    ECONOMIC,
    ORGANISATION,
    SYSTEM,
    EnvelopeFactory,
    topic_of,
)
from projection.synthetic.relief import (
    household_exited,
    household_paired,
    household_registered,
    household_visited,
)
from shared.envelope import Envelope
from shared.town import load_town


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


__all__ = [
    "AGRICULTURE",
    "CLERK",
    "DEPUTY",
    "DISCIPLINE",
    "ECONOMIC",
    "ORGANISATION",
    "SYSTEM",
    "EnvelopeFactory",
    "county_events",
    "household_exited",
    "household_paired",
    "household_registered",
    "household_visited",
    "synthetic_events",
    "topic_of",
]
