"""The injected clock decides "today" (in Asia/Shanghai) for reads and for the pipeline's
business day; "as of D" covering all of D is `shared.clock`'s (tested there)."""

from __future__ import annotations

import datetime as dt

from supervision.application.handlers import Deps
from supervision.entrypoints.routes.common import Supervision
from supervision.plan import load_plan

from shared.pipeline import Pipeline
from shared.testing.memory import MemoryStore
from shared.town import load_town

LATE_EVENING_UTC = dt.datetime(2016, 12, 31, 17, 0, tzinfo=dt.UTC)
MORNING_UTC = dt.datetime(2016, 12, 31, 1, 0, tzinfo=dt.UTC)


def reads(now: dt.datetime) -> Supervision:
    return Supervision(ledger=None, plan=load_plan(), clock=lambda: now)  # type: ignore[arg-type]


def pipeline(now: dt.datetime) -> Pipeline[Deps]:
    return Pipeline(MemoryStore(), town=load_town(), deps=Deps(load_plan()), clock=lambda: now)


def test_today_is_the_day_in_yisuhe() -> None:
    assert reads(LATE_EVENING_UTC).today() == dt.date(2017, 1, 1)
    assert reads(MORNING_UTC).today() == dt.date(2016, 12, 31)
    assert reads(MORNING_UTC).as_of_day(dt.date(2016, 6, 1)) == dt.date(2016, 6, 1)


def test_the_business_day_of_a_command_is_the_day_in_yisuhe() -> None:
    assert pipeline(LATE_EVENING_UTC).day(None) == dt.date(2017, 1, 1)
    assert pipeline(MORNING_UTC).day(None) == dt.date(2016, 12, 31)
