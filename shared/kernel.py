"""The domain kernel every service's domain layer builds on: events, aggregates, errors.

Standard library only; no I/O. A domain module imports this and nothing else of `shared`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import ClassVar, TypeVar

from shared.personal.tokens import ERASED, PENDING


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """A business fact in the past tense. Subclasses are registered with `@event_type`."""

    event_type: ClassVar[str] = ""
    schema_version: ClassVar[int] = 1


E = TypeVar("E", bound=type[Event])

#: Every registered event class, by (wire name, schema version).
EVENT_CLASSES: dict[tuple[str, int], type[Event]] = {}


def event_type(name: str, version: int = 1) -> Callable[[E], E]:
    """Register an event class under its wire name (`<ctx>.<EventName>`) and schema version."""

    def register(cls: E) -> E:
        key = (name, version)
        existing = EVENT_CLASSES.get(key)
        if existing is not None and existing is not cls:
            raise TypeError(f"event type {name} v{version} is registered twice")
        cls.event_type = name
        cls.schema_version = version
        EVENT_CLASSES[key] = cls
        return cls

    return register


class DomainError(Exception):
    """A command the domain will not carry out. The message is shown to the user."""

    status: ClassVar[int] = 422
    title: ClassVar[str] = "命令被拒绝 (command refused)"


class Refused(DomainError):
    """A rule of the plan forbids the command in the aggregate's present state."""


class NotFound(DomainError):
    """The command names an entity that does not exist."""

    status = 404
    title = "未找到 (not found)"


class AlreadyExists(DomainError):
    """The command would create an entity that already exists."""

    status = 409
    title = "已存在 (already exists)"


class ConcurrencyConflict(DomainError):
    """Another writer changed the stream since it was read: reload and try again."""

    status = 409
    title = "并发冲突 (concurrent change)"


class Aggregate:
    """An event-sourced aggregate: decides, records events, and rebuilds itself from them.

    Subclasses implement `_apply(event)` to change state; commands call `_record(event)`.
    """

    #: False (an entity): the stream's first event creates it, so "as of" a day before that
    #: event it does not exist, even if a later event is dated earlier. True (a ledger of
    #: records that stand alone): it holds whatever records are dated by that day.
    LEDGER: ClassVar[bool] = False

    def __init__(self, stream_id: str) -> None:
        self.stream_id = stream_id
        self.version = 0
        self._pending: list[Event] = []

    @property
    def exists(self) -> bool:
        """True once the stream has at least one event."""
        return self.version > 0 or bool(self._pending)

    def _record(self, event: Event) -> None:
        self._apply(event)
        self._pending.append(event)

    def _apply(self, event: Event) -> None:
        raise NotImplementedError(f"{type(self).__name__} cannot apply {type(event).__name__}")

    def replay(self, events: list[Event]) -> None:
        """Rebuild state from stored events (no new events are recorded)."""
        for event in events:
            self._apply(event)
            self.version += 1

    def take_pending(self) -> list[Event]:
        """Hand over the events recorded since loading, for the store to append."""
        pending, self._pending = self._pending, []
        return pending


def check_version(aggregate: Aggregate, expected: int | None) -> None:
    """Optimistic concurrency on the caller's side: the caller read the aggregate at version
    `expected` (None: no check); if it has changed since, `ConcurrencyConflict` (409)."""
    if expected is not None and aggregate.version != expected:
        raise ConcurrencyConflict(
            f"{aggregate.stream_id} 已被修改：当前版本 {aggregate.version}，请求基于版本 {expected}"
            " (changed since read; reload and retry)"
        )


