"""推演 — what-if replay: history replayed under a rule of the plan changed, to show what would
have been different.

A rule here is applied exactly as the service that owns it applies it (the rule lives in
`shared.kernel`, used by both), to the facts the events recorded when the service decided: the
replay drops every event the changed rule would have refused and the events that could only
follow it (a household that never exited cannot return to poverty), and adds the events the
changed rule would have made (a branch the changed band would have designated weak). What the
events never recorded cannot be replayed: a lower poverty line cannot show an exit that was
never asked for.

Pure: no I/O. The adapter first shows a `Replay` the events its rule reads (`inputs`: the
assessments' rankings), then streams the live event log through it in stream order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from projection.domain import party as pt
from projection.domain import relief as r
from projection.domain.folds import stream_entity_id
from shared.envelope import Actor, Envelope
from shared.kernel import DomainError, above_poverty_line, bottom_band

EXITED = "relief.HouseholdExitedPoverty"
RETURNED = "relief.HouseholdReturnedToPoverty"
OPENED = "party.AssessmentOpened"
CONCLUDED = "party.AssessmentConcluded"
ESTABLISHED = "party.BranchEstablished"
DESIGNATED = "party.BranchDesignatedWeak"
LIFTED = "party.BranchDesignationLifted"
#: What follows a designation on the branch (整顿): refused where the designation is.
RECTIFICATION = frozenset(
    {
        "party.FirstSecretaryAssigned",
        "party.LinkedLeaderAssigned",
        "party.LeaderVisitRecorded",
        "party.HouseholdVisitsRecorded",
        LIFTED,
    }
)
#: Every event on a branch's stream.
BRANCH_TYPES = frozenset(t for t, rule in pt.RULES.items() if rule.kind == pt.BRANCH)


class BadRule(DomainError):
    """The asked rule change cannot be replayed (unknown rule, a value out of range)."""


@dataclass(frozen=True, slots=True)
class Change:
    """An event the changed rule would have refused, changed or added, and why (zh-CN with
    English)."""

    event_id: str
    stream_id: str
    event_type: str
    occurred_at: dt.datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Replayed:
    """What is folded in an event's place (nothing: refused), and the changes it records."""

    envelopes: list[Envelope]
    changes: list[Change] = field(default_factory=list)


def kept(env: Envelope) -> Replayed:
    return Replayed([env])


def refused(env: Envelope, reason: str) -> Replayed:
    return Replayed([], [change_of(env, reason)])


def change_of(env: Envelope, reason: str) -> Change:
    return Change(str(env.event_id), env.stream_id, env.event_type, env.occurred_at, reason)


class Replay(Protocol):
    """Replays the history under the changed rule, event by event in each stream's order."""

    def learn(self, env: Envelope) -> None:
        """An event of the rule's `inputs`, shown before the replay."""

    def replayed(self, env: Envelope) -> Replayed: ...

    def ended(self, stream_id: str) -> Replayed:
        """The stream's last event was replayed: what the rule adds after it."""
        ...


class ChangedRule(Protocol):
    """A rule of the plan with a changed value."""

    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def inputs(self) -> tuple[str, ...]: ...

    @property
    def compared_views(self) -> tuple[str, ...]: ...

    @property
    def kinds(self) -> tuple[str, ...]: ...

    def replay(self) -> Replay: ...

    def to_json(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class PovertyLine:
    """扶贫标准: the poverty line of one year (income per head per year, CNY), raised. An exit
    of that year whose recorded income is not above the changed line would have been refused;
    the household stays poor, and its later return to poverty (only an exited household
    returns) is refused with it."""

    year: int
    line: Decimal
    name: str = "poverty_line"

    @property
    def label(self) -> str:
        return f"{self.year} 年贫困线改为 {self.line} 元"

    @property
    def inputs(self) -> tuple[str, ...]:
        return ()

    @property
    def compared_views(self) -> tuple[str, ...]:
        return ("relief/villages", "overview")

    @property
    def kinds(self) -> tuple[str, ...]:
        return (r.HOUSEHOLD,)

    def replay(self) -> Replay:
        return _PovertyLineReplay(self)

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.name, "year": self.year, "line": str(self.line)}


@dataclass(slots=True)
class _PovertyLineReplay:
    rule: PovertyLine
    stays_poor: set[str] = field(default_factory=set)

    def learn(self, env: Envelope) -> None:
        return None

    def ended(self, stream_id: str) -> Replayed:
        return Replayed([])

    def replayed(self, env: Envelope) -> Replayed:
        if env.event_type == EXITED:
            p = env.payload
            year = int(p.get("line_year") or str(p.get("exited_on", "0"))[:4] or 0)
            income = _decimal(p.get("income_per_head"))
            below = (
                year == self.rule.year
                and income is not None
                and not above_poverty_line(income, self.rule.line)
            )
            if below:
                self.stays_poor.add(env.stream_id)
                return refused(
                    env,
                    f"{year} 年人均纯收入 {income} 元未超过推演贫困线 {self.rule.line} 元"
                    f"（原贫困线 {p.get('poverty_line')} 元）"
                    f" (income {income} not above the changed line {self.rule.line})",
                )
            self.stays_poor.discard(env.stream_id)
            return kept(env)
        if env.event_type == RETURNED and env.stream_id in self.stays_poor:
            return refused(
                env, "该户在推演中未脱贫，不能登记返贫 (never exited under the changed line)"
            )
        return kept(env)


