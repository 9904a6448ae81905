"""The auditor's rules as plain functions: reported periods, the two times of an entry, the order
of a cause chain and the reactions missing from it."""

from __future__ import annotations

import datetime as dt

from projection.domain.auditing import (
    Policy,
    Step,
    backdating_reasons,
    missing_effects,
    ordered,
    period_days,
)

D = dt.date
RULES = Policy(
    late_after=dt.timedelta(days=30),
    future_after=dt.timedelta(days=1),
    grace=dt.timedelta(minutes=10),
)
T0 = dt.datetime(2016, 8, 1, 4, tzinfo=dt.UTC)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def step(
    event_id: str, event_type: str, recorded: int, cause: str | None = None, **kw: object
) -> Step:
    return Step(
        event_id=event_id,
        event_type=event_type,
        stream_id=f"s-{event_id}",
        kind="x",
        village="石壁村",
        occurred_at=at(recorded),
        recorded_at=at(recorded),
        actor_id="u",
        actor_role="auditor",
        causation_id=cause,
        **kw,  # type: ignore[arg-type]
    )


def test_reported_periods_are_quarters_half_years_and_years() -> None:
    assert period_days("2016Q3") == (D(2016, 7, 1), D(2016, 9, 30))
    assert period_days("2016-Q4") == (D(2016, 10, 1), D(2016, 12, 31))
    assert period_days("2016-H1") == (D(2016, 1, 1), D(2016, 6, 30))
    assert period_days("2016") == (D(2016, 1, 1), D(2016, 12, 31))
    assert period_days("someday") is None


def test_an_entry_is_late_past_the_threshold_and_ahead_when_dated_after_its_recording() -> None:
    assert backdating_reasons(T0, T0 + dt.timedelta(days=30), RULES) == []
    assert backdating_reasons(T0, T0 + dt.timedelta(days=31), RULES) == ["补录"]
    assert backdating_reasons(T0 + dt.timedelta(days=2), T0, RULES) == ["预填未来日期"]


def test_a_chain_puts_each_effect_after_its_cause() -> None:
    chain = ordered(
        [
            step("c", "party.PointsDeducted", 5, cause="b"),
            step("a", "funds.RedFlagConfirmed", 0),
            step("b", "supervision.ClueReceived", 5, cause="a"),
        ]
    )
    assert [(s.event_id, s.depth) for s in chain] == [("a", 0), ("b", 1), ("c", 2)]


def test_a_cause_past_the_grace_without_its_effect_is_missing_and_not_before() -> None:
    decided = step("d", "supervision.AccountabilityDecided", 0)
    assert missing_effects([decided], at(5), RULES.grace) == []  # still within the grace
    assert [m["cause"] for m in missing_effects([decided], at(11), RULES.grace)] == ["d"]
    matched = step("m", "party.AccountabilityMatched", 1, cause="d")
    assert missing_effects([decided, matched], at(60), RULES.grace) == []


def test_a_clue_concluded_is_expected_to_reach_funds_only_when_a_red_flag_opened_it() -> None:
    plain = step("k", "supervision.ClueConcluded", 0)
    from_flag = step("f", "supervision.ClueConcluded", 0, fields=frozenset({"red_flag_id"}))
    assert [m["cause"] for m in missing_effects([plain, from_flag], at(60), RULES.grace)] == ["f"]
