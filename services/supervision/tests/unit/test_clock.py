"""The injected clock decides "today" (in Asia/Shanghai); "as of D" covering all of D is
`shared.clock`'s (tested there)."""

from __future__ import annotations

import datetime as dt

from supervision.entrypoints.routes.common import Supervision
from supervision.plan import load_plan

from shared.town import load_town


def wiring(now: dt.datetime) -> Supervision:
    return Supervision(
        store=None,  # type: ignore[arg-type]
        ledger=None,  # type: ignore[arg-type]
        plan=load_plan(),
        town=load_town(),
        town_code="430321100",
        clock=lambda: now,
    )


def test_today_is_the_day_in_yisuhe() -> None:
    late_evening_utc = dt.datetime(2016, 12, 31, 17, 0, tzinfo=dt.UTC)
    assert wiring(late_evening_utc).today() == dt.date(2017, 1, 1)
    morning_utc = dt.datetime(2016, 12, 31, 1, 0, tzinfo=dt.UTC)
    assert wiring(morning_utc).today() == dt.date(2016, 12, 31)


def test_an_unknown_village_is_refused() -> None:
    import pytest

    from shared.kernel import Refused

    svc = wiring(dt.datetime(2017, 1, 1, tzinfo=dt.UTC))
    assert svc.village("石壁村") == "石壁村"
    assert svc.village(None) is None
    with pytest.raises(Refused, match="未知村/社区"):
        svc.village("桃源村")