@dataclass(frozen=True, slots=True)
class WeakBand:
    """软弱涣散 "按5%至10%的比例倒排": the band changed. Each assessment's own share is kept
    within the changed band (raised to its floor, lowered to its ceiling) and its ranking cut
    again by party's rule (`shared.kernel.bottom_band`): a branch designated only in the
    history loses the designation and the rectification that followed it (first secretary,
    linked leader, visits, lifting); a branch the changed band designates is designated when the
    assessment concluded."""

    low: Decimal
    high: Decimal
    name: str = "weak_band"

    @property
    def label(self) -> str:
        return f"软弱涣散认定比例改为 {self.low}%–{self.high}%"

    @property
    def inputs(self) -> tuple[str, ...]:
        return (OPENED, CONCLUDED)

    @property
    def compared_views(self) -> tuple[str, ...]:
        return ("party/branches", "overview")

    @property
    def kinds(self) -> tuple[str, ...]:
        return (pt.BRANCH,)

    def replay(self) -> Replay:
        return _WeakBandReplay(self)

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.name, "low": str(self.low), "high": str(self.high)}


@dataclass(slots=True)
class _Conclusion:
    env: Envelope
    period: str
    places: dict[str, tuple[str, int]]  # branch id → (score, rank)
    share: Decimal
    actual: set[str]
    designated: tuple[str, ...]
    tied_over: tuple[str, ...]
    quota: int


@dataclass(slots=True)
class _Branch:
    entity_id: str
    name: str = ""
    village: str | None = None
    weak: bool = False
    offset: int = 0
    last_version: int = 0
    pending: list[_Conclusion] = field(default_factory=list)


@dataclass(slots=True)
class _WeakBandReplay:
    rule: WeakBand
    shares: dict[str, Decimal] = field(default_factory=dict)
    conclusions: dict[str, _Conclusion] = field(default_factory=dict)  # by event id
    periods: dict[str, _Conclusion] = field(default_factory=dict)
    branches: dict[str, _Branch] = field(default_factory=dict)

    def learn(self, env: Envelope) -> None:
        p = env.payload
        if env.event_type == OPENED:
            self.shares[env.stream_id] = _decimal(p.get("weak_share_percent")) or self.rule.low
            return
        if env.event_type != CONCLUDED:
            return
        places = {
            str(r.get("branch_id")): (str(r.get("score")), int(r.get("rank") or 0))
            for r in p.get("ranking") or []
        }
        if not places:
            return
        share = min(
            max(self.shares.get(env.stream_id, self.rule.low), self.rule.low), self.rule.high
        )
        scores = {b: _decimal(score) or Decimal(0) for b, (score, _) in places.items()}
        band = bottom_band(scores, share, self.rule.high)
        c = _Conclusion(
            env,
            str(p.get("period")),
            places,
            share,
            {str(b) for b in p.get("designated") or []},
            band.designated,
            band.tied_over,
            band.quota,
        )
        self.conclusions[str(env.event_id)] = c
        self.periods[c.period] = c

    def replayed(self, env: Envelope) -> Replayed:
        if env.event_type == CONCLUDED and (c := self.conclusions.get(str(env.event_id))):
            return self._concluded(env, c)
        if env.event_type not in BRANCH_TYPES:
            return kept(env)
        branch = self._branch(env)
        out = Replayed([])
        while branch.pending and branch.pending[0].env.recorded_at < env.recorded_at:
            self._add(branch, env.stream_id, env.stream_version, branch.pending.pop(0), out)
        p = env.payload
        if env.event_type == DESIGNATED:
            c = self.periods.get(str(p.get("period")))
            if c is not None and branch.entity_id not in c.designated:
                change = change_of(env, _undesignated(c, branch.entity_id))
                return Replayed(out.envelopes, [*out.changes, change])
            branch.weak = True
        elif env.event_type in RECTIFICATION and not branch.weak:
            change = change_of(
                env, "推演中该支部未被认定为软弱涣散 (not designated in the what-if)"
            )
            return Replayed(out.envelopes, [*out.changes, change])
        elif env.event_type == LIFTED:
            branch.weak = False
        elif env.event_type == ESTABLISHED:
            branch.name = str(p.get("name") or branch.name)
            branch.village = p.get("village") or branch.village
        branch.last_version = env.stream_version
        out.envelopes.append(_renumbered(env, branch.offset))
        return out

    def ended(self, stream_id: str) -> Replayed:
        branch = self.branches.get(stream_id)
        out = Replayed([])
        while branch is not None and branch.pending:
            self._add(branch, stream_id, branch.last_version + 1, branch.pending.pop(0), out)
        return out

    def _branch(self, env: Envelope) -> _Branch:
        branch = self.branches.get(env.stream_id)
        if branch is None:
            entity = str(env.payload.get("branch_id") or stream_entity_id(env.stream_id))
            branch = _Branch(entity)
            branch.pending = sorted(
                (
                    c
                    for c in self.conclusions.values()
                    if entity in c.designated and entity not in c.actual
                ),
                key=lambda c: c.env.recorded_at,
            )
            self.branches[env.stream_id] = branch
        return branch

    def _concluded(self, env: Envelope, c: _Conclusion) -> Replayed:
        if set(c.designated) == c.actual:
            return kept(env)
        payload = {**env.payload, "designated": list(c.designated), "quota": c.quota}
        if c.tied_over:
            reason = (
                f"推演中末位并列 ({'、'.join(c.tied_over)}) 超过 {self.rule.high}% 上限，"
                "须复核评分，暂无支部认定 (a tie passes the changed ceiling)"
            )
        else:
            reason = (
                f"推演按 {c.share}% 认定 {len(c.designated)} 个（实际 {len(c.actual)} 个）"
                f" (designated {len(c.designated)} instead of {len(c.actual)})"
            )
        return Replayed([replace(env, payload=payload)], [change_of(env, reason)])

    def _add(
        self, branch: _Branch, stream_id: str, version: int, c: _Conclusion, out: Replayed
    ) -> None:
        score, place = c.places[branch.entity_id]
        cause = c.env
        added = Envelope(
            event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"lianxin:whatif:{stream_id}:{c.period}"),
            event_type=DESIGNATED,
            schema_version=1,
            stream_id=stream_id,
            stream_version=version + branch.offset,
            occurred_at=cause.occurred_at,
            recorded_at=cause.recorded_at,
            actor=Actor("whatif", "system"),
            correlation_id=cause.correlation_id,
            causation_id=cause.event_id,
            town=cause.town,
            payload={
                "branch_id": branch.entity_id,
                "branch_name": branch.name,
                "village": branch.village,
                "period": c.period,
                "score": score,
                "rank": place,
                "branches_assessed": len(c.places),
                "weak_share_percent": str(c.share),
                "designated_on": cause.payload.get("concluded_on"),
            },
        )
        branch.offset += 1
        branch.weak = True
        out.envelopes.append(added)
        out.changes.append(
            change_of(
                added,
                f"推演新增：{c.period} 第 {place} 名（共 {len(c.places)} 个，{score} 分），"
                f"按 {c.share}% 认定为软弱涣散 (designated under the changed band)",
            )
        )


