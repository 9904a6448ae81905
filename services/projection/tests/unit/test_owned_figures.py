"""Figures that rest on a rule of the service that owns it (issue 10): given events, the view's
figure is the owner's. The views read an in-memory snapshot here: every stream folded by the
projection's rules, facts filtered by business time and village as the read models do."""

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from projection.domain.catalogue import RULES
from projection.domain.folds import Fact, fold
from projection.domain.timeframe import Window
from projection.views.collective import assets, zero_villages
from projection.views.common import Ask
from projection.views.overview import indicators
from projection.views.relief import activities
from projection.views.sites import sites

from shared.kernel import student_key

STUDENTS = "activity-430321100-students"


@dataclass(frozen=True)
class Logged:
    event_type: str
    stream_id: str
    version: int
    occurred_at: dt.datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class Row:
    """An entity as the views see it (stream, kind, village, status, state)."""

    stream_id: str
    kind: str
    village: str | None
    status: str | None
    state: dict[str, Any] = field(repr=False)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.state.get(key)
        return default if value is None else value


@dataclass(frozen=True)
class LoggedFact:
    event_type: str
    stream_id: str
    kind: str
    village: str | None
    occurred_at: dt.datetime
    payload: dict[str, Any]


class Memory:
    """The read side's three queries the views use, over events held in memory."""

    def __init__(self) -> None:
        self.events: list[Logged] = []

    def given(self, stream_id: str, event_type: str, on: dt.date, **payload: Any) -> None:
        version = 1 + sum(1 for e in self.events if e.stream_id == stream_id)
        at = dt.datetime.combine(on, dt.time(4), tzinfo=dt.UTC)  # noon in Shanghai
        self.events.append(Logged(event_type, stream_id, version, at, payload))

    def _folded(self, cutoff: dt.datetime | None) -> tuple[list[Row], list[LoggedFact]]:
        rows: dict[str, Row] = {}
        log: list[LoggedFact] = []
        for e in sorted(self.events, key=lambda e: (e.stream_id, e.version)):
            if cutoff is not None and e.occurred_at >= cutoff:
                continue
            fact = Fact(e.event_type, e.stream_id, e.version, e.occurred_at, "u", "r", e.payload)
            prev = rows.get(e.stream_id)
            new = fold(prev.state if prev else None, fact, RULES)
            rows[e.stream_id] = Row(e.stream_id, new.kind, new.village, new.status, new.state)
            village = e.payload.get("village") or new.village
            log.append(
                LoggedFact(e.event_type, e.stream_id, new.kind, village, e.occurred_at, e.payload)
            )
        return list(rows.values()), log

    async def entities(
        self, kinds: str | list[str], *, cutoff: dt.datetime | None, village: str | None = None
    ) -> list[Row]:
        wanted = [kinds] if isinstance(kinds, str) else kinds
        rows, _ = self._folded(cutoff)
        return [r for r in rows if r.kind in wanted and village in (None, r.village)]

    async def facts(
        self,
        types: list[str],
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[LoggedFact]:
        _, log = self._folded(cutoff)
        return sorted(
            (
                f
                for f in log
                if f.event_type in types
                and (start is None or f.occurred_at >= start)
                and village in (None, f.village)
            ),
            key=lambda f: f.occurred_at,
        )

    async def fact_streams(self, types: list[str], **kw: Any) -> list[tuple[str, str, Any, int]]:
        return [(f.event_type, f.stream_id, f.village, 1) for f in await self.facts(types, **kw)]


def ask(village: str | None = None, as_of: dt.date | None = None, period: str | None = None) -> Ask:
    return Ask(Window.build(as_of=as_of, period=period), village, dt.date(2017, 6, 30))


def view(builder: Any, snap: Memory, **kw: Any) -> Any:
    return asyncio.run(builder(snap, ask(**kw)))


def card(v: Any, label: str) -> str:
    return str(next(c.value for c in v.cards if c.label == label))


def rows(v: Any, name: str) -> list[dict[str, Any]]:
    return next(t.rows for t in v.tables if t.name == name)


def helped(snap: Memory, village: str, student: str, on: dt.date) -> None:
    snap.given(
        STUDENTS,
        "relief.StudentHelped",
        on,
        record_id=f"r{len(snap.events)}",
        village=village,
        student_name=student,
        school="易俗河镇中心校",
        support="学费资助",
        amount="500.00",
        people=[],
        helped_on=on.isoformat(),
    )


# -- 帮助贫困生: students, not help records ----------------------------------------------------


def test_a_student_helped_twice_counts_once_in_activities_and_the_overview() -> None:
    snap = Memory()
    helped(snap, "石壁村", "张小明", dt.date(2016, 5, 1))
    helped(snap, "石壁村", "张小明", dt.date(2016, 9, 1))  # the same student, helped again
    helped(snap, "石壁村", "李小红", dt.date(2016, 9, 2))
    helped(snap, "金霞村", "张小明", dt.date(2016, 9, 3))  # another village's student

    v = view(activities, snap)
    assert card(v, "帮助贫困生") == "3 / 10"
    by_village = {r["village"]: r["students"] for r in rows(v, "by_village")}
    assert by_village == {"石壁村": 2, "金霞村": 1}
    assert len(rows(v, "records")) == 4  # every help record is still listed

    measure_1 = dict((label, done) for label, done, _ in asyncio.run(indicators(snap, ask()))[1])
    assert measure_1["帮助贫困生"] == 3


def test_students_follow_as_of_period_and_village_as_relief_counts_them() -> None:
    snap = Memory()
    helped(snap, "石壁村", "张小明", dt.date(2016, 5, 1))
    helped(snap, "石壁村", " 张小明 ", dt.date(2017, 3, 1))  # blanks do not make a new student
    helped(snap, "石壁村", "李小红", dt.date(2017, 3, 2))

    assert card(view(activities, snap, as_of=dt.date(2016, 12, 31)), "帮助贫困生") == "1 / 10"
    assert card(view(activities, snap), "帮助贫困生") == "2 / 10"
    # in 2017 two students were helped (one of them first helped in 2016)
    assert card(view(activities, snap, period="2017"), "帮助贫困生") == "2 / 10"
    assert card(view(activities, snap, village="金霞村"), "帮助贫困生") == "0 / 10"
    assert student_key(" 石壁村", "张小明 ") == student_key("石壁村", "张小明")


# -- 社区服务场所: a site's status is a site's ---------------------------------------------------


def test_a_site_not_yet_certified_is_not_labelled_as_a_poor_household() -> None:
    snap = Memory()
    for site, name in (("site-a", "湘潭大道社区服务中心"), ("site-b", "金霞社区服务中心")):
        snap.given(
            site,
            "relief.CommunityServiceSiteRegistered",
            dt.date(2016, 4, 1),
            site_id=site,
            community="金霞社区" if site == "site-b" else "湘潭大道社区",
            name=name,
            area_m2="650",
        )
    snap.given("site-b", "relief.CommunityServiceSiteCertifiedCompliant", dt.date(2016, 10, 1))
    snap.given("household-h1", "relief.HouseholdRegistered", dt.date(2016, 3, 1), village="石壁村")

    labels = {r["site_name"]: r["status"] for r in rows(view(sites, snap), "sites")}
    assert labels == {"湘潭大道社区服务中心": "未达标", "金霞社区服务中心": "已达标"}
    before = {
        r["site_name"]: r["status"]
        for r in rows(view(sites, snap, as_of=dt.date(2016, 9, 30)), "sites")
    }
    assert set(before.values()) == {"未达标"}


# -- 三资: one row per village, proceeds booked on it -----------------------------------------


def _ledger(snap: Memory, village: str, code: str, on: dt.date) -> None:
    snap.given(
        f"assets-{code}",
        "funds.CollectiveAssetRegistered",
        on,
        village=village,
        asset_id=f"{code}-a1",
        asset_code="ZC-001",
        category="asset",
        name="村部旧仓库",
        description="",
        value="80000.00",
        government_funded=False,
        registered_on=on.isoformat(),
    )


def test_a_village_with_a_disposal_is_one_ledger_row_with_its_proceeds_booked() -> None:
    snap = Memory()
    villages = (("石壁村", "430321100201"), ("金霞村", "430321100202"), ("杨柳村", "430321100203"))
    for village, code in villages:
        _ledger(snap, village, code, dt.date(2016, 3, 1))
    # 石壁村 sells its warehouse; funds books the proceeds on its collective economy stream,
    # which had no event before (a village without an income record yet)
    snap.given(
        "assets-430321100201",
        "funds.CollectiveAssetDisposed",
        dt.date(2016, 8, 1),
        village="石壁村",
        asset_id="430321100201-a1",
        asset_code="ZC-001",
        method="sale",
        counterparty="某公司",
        proceeds="120000.00",
        vote={"votes_for": 20, "present": 25, "representatives": 30},
        filing={"reference": "易财备〔2016〕8号"},
        disposed_on="2016-08-01",
    )
    snap.given(
        "collective-430321100201",
        "funds.DisposalProceedsBooked",
        dt.date(2016, 8, 1),
        village="石壁村",
        asset_id="430321100201-a1",
        amount="120000.00",
        booked_on="2016-08-01",
    )
    # 金霞村 has an income record first, then proceeds booked
    snap.given(
        "collective-430321100202",
        "funds.CollectiveIncomeRecorded",
        dt.date(2016, 6, 1),
        village="金霞村",
        income_id="i1",
        year=2016,
        amount="30000.00",
        source="rent",
        note="",
        recorded_on="2016-06-01",
    )

    v = view(assets, snap)
    assert card(v, "建账村") == "3"
    ledger = {r["village"]: r for r in rows(v, "ledgers")}
    assert sorted(ledger) == ["杨柳村", "石壁村", "金霞村"]
    assert (ledger["石壁村"]["disposals"], ledger["石壁村"]["booked"]) == (1, "120000.00")
    assert ledger["金霞村"]["booked"] == "0"
    assert [d["booked"] for d in rows(v, "disposals")] == ["是"]
    before_sale = {
        r["village"]: r for r in rows(view(assets, snap, as_of=dt.date(2016, 7, 31)), "ledgers")
    }
    assert (before_sale["石壁村"]["disposals"], before_sale["石壁村"]["booked"]) == (0, "0")

    economies = {r["village"] for r in rows(view(zero_villages, snap), "villages")}
    assert economies == {"金霞村"}  # booked proceeds are not collective income
