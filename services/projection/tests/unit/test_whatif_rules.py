"""推演's rules, given the history's events, when replayed under a changed rule, then what is
folded and what changed: an exit below the changed line refused with the return after it; a
branch the changed band designates added where the assessment concluded, the stream's later
events renumbered after it; a designation the band drops refused with its rectification."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from projection.domain.whatif import BadRule, PovertyLine, Replay, WeakBand, changed_rule
from projection.synthetic import EnvelopeFactory
from projection.synthetic import party as pa
from projection.synthetic import relief as rl

from shared.envelope import Envelope

D = dt.date


def replay_all(replay: Replay, history: list[Envelope]) -> tuple[list[Envelope], list[str]]:
    """The history in stream order through the replay: what is folded, and the reasons."""
    folded: list[Envelope] = []
    reasons: list[str] = []
    ordered = sorted(history, key=lambda e: (e.stream_id, e.stream_version))
    for n, env in enumerate(ordered):
        out = replay.replayed(env)
        folded += out.envelopes
        reasons += [c.reason for c in out.changes]
        if n + 1 == len(ordered) or ordered[n + 1].stream_id != env.stream_id:
            end = replay.ended(env.stream_id)
            folded += end.envelopes
            reasons += [c.reason for c in end.changes]
    return folded, reasons


def test_an_exit_not_above_the_changed_line_is_refused_with_the_return_after_it() -> None:
    f = EnvelopeFactory()
    registered = rl.household_registered(
        f, "h1", "石壁村", "张一", "43032119700101001", D(2016, 3, 1)
    )
    exited = rl.household_exited(f, "h1", D(2016, 10, 8), income="3400.00")
    returned = rl.household_returned(f, "h1", D(2016, 12, 1))
    other_year = rl.household_exited(f, "h2", D(2017, 10, 8), income="3000.00")
    folded, reasons = replay_all(
        PovertyLine(2016, Decimal(3500)).replay(), [registered, exited, returned, other_year]
    )
    assert [e.event_id for e in folded] == [registered.event_id, other_year.event_id]
    assert "3400.00" in reasons[0] and "3500" in reasons[0]
    assert "不能登记返贫" in reasons[1]


def _assessed(f: EnvelopeFactory, branches: list[str]) -> list[Envelope]:
    opened = pa.assessment_opened(f, "2016-H2", D(2016, 12, 1))  # share 10 %
    ranking = [(b, f"{95 - 2 * n}.00") for n, b in enumerate(branches)]
    concluded = pa.assessment_concluded(f, "2016-H2", ranking, branches[-2:], D(2016, 12, 20))
    return [opened, concluded]


def test_a_wider_band_designates_a_branch_where_the_assessment_concluded() -> None:
    f = EnvelopeFactory()
    branches = [f"branch-t{n:02d}" for n in range(20)]
    third = branches[-3]
    established = pa.branch_established(f, third, "第17党支部", "石壁村", D(2016, 1, 5))
    assessment = _assessed(f, branches)
    later = pa.linked_leader(f, third, "2017-H1", "李书记", "镇长", D(2017, 3, 1))
    replay = WeakBand(Decimal(15), Decimal(20)).replay()
    for env in assessment:
        replay.learn(env)
    folded, reasons = replay_all(replay, [*assessment, established, later])

    mine = [e for e in folded if e.stream_id == third]
    assert [e.event_type for e in mine] == [
        "party.BranchEstablished",
        "party.BranchDesignatedWeak",
        "party.LinkedLeaderAssigned",
    ]
    assert [e.stream_version for e in mine] == [1, 2, 3]  # the later event renumbered after it
    added = mine[1]
    assert added.payload["rank"] == 18 and added.payload["branch_name"] == "第17党支部"
    assert added.occurred_at == assessment[1].occurred_at
    assert added.causation_id == assessment[1].event_id
    concluded = next(e for e in folded if e.event_type == "party.AssessmentConcluded")
    assert concluded.payload["designated"] == branches[-3:][::-1]
    assert any("推演新增" in r for r in reasons)


def test_a_narrower_band_drops_a_designation_and_its_rectification() -> None:
    f = EnvelopeFactory()
    branches = [f"branch-n{n:02d}" for n in range(20)]
    second = branches[-2]
    history = [
        *_assessed(f, branches),
        pa.branch_established(f, second, "第18党支部", "石壁村", D(2016, 1, 5)),
        pa.designated_weak(
            f, second, "第18党支部", "石壁村", "2016-H2", "59.00", 19, 20, D(2016, 12, 20)
        ),
        pa.first_secretary(f, second, "2016-H2", "派驻干部", "县农业局", D(2016, 12, 25)),
    ]
    replay = WeakBand(Decimal(5), Decimal(5)).replay()
    for env in history[:2]:
        replay.learn(env)
    folded, reasons = replay_all(replay, history)
    assert [e.event_type for e in folded if e.stream_id == second] == ["party.BranchEstablished"]
    assert len([r for r in reasons if "未被认定" in r or "只认定 1 个" in r]) == 2


@pytest.mark.parametrize(
    "asked",
    [
        {"rule": "poverty_line", "year": 2016, "line": "0"},
        {"rule": "poverty_line", "year": True, "line": "3000"},
        {"rule": "weak_band", "low": "12", "high": "8"},
        {"rule": "weak_band", "low": "0", "high": "8"},
        {"rule": "weak_band", "low": "5.55", "high": "8"},
        {"rule": "points"},
    ],
)
def test_a_rule_that_cannot_be_replayed_is_refused_in_chinese(asked: dict[str, object]) -> None:
    with pytest.raises(BadRule) as refused:
        changed_rule(asked)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value))
