"""推演 — what-if replay: history replayed under a rule of the plan changed, to show what would
have been different.

A rule here is applied exactly as the service that owns it applies it (the predicate lives in
`shared.kernel`, used by both), to the facts the events recorded when the service decided: the
replay drops every event the changed rule would have refused, and the events that could only
follow it (a household that never exited cannot return to poverty). What the events never
recorded cannot be replayed: a lower line cannot show an exit that was never asked for, so a
what-if only tightens a rule.

Pure: no I/O. The adapter streams the live event log through a `Replay` in stream order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from projection.domain import relief as r
from shared.envelope import Envelope
from shared.kernel import DomainError, above_poverty_line

EXITED = "relief.HouseholdExitedPoverty"
RETURNED = "relief.HouseholdReturnedToPoverty"


class BadRule(DomainError):
    """The asked rule change cannot be replayed (unknown rule, a value out of range)."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """An event the changed rule would have refused, and why (zh-CN with English)."""

    event_id: str
    stream_id: str
    event_type: str
    occurred_at: dt.datetime
    reason: str


class Replay(Protocol):
    """Decides, event by event in each stream's order, what the changed rule would refuse."""

    def refusal(self, env: Envelope) -> str | None: ...


class ChangedRule(Protocol):
    """A rule of the plan with a changed value."""

    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def event_types(self) -> tuple[str, ...]: ...

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
    def event_types(self) -> tuple[str, ...]:
        """The events the replay may refuse (the others pass unchanged)."""
        return (EXITED, RETURNED)

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

    def refusal(self, env: Envelope) -> str | None:
        if env.event_type == EXITED:
            p = env.payload
            year = int(p.get("line_year") or str(p.get("exited_on", "0"))[:4] or 0)
            income = _decimal(p.get("income_per_head"))
            refused = (
                year == self.rule.year
                and income is not None
                and not above_poverty_line(income, self.rule.line)
            )
            if refused:
                self.stays_poor.add(env.stream_id)
                return (
                    f"{year} 年人均纯收入 {income} 元未超过推演贫困线 {self.rule.line} 元"
                    f"（原贫困线 {p.get('poverty_line')} 元）"
                    f" (income {income} not above the changed line {self.rule.line})"
                )
            self.stays_poor.discard(env.stream_id)
            return None
        if env.event_type == RETURNED and env.stream_id in self.stays_poor:
            return "该户在推演中未脱贫，不能登记返贫 (never exited under the changed line)"
        return None


#: The rules a what-if may change, by name, with their zh-CN names.
RULE_NAMES = {"poverty_line": "扶贫标准（年度贫困线）"}


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
        exact = line.quantize(Decimal(1)) if line == line.to_integral() else line
        return PovertyLine(year, exact)
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
