"""The auditor's questions of the history (审计): cause chains across the services (因果链),
the reactions that never came (断链), and entries recorded after the fact (补录预警).

A cause chain is every event sharing a correlation id: a command and every reaction to it in
any service (reactions keep the correlation and name their cause). The expected reactions are
the ones the services run (`EXPECTED`); this module only lists which cause should have which
effect, never decides the effect again. Thresholds come from `audit_policy.yaml`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from shared.clock import china_date

POLICY = Path(__file__).resolve().parent.parent / "audit_policy.yaml"


@dataclass(frozen=True, slots=True)
class Expectation:
    """A reaction a service runs: an event of type `cause` (with `needs` set in its payload)
    is followed, in another service, by an event of one of `effects` caused by it."""

    cause: str
    effects: tuple[str, ...]
    what: str
    needs: str | None = None


#: The services' reactions (funds ↔ supervision ↔ party), as their consumers run them.
EXPECTED = (
    Expectation(
        "funds.RedFlagConfirmed", ("supervision.ClueReceived",), "确认的资金预警 → 纪委问题线索"
    ),
    Expectation(
        "supervision.AccountabilityDecided",
        ("party.AccountabilityMatched", "party.AccountabilityUnmatched"),
        "问责决定 → 党员积分扣减（或说明为何不扣）",
    ),
    Expectation(
        "supervision.ClueConcluded",
        ("funds.RedFlagOutcomeRecorded",),
        "来自预警的线索办结 → 预警记录办理结果",
        needs="red_flag_id",
    ),
    Expectation(
        "party.BranchDesignatedWeak",
        ("supervision.ItemListed",),
        "确定软弱涣散党组织 → 列入整改清单",
    ),
    Expectation(
        "party.InactionReferred",
        ("supervision.ClueReceived",),
        "年度考核移交 → 为官不为问题线索",
    ),
)


@dataclass(frozen=True, slots=True)
class Policy:
    late_after: dt.timedelta
    future_after: dt.timedelta
    grace: dt.timedelta


@cache
def policy(path: Path = POLICY) -> Policy:
    raw = yaml.safe_load(path.read_text())
    rules = Policy(
        late_after=dt.timedelta(days=float(raw["backdating"]["late_after_days"])),
        future_after=dt.timedelta(days=float(raw["backdating"]["future_after_days"])),
        grace=dt.timedelta(minutes=float(raw["chains"]["grace_minutes"])),
    )
    if min(rules.late_after, rules.future_after) < OFF_THE_DAY:
        raise ValueError(f"{path}: the backdating thresholds are a day or more")
    return rules


#: An entry whose two times lie more than this apart was not recorded on the day it happened:
#: the only entries the backdating rules look at (the log keeps them in an index of their own).
OFF_THE_DAY = dt.timedelta(days=1)


def off_the_day(occurred_at: dt.datetime, recorded_at: dt.datetime) -> bool:
    """Whether an entry was recorded more than a day from when it happened (before or after)."""
    return abs(recorded_at - occurred_at) > OFF_THE_DAY


def service_of(event_type: str) -> str:
    """`funds.RedFlagConfirmed` → `funds`."""
    return event_type.partition(".")[0]


@dataclass(frozen=True, slots=True)
class Step:
    """One event of a cause chain, with its place in the tree of causes (`depth`)."""

    event_id: str
    event_type: str
    stream_id: str
    kind: str
    village: str | None
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    actor_id: str
    actor_role: str
    causation_id: str | None
    depth: int = 0
    #: The payload fields set (an expectation may need one, e.g. a clue's `red_flag_id`).
    fields: frozenset[str] = frozenset()

    @property
    def service(self) -> str:
        return service_of(self.event_type)


def ordered(steps: Sequence[Step]) -> list[Step]:
    """The chain as a timeline: each event after its cause (depth = links from the first
    cause found in the chain), then by the time it was recorded."""
    by_id = {s.event_id: s for s in steps}

    def depth(step: Step, seen: frozenset[str] = frozenset()) -> int:
        cause = step.causation_id
        if cause is None or cause not in by_id or cause in seen:
            return 0
        return 1 + depth(by_id[cause], seen | {step.event_id})

    placed = [
        Step(**{**{f: getattr(s, f) for f in Step.__dataclass_fields__}, "depth": depth(s)})
        for s in steps
    ]
    return sorted(placed, key=lambda s: (s.recorded_at, s.depth, s.event_id))


def missing_effects(
    steps: Sequence[Step], now: dt.datetime, grace: dt.timedelta
) -> list[dict[str, Any]]:
    """The expected reactions absent from this chain: a cause older than `grace` (with the
    field its expectation needs) and none of its effects caused by it."""
    caused = {(s.causation_id, s.event_type) for s in steps if s.causation_id}
    found = []
    for step in steps:
        for expected in EXPECTED:
            if step.event_type != expected.cause or now - step.recorded_at < grace:
                continue
            if expected.needs is not None and expected.needs not in step.fields:
                continue
            if not any((step.event_id, effect) in caused for effect in expected.effects):
                found.append({"cause": step.event_id, "what": expected.what})
    return found


@dataclass(frozen=True, slots=True)
class Backdated:
    """An entry recorded after the fact: why (`reasons`), and by how many days."""

    event_id: str
    reasons: tuple[str, ...]
    delay_days: int


def backdating_reasons(
    occurred_at: dt.datetime, recorded_at: dt.datetime, rules: Policy
) -> list[str]:
    """Why an entry's two times alone make it suspect: recorded late, or dated ahead."""
    reasons = []
    if recorded_at - occurred_at > rules.late_after:
        reasons.append("补录")
    if occurred_at - recorded_at > rules.future_after:
        reasons.append("预填未来日期")
    return reasons