def _undesignated(c: _Conclusion, branch: str) -> str:
    score, place = c.places.get(branch, ("?", 0))
    return (
        f"推演按 {c.share}% 只认定 {len(c.designated)} 个，{c.period} 第 {place} 名（{score} 分）"
        f"不在其中 (not designated under the changed band)"
    )


def _renumbered(env: Envelope, offset: int) -> Envelope:
    return replace(env, stream_version=env.stream_version + offset) if offset else env


#: The rules a what-if may change, by name, with their zh-CN names.
RULE_NAMES = {
    "poverty_line": "扶贫标准（年度贫困线）",
    "weak_band": "软弱涣散认定比例（5%–10%）",
}


def changed_rule(asked: Mapping[str, Any]) -> ChangedRule:
    """The rule change a caller asked for, checked; BadRule (in Chinese) if it cannot be."""
    name = asked.get("rule")
    if name == "poverty_line":
        year = asked.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
            raise BadRule("年度应为 2000–2100 之间的整数 (year must be an integer 2000–2100)")
        line = _decimal(asked.get("line"))
        if line is None or line <= 0 or line > 1_000_000 or line != line.quantize(Decimal("0.01")):
            raise BadRule(
                "贫困线应为大于 0、不超过 1,000,000 的金额，至多两位小数"
                " (the line must be an amount above 0 and at most 1,000,000, two decimals)"
            )
        return PovertyLine(year, _plain(line))
    if name == "weak_band":
        low, high = _decimal(asked.get("low")), _decimal(asked.get("high"))
        if (
            low is None
            or high is None
            or not Decimal(0) < low <= high <= Decimal(50)
            or low != low.quantize(Decimal("0.1"))
            or high != high.quantize(Decimal("0.1"))
        ):
            raise BadRule(
                "认定比例应为 0–50 之间、下限不大于上限的百分数，至多一位小数"
                " (the band is two percentages 0 < low <= high <= 50, one decimal)"
            )
        return WeakBand(_plain(low), _plain(high))
    known = "、".join(f"{k}（{v}）" for k, v in RULE_NAMES.items())
    raise BadRule(f"不能推演的规则 {name!r}，可推演：{known} (unknown rule)")


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _plain(number: Decimal) -> Decimal:
    """3500.00 → 3500, 7.50 → 7.50 (as people write an amount or a share)."""
    return number.quantize(Decimal(1)) if number == number.to_integral() else number
