"""The county generator (the benchmark's input): every envelope is one the write services could
have published, folds without error, chains per stream, and the mix is realistic."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from projection.domain.catalogue import RULES
from projection.domain.folds import Fact, State, fold
from projection.synthetic import county_events

from shared.contracts import check_envelope
from shared.envelope import GENESIS_HASH
from shared.town import load_town

N = 6_000


def test_every_envelope_matches_its_contract_and_folds() -> None:
    states: dict[str, State] = {}
    heads: dict[str, tuple[int, str]] = {}
    for env in county_events(N, seed=11):
        check_envelope(env)
        version, prev = heads.get(env.stream_id, (0, GENESIS_HASH))
        assert env.stream_version == version + 1 and env.prev_hash == prev
        assert env.hash == env.compute_hash()
        heads[env.stream_id] = (env.stream_version, env.hash)
        assert env.event_type in RULES, env.event_type
        fact = Fact(
            env.event_type,
            env.stream_id,
            env.stream_version,
            env.occurred_at,
            env.actor.user_id,
            env.actor.role,
            env.payload,
        )
        states[env.stream_id] = fold(states.get(env.stream_id), fact, RULES).state


def test_the_mix_spans_four_services_every_village_and_five_years() -> None:
    n = 20_000  # programmes come ~200 events at a time: a mix needs a few dozen of them
    envelopes = list(county_events(n, seed=3))
    assert len(envelopes) == n
    share = {k: v / n for k, v in Counter(e.event_type.split(".")[0] for e in envelopes).items()}
    assert 0.40 < share["relief"] < 0.65
    assert 0.08 < share["funds"] < 0.35
    assert 0.04 < share["supervision"] < 0.15
    assert 0.12 < share["party"] < 0.30
    types = {e.event_type for e in envelopes}
    assert len(types) >= 60
    villages = {e.payload.get("village") for e in envelopes} - {None}
    assert set(load_town().names) <= villages
    years = {e.occurred_at.year for e in envelopes}
    assert years == {2016, 2017, 2018, 2019, 2020}
    assert max(e.occurred_at.date() for e in envelopes) <= dt.date(2020, 12, 31)


def test_the_same_seed_gives_the_same_envelopes() -> None:
    first = [(e.event_id, e.hash) for e in county_events(800, seed=5)]
    again = [(e.event_id, e.hash) for e in county_events(800, seed=5)]
    other = [(e.event_id, e.hash) for e in county_events(800, seed=6)]
    assert first == again
    assert first != other


def test_business_days_are_entered_in_order_but_for_a_few_late_entries() -> None:
    latest: dict[str, dt.date] = {}
    late: Counter[str] = Counter()
    events: Counter[str] = Counter()
    for env in county_events(N, seed=5):
        service = env.event_type.partition(".")[0]
        day = env.occurred_at.date()
        events[service] += 1
        if env.stream_id in latest and day < latest[env.stream_id]:
            late[service] += 1
        latest[env.stream_id] = max(day, latest.get(env.stream_id, day))
    # party and supervision refuse a fact dated before the last one: never late there
    assert late["party"] == 0 and late["supervision"] == 0
    # relief and funds allow a late entry: some, as officials make them, not a tenth of all
    entered_late = late["relief"] + late["funds"]
    assert 0 < entered_late <= 0.05 * (events["relief"] + events["funds"])
