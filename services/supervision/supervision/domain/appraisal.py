"""The facts of the yearly appraisal (年度绩效考核的事实依据, 保障措施 3 and measure 12 (3)) as
supervision counts them: per lead unit (牵头单位) and per village (whose branch secretary is
appraised), from the measures, list items, directives and petitions it keeps. party grades
them; supervision only counts.

What belongs to a year: an entity recorded by the day counted (`as_of`: the year's end, or
today if earlier), and either recorded in that year or carried into it unfinished (not struck
off / completed before the year began).

- measures: the registered measures a unit leads; done when every item under it is closed
  (销号). Villages lead no measure.
- items: under the unit (`lead_unit`) or in the village; overdue = open past its deadline on
  `as_of` (not rectified in time).
- directives: assigned to the unit; on time = result reported back by the due date.
- petitions: measure 7's, counted for its lead unit and for the petitioners' village;
  resolved = resolved or struck off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from shared.kernel import Aggregate, Event, Refused

from .directives import Directive
from .events import AppraisalFactsRecorded, UnitFacts
from .items import CLOSED, ListItem
from .measures import Measure
from .petitions import CLOSED as PETITION_CLOSED
from .petitions import RESOLVED, Petition
from .plan import Plan

UNIT, VILLAGE = "unit", "village"
#: The measure petitions belong to (矛盾纠纷排查化解).
PETITION_MEASURE = 7


def appraisal_stream(year: int) -> str:
    """`unitfacts-<year>`."""
    return f"unitfacts-{year}"


def counted_as_of(year: int, today: dt.date) -> dt.date:
    """The day a year's facts are counted on: its last day, or today if that is earlier."""
    if year > today.year:
        raise Refused(f"{year} 年度尚未开始，不能统计考核事实 (the year has not begun)")
    return min(dt.date(year, 12, 31), today)


@dataclass(slots=True)
class _Tally:
    measures_total: int = 0
    measures_done: int = 0
    items_total: int = 0
    items_overdue: int = 0
    directives_total: int = 0
    directives_on_time: int = 0
    petitions_total: int = 0
    petitions_resolved: int = 0
    seen: bool = field(default=False)

    def facts(self, unit: str, kind: str) -> UnitFacts:
        return UnitFacts(
            unit=unit,
            kind=kind,
            measures_total=self.measures_total,
            measures_done=self.measures_done,
            items_total=self.items_total,
            items_overdue=self.items_overdue,
            directives_total=self.directives_total,
            directives_on_time=self.directives_on_time,
            petitions_total=self.petitions_total,
            petitions_resolved=self.petitions_resolved,
        )


def _of_year(year: int, recorded_on: dt.date, finished_on: dt.date | None) -> bool:
    """Recorded in `year`, or carried into it unfinished."""
    start = dt.date(year, 1, 1)
    return recorded_on >= start or finished_on is None or finished_on >= start


def count_facts(
    *,
    year: int,
    as_of: dt.date,
    plan: Plan,
    villages: Sequence[str],
    measures: Iterable[Measure],
    items: Iterable[ListItem],
    directives: Iterable[Directive],
    petitions: Iterable[Petition],
) -> tuple[UnitFacts, ...]:
    """The facts of every lead unit (the plan's order, then others by name) and of every
    village (the town's order), as the entities stood on `as_of` (they are given as of then)."""
    units: dict[str, _Tally] = {}
    towns: dict[str, _Tally] = {v: _Tally() for v in villages}

    def unit(name: str) -> _Tally:
        return units.setdefault(name, _Tally())

    all_items = [i for i in items if i.listed is not None]
    closed_by_measure: dict[int, list[bool]] = {}
    for item in all_items:
        assert item.listed is not None
        closed_by_measure.setdefault(item.listed.measure, []).append(item.status == CLOSED)
        if not _of_year(year, item.listed.listed_on, item.closed_on):
            continue
        late = item.overdue(as_of)
        for tally in (unit(item.listed.lead_unit), towns.get(item.listed.village or "")):
            if tally is not None:
                tally.items_total += 1
                tally.items_overdue += late

    for measure in measures:
        event = measure.registered
        if event is None:
            continue
        closed = closed_by_measure.get(event.number, [])
        done = bool(closed) and all(closed)  # nothing listed under a measure is not done
        for name in event.lead_units:
            unit(name).measures_total += 1
            unit(name).measures_done += done

    for directive in directives:
        assigned, received = directive.assigned, directive.received
        if assigned is None or received is None:
            continue  # not yet assigned to a unit
        if not _of_year(year, received.received_on, directive.completed_on):
            continue
        tally = unit(assigned.lead_unit)
        tally.directives_total += 1
        tally.directives_on_time += directive.on_time

    petition_units = plan.measure(PETITION_MEASURE).lead_units
    for petition in petitions:
        received_petition = petition.received
        if received_petition is None:
            continue
        if not _of_year(year, received_petition.received_on, petition.closed_on):
            continue
        resolved = petition.status in (RESOLVED, PETITION_CLOSED)
        tallies = [unit(name) for name in petition_units]
        village = towns.get(received_petition.village or "")
        for tally in (*tallies, village):
            if tally is not None:
                tally.petitions_total += 1
                tally.petitions_resolved += resolved

    order = {name: n for n, name in enumerate(plan.units)}
    ranked = sorted(units, key=lambda name: (order.get(name, len(order)), name))
    return (
        *(units[name].facts(name, UNIT) for name in ranked),
        *(tally.facts(name, VILLAGE) for name, tally in towns.items()),
    )


class AppraisalFacts(Aggregate):
    """A year's appraisal facts, every record of them (the latest supersedes)."""

    KIND = "年度考核事实"

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.records: list[AppraisalFactsRecorded] = []

    @property
    def latest(self) -> AppraisalFactsRecorded | None:
        return self.records[-1] if self.records else None

    def record(self, year: int, as_of: dt.date, units: tuple[UnitFacts, ...]) -> None:
        """Record the year's facts as counted on `as_of` (again: a later count supersedes)."""
        latest = self.latest
        if latest is not None and as_of < latest.as_of:
            raise Refused(
                f"已有截至 {latest.as_of} 的 {year} 年度考核事实，不能以更早的 {as_of} 取代 "
                "(a record cannot be superseded by an earlier count)"
            )
        self._record(AppraisalFactsRecorded(year=year, as_of=as_of, units=units))

    def _apply(self, event: Event) -> None:
        if isinstance(event, AppraisalFactsRecorded):
            self.records.append(event)
        else:
            super()._apply(event)
