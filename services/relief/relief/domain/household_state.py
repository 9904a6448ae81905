"""A household's state as rebuilt from its events (the `_apply` half of the aggregate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from relief.domain.events import (
    GuaranteesChecked,
    Helper,
    HouseholdExitedPoverty,
    HouseholdIncomeAssessed,
    HouseholdPaired,
    HouseholdRecordCorrected,
    HouseholdRegistered,
    HouseholdRepaired,
    HouseholdReturnedToPoverty,
    HouseholdVisited,
    MemberRecord,
    ReliefMeasureCompleted,
    ReliefMeasurePlanned,
)
from relief.domain.values import Guarantees, HouseholdStatus
from shared.kernel import Aggregate, Event


@dataclass(slots=True)
class Measure:
    """A measure of the five projects for one household: planned, then done."""

    measure_id: str
    project: str
    description: str
    planned_on: dt.date
    completed_on: dt.date | None = None
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class Visit:
    """One visit (走访) by the household's helper."""

    visit_id: str
    visitor: str
    notes: str
    visited_on: dt.date


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A step of the household's history: registered, exited, returned."""

    status: HouseholdStatus
    on: dt.date
    note: str = ""


class HouseholdState(Aggregate):
    """What a household's events say about it now."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.household_id = ""
        self.village = ""
        self.village_code = ""
        self.head_name = ""
        self.head_id_number = ""
        self.members: list[MemberRecord] = []
        self.causes: list[str] = []
        self.registered_on: dt.date | None = None
        self.incomes: dict[int, Decimal] = {}
        self.guarantees: Guarantees | None = None
        self.guarantees_checked_on: dt.date | None = None
        self.status = HouseholdStatus.REGISTERED
        self.history: list[StatusChange] = []
        self.exited_on: dt.date | None = None
        self.helper: Helper | None = None
        self.paired_on: dt.date | None = None
        self.former_helpers: list[tuple[Helper, str, dt.date]] = []
        self.visits: dict[str, Visit] = {}
        self.measures: dict[str, Measure] = {}

    @property
    def status_since(self) -> dt.date | None:
        return self.history[-1].on if self.history else None

    @property
    def income_per_head(self) -> Decimal | None:
        """The income of the latest year on record."""
        return self.incomes[max(self.incomes)] if self.incomes else None

    def _apply(self, event: Event) -> None:
        match event:
            case HouseholdRegistered():
                self.household_id, self.village = event.household_id, event.village
                self.village_code, self.head_name = event.village_code, event.head_name
                self.head_id_number, self.members = event.head_id_number, list(event.members)
                self.causes, self.registered_on = list(event.causes), event.registered_on
                self.incomes[event.registered_on.year] = event.income_per_head
                self.history.append(StatusChange(HouseholdStatus.REGISTERED, event.registered_on))
            case HouseholdRecordCorrected():
                self.head_name, self.members = event.head_name, list(event.members)
                self.causes = list(event.causes)
            case HouseholdIncomeAssessed():
                self.incomes[event.year] = event.income_per_head
            case GuaranteesChecked():
                self.guarantees = Guarantees(
                    event.food, event.clothing, event.education, event.medical, event.housing
                )
                self.guarantees_checked_on = event.checked_on
            case HouseholdExitedPoverty():
                self.status, self.exited_on = HouseholdStatus.EXITED, event.exited_on
                self.history.append(StatusChange(HouseholdStatus.EXITED, event.exited_on))
            case HouseholdReturnedToPoverty():
                self.status = HouseholdStatus.RETURNED
                if event.income_per_head is not None:
                    self.incomes[event.returned_on.year] = event.income_per_head
                self.history.append(
                    StatusChange(HouseholdStatus.RETURNED, event.returned_on, event.reason)
                )
            case HouseholdPaired():
                self.helper, self.paired_on = event.helper, event.paired_on
            case HouseholdRepaired():
                self.former_helpers.append((event.previous, event.reason, event.repaired_on))
                self.helper, self.paired_on = event.helper, event.repaired_on
            case HouseholdVisited():
                self.visits[event.visit_id] = Visit(
                    event.visit_id, event.visitor, event.notes, event.visited_on
                )
            case ReliefMeasurePlanned():
                self.measures[event.measure_id] = Measure(
                    event.measure_id, event.project, event.description, event.planned_on
                )
            case ReliefMeasureCompleted():
                measure = self.measures[event.measure_id]
                measure.completed_on, measure.outcome = event.completed_on, event.outcome
