"""Random town histories for the oracle test: the four services' events, shaped by their
contracts (checked), from one seed.

Entities are created and moved on at random; business dates wander, also backwards within a
stream (work entered late); some events happen at the very edges of a China day; a few
envelopes are another town's (some on this town's stream ids); one event type is unknown to the
projection. The payloads: `history_relief.py`, `history_others.py`.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from shared.contracts import check_envelope
from shared.envelope import GENESIS_HASH, Actor, Envelope
from shared.settings import YISUHE_TOWN_CODE
from shared.town import Village, load_town

from .support import EnvelopeFactory

OTHER_TOWN = "430321101"
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2017, 12, 31)
#: No rule and no contract: a new service's event (it still enters the log and the trail).
UNKNOWN_TYPE = "relief.VillageFestivalHeld"


class TimedFactory(EnvelopeFactory):
    """The synthetic factory, with a business instant other than the day's noon when asked."""

    def timed(
        self,
        stream_id: str,
        event_type: str,
        payload: dict[str, Any],
        *,
        on: dt.date,
        at: dt.datetime | None,
        actor: Actor,
    ) -> Envelope:
        _, prev = self.heads.get(stream_id, (0, GENESIS_HASH))
        env = self.event(stream_id, event_type, payload, on=on, actor=actor)
        if at is not None:
            env = replace(env, occurred_at=at).sealed(prev)
            self.heads[stream_id] = (env.stream_version, env.hash)
        return env


@dataclass
class Sim:
    """One entity of the story: its stream, id, village, last business day and notes."""

    kind: str
    stream_id: str
    entity_id: str
    village: Village
    day: dt.date
    steps: int = 0
    notes: dict[str, Any] = field(default_factory=dict)


#: Builds an entity's next event: (event type, payload, actor); `sim.steps == 0` for its first.
Step = Callable[["HistoryMaker", Sim], tuple[str, dict[str, Any], Actor]]
#: A new entity's stream id and entity id (the payload's `<kind>_id`), given its village.
Naming = Callable[["HistoryMaker", Village], tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Kind:
    """How the story makes and moves one kind of entity."""

    naming: Naming
    step: Step
    weight: float
    most: int = 8


class HistoryMaker:
    """A history of about `n` envelopes from `rng`, over a few of the town's villages."""

    def __init__(self, rng: random.Random, kinds: dict[str, Kind], villages: int = 4) -> None:
        self.rng = rng
        self.kinds = kinds
        self.villages = rng.sample(list(load_town(YISUHE_TOWN_CODE).villages), villages)
        self.ours = TimedFactory()
        self.theirs = TimedFactory(OTHER_TOWN)
        self.sims: dict[str, Sim] = {}
        self.envelopes: list[Envelope] = []

    def make(self, n: int) -> list[Envelope]:
        names = list(self.kinds)
        weights = [self.kinds[k].weight for k in names]
        while len(self.envelopes) < n:
            kind = self.rng.choices(names, weights=weights)[0]
            existing = self.of(kind)
            if existing and (len(existing) >= self.kinds[kind].most or self.rng.random() < 0.7):
                self.advance(self.rng.choice(existing))
            else:
                self.create(kind)
            if self.rng.random() < 0.03:
                self.foreign()
        return self.envelopes

    def create(self, kind: str) -> None:
        village = self.village()
        stream_id, entity_id = self.kinds[kind].naming(self, village)
        if stream_id in self.sims:  # one stream per village, period or number
            self.advance(self.sims[stream_id])
            return
        sim = Sim(kind, stream_id, entity_id, village, self.day_after(None))
        self.sims[stream_id] = sim
        self.emit(sim, *self.kinds[kind].step(self, sim))

    def advance(self, sim: Sim) -> None:
        sim.day = self.day_after(sim.day)
        self.emit(sim, *self.kinds[sim.kind].step(self, sim))

    def emit(
        self,
        sim: Sim,
        event_type: str,
        payload: dict[str, Any],
        actor: Actor,
        factory: TimedFactory | None = None,
    ) -> None:
        at = self.instant(sim.day)
        env = (factory or self.ours).timed(
            sim.stream_id, event_type, payload, on=sim.day, at=at, actor=actor
        )
        if event_type != UNKNOWN_TYPE:
            check_envelope(env)  # the payload matches the service's published contract
        self.envelopes.append(env)
        sim.steps += 1

    def foreign(self) -> None:
        """Another town's household registered, sometimes on one of our stream ids."""
        ours = self.of("household")
        take = ours and self.rng.random() < 0.5
        hid = self.rng.choice(ours).entity_id if take else self.uid()
        sim = Sim("household", f"household-{hid}", hid, self.village(), self.day_after(None))
        step = self.kinds["household"].step
        self.emit(sim, *step(self, sim), factory=self.theirs)

    # -- what steps use ---------------------------------------------------------------------

    def of(self, kind: str) -> list[Sim]:
        return [s for s in self.sims.values() if s.kind == kind]

    def pick(self, kind: str) -> Sim | None:
        found = self.of(kind)
        return self.rng.choice(found) if found else None

    def pick_id(self, kind: str) -> str | None:
        sim = self.pick(kind)
        return sim.entity_id if sim else None

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def village(self) -> Village:
        return self.rng.choice(self.villages)

    def money(self, low: int = 100, high: int = 50_000) -> str:
        return f"{self.rng.randrange(low * 100, high * 100) / 100:.2f}"

    def day_after(self, day: dt.date | None) -> dt.date:
        """Mostly after the entity's last event, sometimes before it (entered late)."""
        if day is None:
            return FIRST_DAY + dt.timedelta(days=self.rng.randrange(0, 500))
        later = day + dt.timedelta(days=self.rng.randrange(-40, 90))
        return min(max(later, FIRST_DAY), LAST_DAY)

    def instant(self, day: dt.date) -> dt.datetime | None:
        """None (the day's noon, as services store a business day) mostly; else the first or
        the last instant of the day in China."""
        roll = self.rng.random()
        if roll < 0.8:
            return None
        first = dt.datetime.combine(day, dt.time(0), dt.UTC) - dt.timedelta(hours=8)
        return first if roll < 0.9 else first + dt.timedelta(days=1, microseconds=-1)


def town_history(seed: int, n: int, kinds: dict[str, Kind]) -> list[Envelope]:
    """About `n` envelopes of a random history (the same for the same seed, but for the
    event ids and recording times)."""
    rng = random.Random(seed)
    return HistoryMaker(rng, kinds, villages=rng.randrange(2, 6)).make(n)