def utc(value: dt.datetime) -> dt.datetime:
    """Normalise a timestamp to UTC; naive values are taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


class InvalidResidentId(Refused):
    """A resident ID number (居民身份证号) that GB 11643-1999 does not accept."""


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A validated resident ID number (居民身份证号, GB 11643-1999): 18 characters, area code,
    birth date, sequence and a check character. `masked` is what views show by default."""

    value: str

    def __post_init__(self) -> None:
        value = self.value.strip().upper()
        object.__setattr__(self, "value", value)
        if len(value) != 18 or not value[:17].isdigit() or value[17] not in _ID_CHECK:
            raise InvalidResidentId(
                f"身份证号格式错误 (must be 17 digits and a check character): {mask_id(value)}"
            )
        total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
        if _ID_CHECK[total % 11] != value[17]:
            raise InvalidResidentId(f"身份证号校验位错误 (check character wrong): {mask_id(value)}")
        try:
            dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        except ValueError as exc:
            raise InvalidResidentId(
                f"身份证号出生日期无效 (birth date invalid): {mask_id(value)}"
            ) from exc

    @property
    def area_code(self) -> str:
        return self.value[:6]

    @property
    def birth_date(self) -> dt.date:
        return dt.date(int(self.value[6:10]), int(self.value[10:12]), int(self.value[12:14]))

    @property
    def masked(self) -> str:
        return mask_id(self.value)

    def __str__(self) -> str:
        return self.masked


#: Markers in place of personal data that masking leaves alone (`shared.personal.tokens`).
_SHOWN_AS_IS = frozenset({ERASED, PENDING})


def mask_id(value: str) -> str:
    """`430321********1234`: the area code and the last four characters only (an erased or
    not yet readable value is shown as it is)."""
    if value in _SHOWN_AS_IS:
        return value
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(name: str) -> str:
    """`张*` / `欧阳**`: the family name only."""
    if not name or name in _SHOWN_AS_IS:
        return name
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


def make_resident_id(first17: str) -> ResidentId:
    """Complete 17 digits with their check character (for generated demo data and tests)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return ResidentId(first17 + _ID_CHECK[total % 11])


# --- figures of the plan that more than one service counts ---------------------------------
# A write service decides them and the projection shows them: one definition here, so the two
# cannot drift (issue 10: the projection re-derived "a student" as "a record").


def student_key(village: str, student_name: str) -> tuple[str, str]:
    """Who counts as one poor student towards "帮助贫困生 10 名": a student is named within
    a village; helping the same student again does not add a student."""
    return (village.strip(), student_name.strip())


def medical_staff_key(name: str) -> str:
    """Who counts as one of the "10 名医务人员" of the free clinics: a person by name, across
    the town's clinics (one doctor at four clinics is one doctor)."""
    return name.strip()


def above_poverty_line(income_per_head: Decimal, line: Decimal) -> bool:
    """Whether a household's income per head clears the year's poverty line (贫困线) for an
    exit (脱贫): strictly above it (relief decides exits with it; the projection's 推演
    replays history with it under a changed line)."""
    return income_per_head > line


@dataclass(frozen=True, slots=True)
class BottomBand:
    """The bottom band of an assessment's ranking (软弱涣散, "按5%至10%的比例倒排"): how many
    the share asks for (`quota`), the most the band allows (`ceiling`), the branches designated
    (worst first), and — when a tie at the cut-off would pass the ceiling — the tied branches
    (then nothing may be designated until a re-score separates them)."""

    quota: int
    ceiling: int
    designated: tuple[str, ...]
    tied_over: tuple[str, ...] = ()


def bottom_band(
    scores: Mapping[str, Decimal], share: Decimal, ceiling_percent: Decimal = Decimal(10)
) -> BottomBand:
    """Party's rule for who is designated weak: quota = ⌈n·share/100⌉, never more than
    ⌊n·ceiling/100⌋ and never fewer than one; every branch tied with the last one within the
    quota too, unless that passes the ceiling (party refuses the conclusion then). The
    projection's 推演 applies the same rule under a changed band."""
    n = len(scores)
    ceiling = max(1, int(Decimal(n) * ceiling_percent // 100))
    wanted = int((Decimal(n) * share / 100).to_integral_value(rounding=ROUND_CEILING))
    quota = min(ceiling, max(1, wanted))
    cutoff = sorted(scores.values())[quota - 1]
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))  # best first
    bottom = tuple(b for b, s in reversed(ordered) if s <= cutoff)
    if len(bottom) > ceiling:
        tied = tuple(sorted(b for b, s in scores.items() if s == cutoff))
        return BottomBand(quota, ceiling, (), tied)
    return BottomBand(quota, ceiling, bottom)