@dataclass(frozen=True, slots=True)
class Closing:
    """A period reported or judged: a village's quarter disclosed (阳光村务), or an assessment
    concluded (支部考核); an entry dated into it and recorded after it changed what was shown."""

    event_type: str
    village: str | None
    period: str
    recorded_at: dt.datetime


#: The events that close a period, and how an entry dated into it is named.
CLOSINGS = {
    "funds.FinanceDisclosed": "计入已公开季度",
    "party.AssessmentConcluded": "计入已完成的考核期",
}
#: The kinds whose entries an assessment judged (a branch's work, its members, trainings).
ASSESSED_KINDS = frozenset({"branch", "member", "training"})


def closes(closing: Closing, entry: Step) -> bool:
    """Whether `entry` was dated into `closing`'s period and recorded after it was closed."""
    if entry.recorded_at <= closing.recorded_at or entry.event_type == closing.event_type:
        return False
    if closing.event_type == "funds.FinanceDisclosed":
        concerned = entry.service == "funds" and entry.village == closing.village
    else:
        concerned = entry.service == "party" and entry.kind in ASSESSED_KINDS
    days = period_days(closing.period)
    return concerned and days is not None and days[0] <= china_date(entry.occurred_at) <= days[1]


Closings = dict[tuple[str, str | None], list[Closing]]


def by_scope(closings: Sequence[Closing]) -> Closings:
    """Closings by whom they concern: a village's funds (its disclosures), the town's party
    (its assessments)."""
    scoped: Closings = {}
    for c in closings:
        key = ("funds", c.village) if c.event_type == "funds.FinanceDisclosed" else ("party", None)
        scoped.setdefault(key, []).append(c)
    return scoped


def reasons_for(entry: Step, closings: Closings, rules: Policy) -> list[str]:
    """Every reason an entry is flagged (补录预警): its two times, then the closed periods it was
    dated into (by name, once each)."""
    late = backdating_reasons(entry.occurred_at, entry.recorded_at, rules)
    scope = (entry.service, entry.village if entry.service == "funds" else None)
    dated_into = {
        f"{CLOSINGS[c.event_type]} {c.period}" for c in closings.get(scope, ()) if closes(c, entry)
    }
    return late + sorted(dated_into)


def newest_first(flagged: list[tuple[Step, list[str]]]) -> list[tuple[Step, list[str]]]:
    """The flagged entries in the order the view lists them: the latest recorded first."""
    return sorted(flagged, key=lambda item: (item[0].recorded_at, item[0].event_id), reverse=True)


_PERIOD = re.compile(r"^([0-9]{4})(?:(Q)([1-4])|(H)([12]))?$")


@functools.lru_cache(maxsize=4096)
def period_days(period: str) -> tuple[dt.date, dt.date] | None:
    """The days of a reported period: a quarter (`2016Q3`, `2016-Q3`), a half year
    (`2016-H1`) or a year (`2016`); None for any other text (the SQL reads the same forms)."""
    m = _PERIOD.match(period.strip().upper().replace("-", ""))
    if m is None:
        return None
    year = int(m[1])
    if not 1900 <= year <= 2200:
        return None
    if m[2]:
        q = int(m[3])
        end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
        return dt.date(year, 3 * q - 2, 1), end
    if m[4]:
        return (
            (dt.date(year, 1, 1), dt.date(year, 6, 30))
            if m[5] == "1"
            else (
                dt.date(year, 7, 1),
                dt.date(year, 12, 31),
            )
        )
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
