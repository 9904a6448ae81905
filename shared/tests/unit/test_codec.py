"""Events are encoded to JSON payloads and decoded back; old versions are upcast."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from shared.codec import UnknownEventType, decode, encode, payload_schema, upcaster
from shared.kernel import Event, event_type


@event_type("codectest.IncomeAssessed", version=1)
@dataclass(frozen=True, kw_only=True, slots=True)
class IncomeAssessedV1(Event):
    """Old shape: income only."""

    household_id: str
    income: Decimal


@event_type("codectest.IncomeAssessed", version=2)
@dataclass(frozen=True, kw_only=True, slots=True)
class IncomeAssessed(Event):
    """New shape: income per head and the year it applies to."""

    household_id: str
    income_per_head: Decimal
    year: int
    assessed_on: dt.date


@upcaster("codectest.IncomeAssessed", from_version=1)
def _v1_to_v2(payload: dict[str, object]) -> dict[str, object]:
    return {
        "household_id": payload["household_id"],
        "income_per_head": payload["income"],
        "year": 2016,
        "assessed_on": "2016-12-31",
    }


def test_decimal_and_date_survive_the_round_trip() -> None:
    event = IncomeAssessed(
        household_id="h1",
        income_per_head=Decimal("3200.50"),
        year=2017,
        assessed_on=dt.date(2017, 3, 1),
    )
    payload = encode(event)
    assert payload["income_per_head"] == "3200.50"
    assert decode("codectest.IncomeAssessed", 2, payload) == event


def test_an_old_version_reads_as_the_new_one() -> None:
    old = encode(IncomeAssessedV1(household_id="h1", income=Decimal("2800")))
    event = decode("codectest.IncomeAssessed", 1, old)
    assert event == IncomeAssessed(
        household_id="h1",
        income_per_head=Decimal("2800"),
        year=2016,
        assessed_on=dt.date(2016, 12, 31),
    )


def test_an_unknown_type_is_refused_by_name() -> None:
    with pytest.raises(UnknownEventType, match=r"codectest\.Nope"):
        decode("codectest.Nope", 1, {})


def test_the_payload_schema_lists_the_fields() -> None:
    schema = payload_schema(IncomeAssessed)
    assert set(schema["required"]) == {"household_id", "income_per_head", "year", "assessed_on"}
