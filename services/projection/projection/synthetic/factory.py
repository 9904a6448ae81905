"""Sealing envelopes stream by stream, exactly as an event store does (versions and the hash
chain), for the benchmark, the tests and the generators."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from shared.clock import noon, utc_now
from shared.envelope import GENESIS_HASH, Actor, Envelope
from shared.ids import uuid7
from shared.settings import YISUHE_TOWN_CODE

CLERK = Actor("clerk-shibi", "village_clerk")
AGRICULTURE = Actor("agriculture", "agriculture_leader")
ECONOMIC = Actor("economic", "economic_leader")
DISCIPLINE = Actor("discipline", "discipline_secretary")
DEPUTY = Actor("deputy", "deputy_secretary")
ORGANISATION = Actor("organisation", "organisation_member")
SYSTEM = Actor("system", "system")


class EnvelopeFactory:
    """Seals envelopes with consecutive versions and a hash chain per stream.

    With `rng`, event ids, correlation ids and recording times come from it (the same seed
    gives the same envelopes, hashes included); without, they are fresh as in a service.

    `late_share` (with `rng`): business days as officials enter them. An event dated before its
    stream's latest day is kept as a late entry with that probability, and dated on the latest
    day otherwise; party's and supervision's never (their services refuse a fact dated before
    the last one). None: every day as asked (the oracle's histories go back on purpose)."""

    def __init__(
        self,
        town: str = YISUHE_TOWN_CODE,
        *,
        rng: random.Random | None = None,
        late_share: float | None = None,
    ) -> None:
        self.town = town
        self.heads: dict[str, tuple[int, str]] = {}
        self.rng = rng
        self.late_share = late_share
        self.latest: dict[str, dt.date] = {}
        self.correlation = self._uuid4() if rng else uuid.uuid4()
        #: The cause of the events made next (a reaction's), unless an event names its own.
        self.causing: uuid.UUID | None = None
        #: When the events made next were recorded, unless an event says (a late entry).
        self.recording: dt.datetime | None = None

    def _uuid4(self) -> uuid.UUID:
        assert self.rng is not None
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def new_id(self) -> str:
        """A fresh entity or record id (seeded when the factory is)."""
        return str(self._uuid4() if self.rng else uuid.uuid4())

    def _id_at(self, at: dt.datetime) -> uuid.UUID:
        """A UUIDv7 for a recording time: its milliseconds, then seeded random bits."""
        assert self.rng is not None
        ms = int(at.timestamp() * 1000) & ((1 << 48) - 1)
        rand = self.rng.getrandbits(74)
        value = (
            (ms << 80)
            | (0x7 << 76)
            | ((rand >> 62) << 64)
            | (0b10 << 62)
            | (rand & ((1 << 62) - 1))
        )
        return uuid.UUID(int=value)

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
        schema_version: int = 1,
    ) -> Envelope:
        version, prev = self.heads.get(stream_id, (0, GENESIS_HASH))
        on = self._entered(stream_id, event_type, on)
        occurred = noon(on)  # a business day as the services store it
        recorded_at = recorded_at or self.recording
        if recorded_at is None:
            recorded_at = (
                occurred + dt.timedelta(seconds=self.rng.randrange(0, 4 * 3600))
                if self.rng
                else utc_now()
            )
        env = Envelope(
            event_id=self._id_at(recorded_at) if self.rng else uuid7(),
            event_type=event_type,
            schema_version=schema_version,
            stream_id=stream_id,
            stream_version=version + 1,
            occurred_at=occurred,
            recorded_at=recorded_at,
            actor=actor,
            correlation_id=self.correlation,
            causation_id=causation_id or self.causing,
            town=self.town,
            payload=payload,
        ).sealed(prev)
        self.heads[stream_id] = (env.stream_version, env.hash)
        return env

    def _entered(self, stream_id: str, event_type: str, on: dt.date) -> dt.date:
        """The business day an event gets (see `late_share`)."""
        if self.late_share is None or self.rng is None:
            return on
        latest = self.latest.get(stream_id)
        if latest is not None and on < latest:
            in_order_only = event_type.startswith(("party.", "supervision."))
            if in_order_only or self.rng.random() >= self.late_share:
                on = latest
        self.latest[stream_id] = max(on, latest) if latest is not None else on
        return on

    def forget(self, stream_id: str) -> None:
        """Drop a finished stream's head (a generator of millions of streams stays small)."""
        self.heads.pop(stream_id, None)
        self.latest.pop(stream_id, None)


def topic_of(env: Envelope, suffix: str = "") -> str:
    """The topic a write service publishes the event on (`relief.events` …), plus `suffix`."""
    return f"{env.event_type.partition('.')[0]}.events{suffix}"
