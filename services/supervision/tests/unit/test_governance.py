"""Village governance through the shared pipeline on the memory store: the lists of small
powers (小微权力清单) and the check of funds' acts against them, the village affairs
supervision committees (村务监督委员会), the appraisal's facts (年度考核事实) and the
为官不为 clue an appraisal's referral opens. Given events, when a command, then the events
stored — or the refusal, with nothing stored."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from supervision.application import commands as c
from supervision.application import governance as g
from supervision.application.handlers import Deps
from supervision.domain.appraisal import UNIT, VILLAGE, appraisal_stream
from supervision.domain.clues import appraisal_clue_id
from supervision.domain.committee import committee_stream, finding_item_id
from supervision.domain.events import (
    AppraisalFactsRecorded,
    ClueReceived,
    CommitteeFindingRecorded,
    CommitteeMemberAppointed,
    CommitteeMemberLeft,
    CommitteeReportMade,
    CommitteeReportOverdue,
    DirectiveAssigned,
    DirectiveReceived,
    DirectiveReportedBack,
    ItemClosed,
    ItemListed,
    ItemRectified,
    ItemWorkStarted,
    MeasureRegistered,
    PetitionReceived,
    PetitionResolved,
    PowerFlowBreached,
    PowerListPublished,
)
from supervision.domain.powers import breach_item_id, missing_steps
from supervision.entrypoints.reactions import MalformedEvent, Reactions
from supervision.plan import load_plan
from supervision.powers import load_default_powers

from shared.clock import as_of_instant
from shared.codec import decode
from shared.envelope import Actor
from shared.eventstore import CommandContext
from shared.kernel import Aggregate, AlreadyExists, Event, NotFound, Refused
from shared.pipeline import OutOfScope, Pipeline, Scope, Work
from shared.testing import foreign_envelope
from shared.testing.memory import MemoryStore
from shared.town import load_town

D = dt.date
#: "Today" is 10 March 2017 in Yisuhe.
NOW = dt.datetime(2017, 3, 10, 4, 0, tzinfo=dt.UTC)
PLAN = load_plan()
TOWN = load_town()
SHIBI = TOWN.known_village("石壁村")
JINXIA = TOWN.known_village("金霞村")
DEFAULT = load_default_powers()
G = TypeVar("G", bound=Aggregate)


@dataclass
class MemoryLedger:
    """`AggregateReader.load_all` over the memory store: every aggregate of a prefix as its
    events dated by `as_of` say (an entity whose first event came later did not exist)."""

    store: MemoryStore

    async def load_all(
        self, cls: type[G], prefix: str = "", *, as_of: Any = None, conn: Any = None
    ) -> list[G]:
        cut = as_of_instant(as_of)
        found = []
        for stream_id, envelopes in sorted(self.store.streams.items()):
            if not stream_id.startswith(prefix):
                continue
            dated = [e for e in envelopes if cut is None or e.occurred_at <= cut]
            if not dated or (dated[0].stream_version != 1 and not cls.LEDGER):
                continue
            aggregate = cls(stream_id)
            aggregate.replay([decode(e.event_type, e.schema_version, e.payload) for e in dated])
            found.append(aggregate)
        return found


def ctx(day: D | None = None, role: str = "organisation_member") -> CommandContext:
    return CommandContext(
        actor=Actor("u-test", role),
        town=TOWN.code,
        correlation_id=uuid.uuid4(),
        occurred_at=dt.datetime.combine(day, dt.time(4), tzinfo=dt.UTC) if day else None,
    )


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def pipeline(store: MemoryStore) -> Pipeline[Deps]:
    deps = Deps(PLAN, ledger=MemoryLedger(store))
    return Pipeline(store, town=TOWN, deps=deps, clock=lambda: NOW, name="supervision")


def given(store: MemoryStore, stream_id: str, day: D, *events: Event) -> None:
    store.given(stream_id, *events, ctx=ctx(day))


def types(store: MemoryStore, stream_id: str) -> list[type[Event]]:
    return [type(e) for e in store.events(stream_id)]


# --- 小微权力清单 ---------------------------------------------------------------------------------

POWERS_SHIBI_2017 = f"powers-{SHIBI.code}-2017"
STRICT_FINANCE = [
    {
        "code": "finance",
        "name": "财务收支",
        "steps": [
            {"name": "handled", "actor": "经办人"},
            {"name": "reviewed_by_committee", "actor": "村务监督委员会"},
            {"name": "approved", "actor": "村党组织书记"},
            {"name": "filed", "actor": "报镇财政所备案"},
            {"name": "booked", "actor": "代理会计", "disclosed": True},
        ],
    }
]


def test_the_reference_list_names_the_six_powers_with_their_flows() -> None:
    assert [(i.code, i.name) for i in DEFAULT] == [
        ("major_decision", "重大事项决策"),
        ("finance", "财务收支"),
        ("works", "工程项目"),
        ("asset_disposal", "资产资源处置"),
        ("assistance", "低保和救助对象评定"),
        ("homestead", "宅基地"),
    ]
    works = next(i for i in DEFAULT if i.code == "works")
    # the steps of 四议两公开; the result's disclosure follows the act, so is not required of it
    assert missing_steps(works, ()) == (
        "proposed",
        "consulted",
        "reviewed",
        "resolved",
        "resolution_disclosed",
    )
    assert all(s.actor for i in DEFAULT for s in i.steps)


async def test_a_village_publishes_the_reference_list_then_its_own_as_version_two(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    first = c.PublishPowerList(village="石壁村", year=2017, occurred_on=D(2017, 1, 5))
    written = await pipeline.run(g.publish_power_list, first, ctx())
    assert (written.id, written.stream_id, written.version) == (
        f"{SHIBI.code}-2017",
        POWERS_SHIBI_2017,
        1,
    )
    own = c.PublishPowerList(
        village=SHIBI.code, year=2017, items=STRICT_FINANCE, occurred_on=D(2017, 2, 1)
    )
    await pipeline.run(g.publish_power_list, own, ctx())
    v1, v2 = store.events(POWERS_SHIBI_2017)
    assert isinstance(v1, PowerListPublished) and isinstance(v2, PowerListPublished)
    assert (v1.village, v1.version, v1.published_on) == ("石壁村", 1, D(2017, 1, 5))
    assert v1.items == DEFAULT
    assert (v2.village_code, v2.year, v2.version) == (SHIBI.code, 2017, 2)
    (finance,) = v2.items
    assert [s.name for s in finance.steps][-2:] == ["filed", "booked"]
    assert finance.steps[-1].disclosed and not finance.steps[0].disclosed


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "不能为空"),
        ([{**STRICT_FINANCE[0], "steps": [{"name": "signed", "actor": "x"}]}], "signed"),
        ([STRICT_FINANCE[0], STRICT_FINANCE[0]], "重复"),
        (
            [{**STRICT_FINANCE[0], "steps": [{"name": "booked", "actor": "a"}] * 2}],
            "重复",
        ),
    ],
)
async def test_a_malformed_list_is_refused_and_nothing_stored(
    pipeline: Pipeline[Deps], store: MemoryStore, items: list[dict[str, Any]], message: str
) -> None:
    cmd = c.PublishPowerList(village="石壁村", year=2017, items=items)
    with pytest.raises(Refused, match=message):
        await pipeline.run(g.publish_power_list, cmd, ctx())
    assert store.streams == {}


async def test_republishing_the_list_in_force_unchanged_or_for_a_far_year_is_refused(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    cmd = c.PublishPowerList(village="石壁村", year=2017, occurred_on=D(2017, 1, 5))
    await pipeline.run(g.publish_power_list, cmd, ctx())
    with pytest.raises(Refused, match="现行第 1 版相同"):
        await pipeline.run(g.publish_power_list, cmd, ctx())
    with pytest.raises(Refused, match="过早"):
        await pipeline.run(
            g.publish_power_list, c.PublishPowerList(village="石壁村", year=2019), ctx()
        )
    with pytest.raises(Refused, match="未知"):
        await pipeline.run(
            g.publish_power_list, c.PublishPowerList(village="不存在村", year=2017), ctx()
        )
    assert len(store.events(POWERS_SHIBI_2017)) == 1


async def test_a_branch_secretary_publishes_only_the_own_villages_list(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    with pytest.raises(OutOfScope):
        await pipeline.run(
            g.publish_power_list,
            c.PublishPowerList(village="金霞村", year=2017),
            ctx(),
            Scope("石壁村"),
        )
    assert store.streams == {}


def act(event_type: str = "funds.VillageBookEntryRecorded", **payload: Any) -> Any:
    fields: dict[str, Any] = {
        "entry_id": "e-1",
        "village": "石壁村",
        "village_code": SHIBI.code,
        "month": "2017-03",
        "kind": "expense",
        "amount": "1200.00",
        "subject": "村部维修",
        "power_item": "finance",
        "steps": ["handled", "approved", "booked"],
        "recorded_on": "2017-03-02",
    }
    fields.update(payload)
    return foreign_envelope(event_type, f"books-{SHIBI.code}-2017", fields)


async def test_an_act_skipping_a_step_is_a_breach_and_one_problem_item_once(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    react = Reactions(pipeline)
    expense = act()
    for _ in range(3):  # delivered, redelivered, replayed
        await react(None, expense)  # type: ignore[arg-type]
    breach = f"breach-{expense.event_id}"
    (found,) = store.events(breach)
    assert isinstance(found, PowerFlowBreached)
    item_id = breach_item_id(str(expense.event_id))
    assert (found.act_type, found.village, found.power_item) == (
        "funds.VillageBookEntryRecorded",
        "石壁村",
        "finance",
    )
    assert (found.missing_steps, found.item_id, found.found_on) == (
        ("reviewed_by_committee",),
        item_id,
        D(2017, 3, 2),
    )
    (listed,) = store.events(f"item-{item_id}")
    assert isinstance(listed, ItemListed)
    assert (listed.list_name, listed.source, listed.measure, listed.village) == (
        "问题清单",
        "自己找",
        6,
        "石壁村",
    )
    assert (listed.lead_post, listed.lead_unit, listed.deadline) == (
        "组织委员",
        "党建工作站",
        D(2017, 4, 1),
    )
    assert listed.title == "小微权力运行缺少步骤：财务收支（村务监督委员会审核）"
    (env,) = store.streams[breach]
    assert env.causation_id == expense.event_id and env.actor.role == "system"
    assert len([s for s in store.streams if s.startswith("item-")]) == 1


async def test_an_act_that_followed_its_flow_or_exercises_no_power_is_no_breach(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    react = Reactions(pipeline)
    followed = act(steps=["handled", "reviewed_by_committee", "approved", "booked"])
    income = act(kind="income", power_item=None, steps=["booked"])
    started = act(
        "funds.CollectiveProjectStarted",
        project_id="p-1",
        power_item="works",
        steps=["proposed", "consulted", "reviewed", "resolved", "resolution_disclosed"],
        started_on="2017-03-01",
    )
    v1_disposal = foreign_envelope(
        "funds.CollectiveAssetDisposed",
        "asset-a",
        {"village": "石壁村", "disposed_on": "2016-05-01"},
    )
    unknown_item = act(power_item="fishing_rights")
    for env in (followed, income, started, v1_disposal, unknown_item):
        await react(None, env)  # type: ignore[arg-type]
    assert store.streams == {}


async def test_the_villages_list_in_force_for_the_acts_year_decides(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    await pipeline.run(
        g.publish_power_list,
        c.PublishPowerList(
            village="石壁村", year=2017, items=STRICT_FINANCE, occurred_on=D(2017, 1, 5)
        ),
        ctx(),
    )
    react = Reactions(pipeline)
    this_year = act(steps=["handled", "reviewed_by_committee", "approved", "booked"])
    last_year = act(
        steps=["handled", "reviewed_by_committee", "approved", "booked"], recorded_on="2016-12-20"
    )
    await react(None, this_year)  # type: ignore[arg-type]
    await react(None, last_year)  # type: ignore[arg-type]
    (found,) = store.events(f"breach-{this_year.event_id}")
    assert isinstance(found, PowerFlowBreached) and found.missing_steps == ("filed",)
    assert store.events(f"breach-{last_year.event_id}") == []  # 2016: the reference list


async def test_a_disposal_skipping_the_resolutions_disclosure_is_flagged(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    disposed = foreign_envelope(
        "funds.CollectiveAssetDisposed",
        "asset-a",
        {
            "village": "金霞村",
            "disposed_on": "2017-02-10",
            "decision_id": "d-1",
            "power_item": "asset_disposal",
            "steps": ["proposed", "consulted", "reviewed", "resolved"],
        },
    )
    await Reactions(pipeline)(None, disposed)  # type: ignore[arg-type]
    (found,) = store.events(f"breach-{disposed.event_id}")
    assert isinstance(found, PowerFlowBreached)
    assert (found.village, found.missing_steps) == ("金霞村", ("resolution_disclosed",))


async def test_an_act_with_malformed_steps_is_refused(pipeline: Pipeline[Deps]) -> None:
    with pytest.raises(MalformedEvent, match="steps"):
        await Reactions(pipeline)(None, act(steps="handled"))  # type: ignore[arg-type]
    with pytest.raises(MalformedEvent, match="village"):
        await Reactions(pipeline)(None, act(village=None))  # type: ignore[arg-type]


# --- 村务监督委员会 -------------------------------------------------------------------------------

COMMITTEE = committee_stream(SHIBI.code)


MARCH_2016 = D(2016, 3, 1)
APRIL_2016 = D(2016, 4, 1)


def appointed(member_id: str, name: str, position: str = "委员", day: D = MARCH_2016) -> Event:
    return CommitteeMemberAppointed(
        village="石壁村",
        village_code=SHIBI.code,
        member_id=member_id,
        name=name,
        position=position,
        appointed_on=day,
    )


def with_members(store: MemoryStore) -> None:
    given(store, COMMITTEE, D(2016, 3, 1), appointed("m-1", "周国平", "主任"))
    given(store, COMMITTEE, D(2016, 3, 1), appointed("m-2", "李秀英"))


async def test_members_take_office_and_leave(pipeline: Pipeline[Deps], store: MemoryStore) -> None:
    chair = c.AppointCommitteeMember(
        village="石壁村", member_id="m-1", name="周国平", position="主任", occurred_on=D(2016, 3, 1)
    )
    written = await pipeline.run(g.appoint_committee_member, chair, ctx())
    assert (written.id, written.stream_id, written.version) == (SHIBI.code, COMMITTEE, 1)
    await pipeline.run(
        g.appoint_committee_member,
        c.AppointCommitteeMember(
            village=SHIBI.code, name="李秀英", position="委员", occurred_on=D(2016, 3, 1)
        ),
        ctx(),
    )
    await pipeline.run(
        g.committee_member_leaves,
        c.CommitteeMemberLeaves(village="石壁村", member_id="m-1", occurred_on=D(2016, 12, 1)),
        ctx(),
    )
    assert types(store, COMMITTEE) == [
        CommitteeMemberAppointed,
        CommitteeMemberAppointed,
        CommitteeMemberLeft,
    ]
    left = store.events(COMMITTEE)[-1]
    assert isinstance(left, CommitteeMemberLeft)
    assert (left.village, left.member_id, left.left_on) == ("石壁村", "m-1", D(2016, 12, 1))
    # with the chair gone, a new chair may take office
    await pipeline.run(
        g.appoint_committee_member,
        c.AppointCommitteeMember(village="石壁村", member_id="m-3", name="王建", position="主任"),
        ctx(),
    )


async def test_a_second_chair_a_known_member_and_leaving_twice_are_refused(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    with_members(store)
    refusals: list[tuple[Any, Any, type[Exception], str]] = [
        (
            g.appoint_committee_member,
            c.AppointCommitteeMember(village="石壁村", name="王建", position="主任"),
            Refused,
            "主任 周国平 在任",
        ),
        (
            g.appoint_committee_member,
            c.AppointCommitteeMember(village="石壁村", member_id="m-2", name="李", position="委员"),
            AlreadyExists,
            "已登记",
        ),
        (
            g.committee_member_leaves,
            c.CommitteeMemberLeaves(village="石壁村", member_id="m-9"),
            Refused,
            "没有成员",
        ),
        (
            g.committee_member_leaves,
            c.CommitteeMemberLeaves(village="金霞村", member_id="m-1"),
            NotFound,
            "村务监督委员会",
        ),
        (
            g.committee_member_leaves,
            c.CommitteeMemberLeaves(village="石壁村", member_id="m-1", occurred_on=D(2016, 1, 1)),
            Refused,
            "早于任职日期",
        ),
    ]
    for handler, cmd, error, message in refusals:
        with pytest.raises(error, match=message):
            await pipeline.run(handler, cmd, ctx())
    await pipeline.run(
        g.committee_member_leaves,
        c.CommitteeMemberLeaves(village="石壁村", member_id="m-2", occurred_on=D(2016, 6, 1)),
        ctx(),
    )
    with pytest.raises(Refused, match="已于 2016-06-01 离任"):
        await pipeline.run(
            g.committee_member_leaves,
            c.CommitteeMemberLeaves(village="石壁村", member_id="m-2"),
            ctx(),
        )
    assert len(store.events(COMMITTEE)) == 3


def report(**over: Any) -> c.MakeCommitteeReport:
    fields: dict[str, Any] = {
        "village": "石壁村",
        "year": 2016,
        "to_party_organisation": True,
        "to_representatives": True,
        "summary": "全年监督村务公开4次、财务审核12次",
        "occurred_on": "2017-01-20",
    }
    fields.update(over)
    return c.MakeCommitteeReport(**fields)


async def test_the_yearly_report_goes_to_both_and_is_made_once(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    with_members(store)
    await pipeline.run(g.make_committee_report, report(), ctx())
    made = store.events(COMMITTEE)[-1]
    assert isinstance(made, CommitteeReportMade)
    assert (made.village, made.year, made.reported_on) == ("石壁村", 2016, D(2017, 1, 20))
    assert made.to_party_organisation and made.to_representatives
    with pytest.raises(AlreadyExists, match="one report per year"):
        await pipeline.run(g.make_committee_report, report(occurred_on="2017-02-01"), ctx())
    for refused, message in (
        (report(year=2017, to_representatives=False), "同时向村党组织和村民代表会议"),
        (report(year=2017, to_party_organisation=False), "同时向村党组织和村民代表会议"),
        (report(year=2017, occurred_on="2016-12-30"), "不能早于该年度"),
    ):
        with pytest.raises(Refused, match=message):
            await pipeline.run(g.make_committee_report, refused, ctx())
    assert len(store.events(COMMITTEE)) == 3


async def test_a_committee_without_members_in_office_cannot_report(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    given(store, COMMITTEE, D(2016, 3, 1), appointed("m-1", "周国平", "主任"))
    given(
        store,
        COMMITTEE,
        D(2016, 6, 1),
        CommitteeMemberLeft(village="石壁村", member_id="m-1", left_on=D(2016, 6, 1)),
    )
    with pytest.raises(Refused, match="没有在任成员"):
        await pipeline.run(g.make_committee_report, report(), ctx())
    with pytest.raises(NotFound):
        await pipeline.run(g.make_committee_report, report(village="金霞村"), ctx())


async def check(pipeline: Pipeline[Deps], day: D, year: int | None = None) -> int:
    cmd = c.CheckCommitteeReports(year=year, occurred_on=day)

    async def act(uow: Work[Deps]) -> int:
        return await g.check_committee_reports(cmd, uow)

    raised, _ = await pipeline.attempt(act, ctx(role="town_secretary"), Scope(), cmd.occurred_on)
    return raised


async def test_a_report_not_made_by_31_january_is_overdue_once(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    with_members(store)
    jinxia = committee_stream(JINXIA.code)
    given(
        store,
        jinxia,
        D(2016, 4, 1),
        CommitteeMemberAppointed(
            village="金霞村",
            village_code=JINXIA.code,
            member_id="j-1",
            name="刘春",
            position="主任",
            appointed_on=D(2016, 4, 1),
        ),
    )
    await pipeline.run(g.make_committee_report, report(village="金霞村"), ctx())

    assert await check(pipeline, D(2017, 1, 31)) == 0  # due that day: not yet overdue
    assert await check(pipeline, D(2017, 2, 1)) == 1
    assert await check(pipeline, D(2017, 3, 1)) == 0  # once per village and year
    overdue = store.events(COMMITTEE)[-1]
    assert isinstance(overdue, CommitteeReportOverdue)
    assert (overdue.village, overdue.year, overdue.due_on, overdue.found_on) == (
        "石壁村",
        2016,
        D(2017, 1, 31),
        D(2017, 2, 1),
    )
    # a late report is recorded; the year stays raised once
    await pipeline.run(g.make_committee_report, report(occurred_on="2017-02-15"), ctx())
    assert await check(pipeline, D(2017, 3, 10), year=2016) == 0
    assert types(store, jinxia)[-1] is CommitteeReportMade
    # no stream for the villages without a committee
    assert sorted(s for s in store.streams if s.startswith("committee-")) == sorted(
        [COMMITTEE, jinxia]
    )


async def test_a_check_of_a_year_not_yet_due_is_refused(pipeline: Pipeline[Deps]) -> None:
    with pytest.raises(Refused, match="尚未届满"):
        await check(pipeline, D(2017, 1, 15), year=2016)


async def test_a_late_report_made_before_the_check_still_was_overdue(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    with_members(store)
    await pipeline.run(g.make_committee_report, report(occurred_on="2017-02-05"), ctx())
    assert await check(pipeline, D(2017, 2, 10)) == 1


async def test_a_finding_opens_a_problem_item(pipeline: Pipeline[Deps], store: MemoryStore) -> None:
    with_members(store)
    finding_id = "0190a8f0-0000-7000-8000-0000000000f1"
    cmd = c.RecordCommitteeFinding(
        village="石壁村",
        id=finding_id,
        title="村部维修支出未经监委会审核",
        detail="2017年2月村部维修费1200元",
        occurred_on=D(2017, 3, 5),
    )
    written = await pipeline.run(g.record_committee_finding, cmd, ctx(role="village_clerk"))
    assert (written.id, written.stream_id) == (finding_id, COMMITTEE)
    assert [e.type for e in written.events] == [
        "supervision.CommitteeFindingRecorded",
        "supervision.ItemListed",
    ]
    found = store.events(COMMITTEE)[-1]
    item_id = finding_item_id(finding_id)
    assert isinstance(found, CommitteeFindingRecorded)
    assert (found.finding_id, found.item_id, found.found_on) == (finding_id, item_id, D(2017, 3, 5))
    (listed,) = store.events(f"item-{item_id}")
    assert isinstance(listed, ItemListed)
    assert (listed.source, listed.measure, listed.village, listed.deadline) == (
        "群众提",
        6,
        "石壁村",
        D(2017, 4, 4),
    )
    assert listed.title == "石壁村村务监督委员会发现：村部维修支出未经监委会审核"
    with pytest.raises(AlreadyExists):
        await pipeline.run(g.record_committee_finding, cmd, ctx())
    with pytest.raises(OutOfScope):
        await pipeline.run(g.record_committee_finding, cmd, ctx(), Scope("金霞村"))


# --- the appraisal's facts --------------------------------------------------------------------


def item(
    item_id: str,
    unit: str,
    deadline: D,
    village: str | None = None,
    measure: int = 6,
    listed_on: D = APRIL_2016,
) -> Any:
    return ItemListed(
        item_id=item_id,
        list_name="问题清单",
        title=f"事项 {item_id}",
        detail="",
        source="自己找",
        measure=measure,
        lead_post="组织委员",
        lead_unit=unit,
        deadline=deadline,
        village=village,
        listed_on=listed_on,
    )


def register_measures(store: MemoryStore) -> None:
    for spec in PLAN.measures:
        given(
            store,
            f"measure-2016-{spec.number:02d}",
            D(2016, 3, 1),
            MeasureRegistered(
                plan_id="2016",
                plan_version=1,
                number=spec.number,
                title=spec.title,
                group=spec.group,
                group_title="",
                lead_post=spec.lead_post,
                lead_units=spec.lead_units,
                deadline=spec.deadline,
                due_on=spec.due_on,
                tasks=(),
                targets=(),
                registered_on=D(2016, 3, 1),
            ),
        )


async def test_the_years_facts_are_counted_per_unit_and_village_as_of_the_years_end(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    register_measures(store)
    # 党建工作站 (measure 6): one item closed in time, one still open past its deadline
    given(store, "item-a", D(2016, 4, 1), item("a", "党建工作站", D(2016, 6, 30), "石壁村"))
    given(
        store,
        "item-a",
        D(2016, 6, 1),
        ItemWorkStarted(item_id="a", started_on=D(2016, 6, 1), note=""),
        ItemRectified(item_id="a", rectified_on=D(2016, 6, 20), summary="s", evidence=("e",)),
        ItemClosed(item_id="a", closed_on=D(2016, 6, 25), evidence=("e",), note=""),
    )
    given(store, "item-b", D(2016, 4, 1), item("b", "党建工作站", D(2016, 9, 30), "石壁村"))
    # 扶贫办: an item closed in 2015's terms is not 2016's (closed before the year began)
    old = item("old", "扶贫办", D(2015, 12, 1), measure=1, listed_on=D(2015, 10, 1))
    given(store, "item-old", D(2015, 10, 1), old)
    given(
        store,
        "item-old",
        D(2015, 11, 1),
        ItemWorkStarted(item_id="old", started_on=D(2015, 11, 1), note=""),
        ItemRectified(item_id="old", rectified_on=D(2015, 11, 2), summary="s", evidence=("e",)),
        ItemClosed(item_id="old", closed_on=D(2015, 11, 3), evidence=("e",), note=""),
    )
    # a directive to 纪检监察室 reported back late, one to 党建工作站 in time
    late, in_time = ("d1", "纪检监察室", D(2016, 8, 1)), ("d2", "党建工作站", D(2016, 6, 1))
    for ident, unit, back in (late, in_time):
        given(
            store,
            f"directive-{ident}",
            D(2016, 5, 1),
            DirectiveReceived(
                directive_id=ident,
                kind="交办事项",
                level="县",
                issued_by="县委",
                reference=None,
                subject="x",
                received_on=D(2016, 5, 1),
                due_on=D(2016, 7, 1),
            ),
            DirectiveAssigned(
                directive_id=ident,
                lead_post="纪委书记",
                lead_unit=unit,
                assigned_on=D(2016, 5, 2),
                due_on=None,
            ),
            DirectiveReportedBack(directive_id=ident, reported_on=back, result="办结"),
        )
    # petitions of 金霞村: one resolved, one open; one received after the year's end
    for ident, day in (("p1", D(2016, 5, 1)), ("p2", D(2016, 6, 1)), ("p3", D(2017, 1, 5))):
        given(
            store,
            f"petition-{ident}",
            day,
            PetitionReceived(
                petition_id=ident,
                channel="来访",
                petitioner_name="张三",
                petitioner_count=1,
                village="金霞村",
                subject="x",
                received_on=day,
                repeat_of=None,
            ),
        )
    given(
        store,
        "petition-p1",
        D(2016, 7, 1),
        PetitionResolved(petition_id="p1", resolved_on=D(2016, 7, 1), resolution="化解"),
    )

    written = await pipeline.run(
        g.record_appraisal_facts, c.RecordAppraisalFacts(year=2016), ctx(role="town_secretary")
    )
    assert (written.id, written.stream_id, written.version) == ("2016", appraisal_stream(2016), 1)
    (recorded,) = store.events(appraisal_stream(2016))
    assert isinstance(recorded, AppraisalFactsRecorded)
    assert (recorded.year, recorded.as_of) == (2016, D(2016, 12, 31))
    facts = {(u.kind, u.unit): u for u in recorded.units}
    assert [u.kind for u in recorded.units].index(VILLAGE) == len(
        [u for u in recorded.units if u.kind == UNIT]
    )
    party_station = facts[(UNIT, "党建工作站")]
    assert (party_station.items_total, party_station.items_overdue) == (2, 1)
    assert (party_station.directives_total, party_station.directives_on_time) == (1, 1)
    # measures 5, 6, 11, 14 … led by 党建工作站: measure 6 has an open item, so is not done
    led = [m for m in PLAN.measures if "党建工作站" in m.lead_units]
    assert party_station.measures_total == len(led)
    # measure 5's items are not all closed, and a measure with nothing listed is not done
    assert party_station.measures_done == 0
    discipline = facts[(UNIT, "纪检监察室")]
    assert (discipline.directives_total, discipline.directives_on_time) == (1, 0)
    poverty = facts[(UNIT, "扶贫办")]
    assert (poverty.items_total, poverty.measures_done) == (0, poverty.measures_total)
    stability = facts[(UNIT, PLAN.measure(7).lead_units[0])]
    assert (stability.petitions_total, stability.petitions_resolved) == (2, 1)
    jinxia, shibi = facts[(VILLAGE, "金霞村")], facts[(VILLAGE, "石壁村")]
    assert (jinxia.petitions_total, jinxia.petitions_resolved, jinxia.items_total) == (2, 1, 0)
    assert (shibi.items_total, shibi.items_overdue, shibi.measures_total) == (2, 1, 0)
    assert len([u for u in recorded.units if u.kind == VILLAGE]) == len(TOWN.villages)


async def test_facts_of_the_current_year_are_as_of_today_and_a_later_count_supersedes(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    await pipeline.run(
        g.record_appraisal_facts,
        c.RecordAppraisalFacts(year=2017, occurred_on=D(2017, 3, 1)),
        ctx(),
    )
    await pipeline.run(g.record_appraisal_facts, c.RecordAppraisalFacts(year=2017), ctx())
    first, second = store.events(appraisal_stream(2017))
    assert isinstance(first, AppraisalFactsRecorded) and isinstance(second, AppraisalFactsRecorded)
    assert (first.as_of, second.as_of) == (D(2017, 3, 1), D(2017, 3, 10))
    with pytest.raises(Refused, match="更早"):
        await pipeline.run(
            g.record_appraisal_facts,
            c.RecordAppraisalFacts(year=2017, occurred_on=D(2017, 2, 1)),
            ctx(),
        )
    with pytest.raises(Refused, match="尚未开始"):
        await pipeline.run(g.record_appraisal_facts, c.RecordAppraisalFacts(year=2018), ctx())
    assert len(store.events(appraisal_stream(2017))) == 2


# --- the appraisal's referrals (为官不为) ---------------------------------------------------------


def referred(subject: str = "branch-shibi", kind: str = "branch_secretary") -> Any:
    return foreign_envelope(
        "party.InactionReferred",
        "appraisal-2016",
        {
            "year": 2016,
            "subject_kind": kind,
            "subject": subject,
            "subject_name": "石壁村党支部书记 黄军",
            "reason": "年度考核不称职",
            "referred_on": "2017-02-20",
        },
    )


async def test_a_referral_opens_one_inaction_clue_per_subject(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    react = Reactions(pipeline)
    event = referred()
    for env in (event, event, referred(), referred("党建工作站", "unit")):
        await react(None, env)  # type: ignore[arg-type]
    clue_id = appraisal_clue_id(2016, "branch_secretary", "branch-shibi")
    (opened,) = store.events(f"clue-{clue_id}")
    assert isinstance(opened, ClueReceived)
    assert (opened.category, opened.measure, opened.channel, opened.appraisal_year) == (
        "为官不为",
        11,
        "年度绩效考核",
        2016,
    )
    assert (opened.subject_name, opened.subject_post, opened.received_on) == (
        "石壁村党支部书记 黄军",
        "村(社区)党组织书记",
        D(2017, 2, 20),
    )
    assert "年度考核不称职" in opened.summary
    clues = [s for s in store.streams if s.startswith("clue-appraisal-2016-")]
    assert len(clues) == 2
    (env,) = store.streams[f"clue-{clue_id}"]
    assert env.causation_id == event.event_id


async def test_a_referral_without_a_year_is_malformed(pipeline: Pipeline[Deps]) -> None:
    bad = foreign_envelope(
        "party.InactionReferred", "appraisal-x", {"subject_kind": "unit", "subject": "x"}
    )
    with pytest.raises(MalformedEvent, match="year"):
        await Reactions(pipeline)(None, bad)  # type: ignore[arg-type]


async def test_a_clue_of_the_appraisals_channel_cannot_be_received_by_hand(
    pipeline: Pipeline[Deps],
) -> None:
    from supervision.domain.clues import Clue

    with pytest.raises(Refused, match="年度绩效考核"):
        Clue("clue-x").receive(
            clue_id="x",
            category="为官不为",
            channel="年度绩效考核",
            summary="s",
            village=None,
            subject_name=None,
            subject_post=None,
            subject_member_id=None,
            on=D(2017, 1, 1),
        )


async def test_an_act_is_judged_by_the_list_in_force_on_its_day_however_late_it_is_read(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    """A republished list (a new version asking one more step) does not turn an act that
    followed the earlier version into a breach when its event is delivered again later; and a
    December expense booked in January is judged by December's year."""
    flow = [
        {
            "code": "finance",
            "name": "财务收支",
            "steps": [
                {"name": "handled", "actor": "经办人", "disclosed": False},
                {"name": "approved", "actor": "村主任", "disclosed": True},
            ],
        }
    ]
    stricter = [
        {
            **flow[0],
            "steps": [
                *flow[0]["steps"],
                {"name": "reviewed_by_committee", "actor": "村务监督委员会", "disclosed": False},
            ],
        }
    ]

    async def publish(year: int, items: list[dict[str, Any]], on: dt.date) -> None:
        cmd = c.PublishPowerList(village="石壁村", year=year, items=items, occurred_on=on)
        await pipeline.run(g.publish_power_list, cmd, ctx(on))

    await publish(2017, flow, D(2017, 1, 10))
    react = Reactions(pipeline)
    expense = act()  # handled, approved: what version 1 asks
    await react(None, expense)  # type: ignore[arg-type]
    await publish(2017, stricter, D(2017, 3, 5))
    await react(None, expense)  # type: ignore[arg-type]  # delivered again after version 2
    assert not [s for s in store.streams if s.startswith(("breach-", "item-"))]
    late = act(recorded_on="2017-03-06")  # a March expense booked after version 2: a breach
    await react(None, late)  # type: ignore[arg-type]
    (found,) = store.events(f"breach-{late.event_id}")
    assert isinstance(found, PowerFlowBreached)
    assert found.missing_steps == ("reviewed_by_committee",)
    december = act(month="2016-12", recorded_on="2017-01-05")  # 2016: no list, the reference
    await react(None, december)  # type: ignore[arg-type]
    (old,) = store.events(f"breach-{december.event_id}")
    assert isinstance(old, PowerFlowBreached) and old.found_on == D(2016, 12, 31)
