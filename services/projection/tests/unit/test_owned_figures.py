"""Figures that rest on a rule of the service that owns it (issue 10): given events, the view's
figure is the owner's. The views read an in-memory snapshot here: every stream folded by the
projection's rules, facts filtered by business time and village as the read models do."""

import asyncio
import datetime as dt
from typing import Any

from projection.adapters.reference import ReferenceSnapshot
from projection.domain.catalogue import status_label
from projection.domain.timeframe import Window
from projection.synthetic import EnvelopeFactory
from projection.views.casework import directives
from projection.views.collective import assets, zero_villages
from projection.views.common import Ask
from projection.views.overview import indicators
from projection.views.relief import activities, households
from projection.views.sites import sites
from projection.views.supervision import petitions

from shared.envelope import Envelope
from shared.kernel import student_key

STUDENTS = "activity-430321100-students"


class Memory(ReferenceSnapshot):
    """The read side over events held in memory: the brute-force reference reader (every
    stream folded by the projection's rules at each question), fed one event at a time."""

    def __init__(self) -> None:
        super().__init__([])
        self.factory = EnvelopeFactory()

    @property
    def events(self) -> list[Envelope]:
        return self.envelopes

    def given(self, stream_id: str, event_type: str, on: dt.date, **payload: Any) -> None:
        self.envelopes.append(self.factory.event(stream_id, event_type, payload, on=on))
        self._folded = None  # the next question folds again


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


def test_an_agency_ledger_is_counted_by_village_and_relief_s_statuses() -> None:
    snap = Memory()
    steps = {
        "a1": ("石壁村", ["relief.AgencyRequestHandled", "relief.AgencyRequestSignedOff"]),
        "a2": ("石壁村", ["relief.AgencyRequestHandled"]),
        "a3": ("石壁村", []),
        "a4": ("金霞村", []),
    }
    for item, (village, then) in steps.items():
        snap.given(
            f"agency-{item}",
            "relief.AgencyRequestReceived",
            dt.date(2016, 4, 1),
            item_id=item,
            village=village,
        )
        for event_type in then:
            snap.given(f"agency-{item}", event_type, dt.date(2016, 4, 5))

    ledger = {r["village"]: r for r in rows(view(sites, snap), "agency")}
    assert {v: (r["received"], r["handled"], r["signed_off"]) for v, r in ledger.items()} == {
        "石壁村": (1, 1, 1),
        "金霞村": (1, 0, 0),
    }
    assert card(view(sites, snap), "代办事项") == "4"
    before = rows(view(sites, snap, as_of=dt.date(2016, 4, 2)), "agency")
    assert [(r["village"], r["received"]) for r in before] == [("石壁村", 3), ("金霞村", 1)]


# -- 在档贫困户: relief's status, apart from 返贫 ------------------------------------------------


def test_a_household_back_in_poverty_is_returned_not_registered() -> None:
    snap = Memory()
    for home in ("h1", "h2", "h3"):
        snap.given(
            f"household-{home}",
            "relief.HouseholdRegistered",
            dt.date(2016, 3, 1),
            household_id=home,
            village="金霞村",
        )
    snap.given("household-h2", "relief.HouseholdExitedPoverty", dt.date(2016, 11, 20))
    snap.given("household-h3", "relief.HouseholdExitedPoverty", dt.date(2016, 11, 20))
    snap.given("household-h3", "relief.HouseholdReturnedToPoverty", dt.date(2016, 12, 10))

    row = rows(view(households, snap), "villages")[0]
    assert (row["registered"], row["poor"], row["exited"], row["returned"]) == (3, 1, 1, 1)
    by_village = next(c for c in view(households, snap).charts if c.name == "by_village")
    assert {s.name: s.data for s in by_village.series} == {
        "在档贫困户": [1],
        "返贫": [1],
        "已脱贫": [1],
    }


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


# -- 积案: supervision's rule, until struck off ------------------------------------------------


def _petition(snap: Memory, pid: str, *steps: tuple[str, dt.date]) -> None:
    snap.given(
        pid,
        "supervision.PetitionReceived",
        dt.date(2016, 3, 1),
        petition_id=pid,
        channel="来访",
        petitioner_name="王某某",
        petitioner_count=1,
        village="金霞村",
        subject="集资款未退",
        received_on="2016-03-01",
        repeat_of=None,
    )
    for event_type, on in steps:
        snap.given(pid, event_type, on, petition_id=pid)


def test_a_resolved_petition_stays_in_the_backlog_until_struck_off() -> None:
    snap = Memory()
    _petition(
        snap,
        "petition-a",
        ("supervision.PetitionResolved", dt.date(2016, 9, 30)),
        ("supervision.PetitionClosed", dt.date(2016, 10, 15)),
    )
    _petition(snap, "petition-b")

    def backlog(day: dt.date) -> str:
        return card(view(petitions, snap, as_of=day), "积案（未销号）")

    assert backlog(dt.date(2016, 10, 10)) == "2"  # resolved, not yet struck off (销号)
    assert backlog(dt.date(2016, 10, 31)) == "1"


def test_an_assignment_without_a_due_date_keeps_the_directive_s_own() -> None:
    snap = Memory()
    snap.given(
        "directive-d",
        "supervision.DirectiveReceived",
        dt.date(2016, 5, 1),
        directive_id="d",
        kind="交办事项",
        level="市",
        issued_by="市长",
        reference="",
        subject="城乡环境综合整治",
        received_on="2016-05-01",
        due_on="2016-08-31",
    )
    snap.given(
        "directive-d",
        "supervision.DirectiveAssigned",
        dt.date(2016, 5, 3),
        directive_id="d",
        lead_post="分管城建的负责人",
        lead_unit="城建办",
        assigned_on="2016-05-03",
        due_on=None,
    )

    assert card(view(directives, snap, as_of=dt.date(2016, 9, 30)), "逾期未办结") == "1"
    assert card(view(directives, snap, as_of=dt.date(2016, 8, 31)), "逾期未办结") == "0"


def test_statuses_once_shown_in_english_have_zh_cn_labels() -> None:
    assert status_label("collective", "zero_reported") == "申报无收入"
    assert status_label("member", "left") == "已出党"