#: A petition case's status once struck off (销号, supervision's `PetitionClosed`).
PETITION_CLOSED = "closed"


def petition_in_backlog(status: str | None) -> bool:
    """Whether a petition case is part of the backlog (积案) that measure 7 must clear (清零):
    every case until it is struck off (销号) — a case resolved (化解) but not yet struck off
    still counts, and a reopened case counts again."""
    return status != PETITION_CLOSED


# -- party's training targets (measure 8) -------------------------------------------------
# Party decides these; the projection's `party/training` counts with the same definitions.


def training_months_required(year: int, member_since: dt.date, as_of: dt.date) -> tuple[int, ...]:
    """The months of `year` in which a member had to attend a branch session (党员每月参加支部
    集中培训), as of a day: the months over by `as_of` (a month is over on its last day) in
    which the person was a member (the first month only when registered on its first day)."""
    if as_of.year < year or member_since.year > year:
        return ()
    last = 12
    if as_of.year == year:
        month_over = as_of.day == calendar.monthrange(year, as_of.month)[1]
        last = as_of.month if month_over else as_of.month - 1
    first = 1
    if member_since.year == year:
        first = member_since.month if member_since.day == 1 else member_since.month + 1
    return tuple(range(first, last + 1))


def degree_enrolment_counts(enrolled_on: dt.date | None, year: int, as_of: dt.date) -> bool:
    """Whether a member's enrolment in degree education (大专以上学历教育) counts towards the
    year's "选派 16 名": enrolled in that year, by `as_of` — a member who has since left the
    party still counts (the enrolment happened)."""
    return enrolled_on is not None and enrolled_on.year == year and enrolled_on <= as_of


def member_on(joined_on: dt.date, left_on: dt.date | None, day: dt.date) -> bool:
    """Whether a person was a party member of the register on `day`: registered by then and
    not left (出党) by then."""
    return joined_on <= day and (left_on is None or left_on > day)


# -- funds' programme payments and village finance disclosure (measures 6, 13) ---------------
# Funds decides these; the projection's `funds/programmes` and `funds/disclosures` count with
# the same definitions.


def payment_shortfall(
    amount: Decimal, entitled_amount: Decimal | None, standard_amount: Decimal | None
) -> Decimal:
    """How much one payment of a fund programme fell short of what was due (克扣,
    FUNDS-SHORT-PAID): the due is the voucher's own entitled amount, else the programme's
    standard amount (发放标准); 0 when paid in full or nothing was due."""
    due = entitled_amount if entitled_amount is not None else standard_amount
    return due - amount if due is not None and amount < due else Decimal(0)


#: The first quarter whose village finances must be disclosed (the plan dates from 2016).
DISCLOSURE_SINCE = "2016Q1"


def disclosure_due_on(year: int, quarter: int) -> dt.date:
    """The day a quarter's village finance disclosure (阳光村务) is due: the end of the month
    after the quarter (季度结束后次月底前公开)."""
    year, month = (year + 1, 1) if quarter == 4 else (year, 3 * quarter + 1)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def disclosure_quarters_due(as_of: dt.date, since: str = DISCLOSURE_SINCE) -> list[str]:
    """Every quarter (`2016Q1` …) from `since` whose disclosure was due before `as_of`."""
    year, quarter = int(since[:4]), int(since[-1])
    due: list[str] = []
    while disclosure_due_on(year, quarter) < as_of:
        due.append(f"{year}Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return due


def disclosure_quarters_overdue(
    disclosed: Collection[str], as_of: dt.date, since: str = DISCLOSURE_SINCE
) -> list[str]:
    """The quarters due before `as_of` that are not among those `disclosed` by `as_of`: a
    village with any is overdue (逾期未公开)."""
    return [q for q in disclosure_quarters_due(as_of, since) if q not in disclosed]
