"""Every other refusal of the relief domain, one line each: given these events, this command is
refused with this reason and nothing is stored."""

import datetime as dt
from decimal import Decimal

import pytest
from relief.application import commands as c
from relief.domain.events import (
    AgencyRequestReceived,
    CommunityServiceSiteRegistered,
    FiveUnifiedItemsCompleted,
    HouseholdReturnedToPoverty,
    LivelihoodProjectAccepted,
    LivelihoodProjectListed,
    LivelihoodProjectStarted,
    ServiceStationDesignated,
)
from relief.domain.sites import DutyShift

from shared.kernel import AlreadyExists, DomainError, Event
from shared.pipeline import Command

from .scenario import (
    HEAD_ID,
    HOUSEHOLD,
    STREAM,
    TOWN,
    Scenario,
    assessed,
    checked,
    exited,
    paired,
    registered,
    resident,
    unchecked,
)

D = dt.date(2016, 6, 1)
EARLY = dt.date(2016, 1, 1)
P, SITE, ITEM = "p-1", "s-1", "i-1"
SHIBI = TOWN.village("石壁村")
assert SHIBI is not None

HOUSEHOLD_STORY: tuple[Event, ...] = (registered(), paired())
PROJECT = LivelihoodProjectListed(
    project_id=P,
    name="石壁村饮水",
    category="water",
    village="石壁村",
    description="",
    lead_unit="民政办",
    budget=None,
    due_on=None,
    listed_on=dt.date(2016, 3, 1),
)
STARTED = LivelihoodProjectStarted(project_id=P, started_on=dt.date(2016, 4, 1))
ACCEPTED = LivelihoodProjectAccepted(
    project_id=P, accepted_by="组", result="合格", accepted_on=dt.date(2016, 10, 1)
)
SITE_REGISTERED = CommunityServiceSiteRegistered(
    site_id=SITE,
    community="天易社区",
    name="中心",
    area_m2=Decimal(500),
    office_area_m2=None,
    registered_on=dt.date(2016, 3, 1),
)
ALL_ITEMS = ["signage", "facade", "door_plates", "service_windows", "publicity_boards"]
STATION = ServiceStationDesignated(
    village="石壁村",
    village_code=SHIBI.code,
    name="石壁村便民服务站",
    address="",
    designated_on=dt.date(2016, 3, 1),
)
RECEIVED = AgencyRequestReceived(
    item_id=ITEM,
    village="石壁村",
    applicant="张大爷",
    matter="代缴",
    agent="李华",
    received_on=dt.date(2016, 4, 1),
)

# Commands built without the body's checks (`unchecked`): these are the domain's own
# refusals, which hold whatever the HTTP layer let through.
CASES: list[tuple[str, dict[str, tuple[Event, ...]], Command, str]] = [
    # households
    (
        "head name",
        {},
        # the body refuses a blank name first (422); the domain refuses it too
        unchecked(
            c.RegisterHousehold,
            village="石壁村",
            head_name=" ",
            head_id_number=HEAD_ID,
            causes=["因病"],
            income_per_head=Decimal(1),
        ),
        "户主姓名不能为空",
    ),
    (
        "member relation",
        {},
        unchecked(
            c.RegisterHousehold,
            village="石壁村",
            head_name="张",
            head_id_number=HEAD_ID,
            members=[c.MemberIn.model_construct(name="李", id_number=resident(5), relation=" ")],
            causes=["因病"],
            income_per_head=Decimal(1),
        ),
        "须有姓名和与户主关系",
    ),
    (
        "correct early",
        {STREAM: (registered(),)},
        unchecked(
            c.CorrectHouseholdRecord,
            occurred_on=EARLY,
            household_id=HOUSEHOLD,
            head_name="张",
            members=[],
            causes=["因病"],
            reason="x",
        ),
        "早于建档日期",
    ),
    (
        "assess early",
        {STREAM: (registered(),)},
        unchecked(
            c.AssessIncome, occurred_on=EARLY, household_id=HOUSEHOLD, income_per_head=Decimal(1)
        ),
        "早于建档日期",
    ),
    (
        "check early",
        {STREAM: (registered(),)},
        unchecked(
            c.CheckGuarantees,
            occurred_on=EARLY,
            household_id=HOUSEHOLD,
            food=True,
            clothing=True,
            education=True,
            medical=True,
            housing=True,
        ),
        "早于建档日期",
    ),
    (
        "exit before return",
        {
            STREAM: (
                registered(),
                assessed("3200"),
                checked(),
                exited(),
                HouseholdReturnedToPoverty(
                    household_id=HOUSEHOLD, returned_on=dt.date(2017, 3, 1), reason="病"
                ),
            )
        },
        unchecked(c.ExitPoverty, occurred_on=dt.date(2017, 2, 1), household_id=HOUSEHOLD),
        "早于上次状态变更日期",
    ),
    (
        "return income",
        {STREAM: (registered(), assessed("3200"), checked(), exited())},
        unchecked(
            c.ReturnToPoverty,
            occurred_on=dt.date(2017, 3, 1),
            household_id=HOUSEHOLD,
            reason="病",
            income_per_head=Decimal(-1),
        ),
        "不能为负数",
    ),
    (
        "repair early",
        {STREAM: HOUSEHOLD_STORY},
        unchecked(
            c.RepairHousehold,
            occurred_on=dt.date(2016, 3, 20),
            household_id=HOUSEHOLD,
            cadre_name="李",
            cadre_post="干部",
            reason="调动",
        ),
        "早于结对日期",
    ),
    (
        "measure description",
        {STREAM: HOUSEHOLD_STORY},
        unchecked(
            c.PlanMeasure, occurred_on=D, household_id=HOUSEHOLD, project="income", description=" "
        ),
        "须有内容",
    ),
    (
        "measure early",
        {STREAM: HOUSEHOLD_STORY},
        unchecked(
            c.PlanMeasure,
            occurred_on=EARLY,
            household_id=HOUSEHOLD,
            project="income",
            description="养猪",
        ),
        "早于建档日期",
    ),
    # activities
    (
        "enterprise name",
        {},
        unchecked(c.RecordEnterprisePairing, enterprise=" ", village="石壁村"),
        "须注明企业名称",
    ),
    (
        "posts zero",
        {},
        unchecked(c.RecordPosts, village="石壁村", kind="employment", employer="厂", posts=0),
        "至少为 1",
    ),
    (
        "clinic patients",
        {},
        unchecked(c.RecordFreeClinic, village="石壁村", medical_staff=["医生"], patients=-1),
        "不能为负数",
    ),
    # livelihood projects
    (
        "project lead unit",
        {},
        unchecked(
            c.ListLivelihoodProject, name="饮水", category="water", village=None, lead_unit=" "
        ),
        "牵头单位",
    ),
    (
        "project budget",
        {},
        unchecked(
            c.ListLivelihoodProject,
            name="饮水",
            category="water",
            village=None,
            lead_unit="办",
            budget=Decimal(-1),
        ),
        "预算不能为负数",
    ),
    (
        "project deadline",
        {},
        unchecked(
            c.ListLivelihoodProject,
            occurred_on=D,
            name="饮水",
            category="water",
            village=None,
            lead_unit="办",
            due_on=EARLY,
        ),
        "早于立项日期",
    ),
    (
        "accept fields",
        {f"project-{P}": (PROJECT, STARTED)},
        unchecked(c.AcceptProject, occurred_on=D, project_id=P, accepted_by=" ", result="合格"),
        "验收人和验收结论",
    ),
    (
        "accept early",
        {f"project-{P}": (PROJECT, STARTED)},
        unchecked(
            c.AcceptProject,
            occurred_on=dt.date(2016, 3, 15),
            project_id=P,
            accepted_by="组",
            result="合格",
        ),
        "早于开工日期",
    ),
    (
        "after-care fields",
        {f"project-{P}": (PROJECT, STARTED, ACCEPTED)},
        unchecked(c.RecordAfterCare, project_id=P, responsible="甲", note=" "),
        "责任人和管理情况",
    ),
    (
        "after-care early",
        {f"project-{P}": (PROJECT, STARTED, ACCEPTED)},
        unchecked(c.RecordAfterCare, occurred_on=D, project_id=P, responsible="甲", note="巡查"),
        "早于验收日期",
    ),
    # service sites
    (
        "site area",
        {},
        unchecked(c.RegisterCommunitySite, community="天易社区", name="中心", area_m2=Decimal(0)),
        "面积须大于 0",
    ),
    (
        "site office area",
        {},
        unchecked(
            c.RegisterCommunitySite,
            community="天易社区",
            name="中心",
            area_m2=Decimal(100),
            office_area_m2=Decimal(200),
        ),
        "办公用房面积",
    ),
    (
        "site name",
        {},
        unchecked(c.RegisterCommunitySite, community="天易社区", name=" ", area_m2=Decimal(100)),
        "须注明场所名称",
    ),
    (
        "expand early",
        {f"site-{SITE}": (SITE_REGISTERED,)},
        unchecked(
            c.ExpandCommunitySite,
            occurred_on=EARLY,
            site_id=SITE,
            area_m2=Decimal(700),
            method="built",
        ),
        "早于上次登记日期",
    ),
    (
        "station name",
        {},
        unchecked(c.DesignateServiceStation, village="石壁村", name=" "),
        "须注明服务站名称",
    ),
    (
        "rota weekday",
        {f"station-{SHIBI.code}": (STATION,)},
        unchecked(
            c.PublishDutyRota, village="石壁村", shifts=[DutyShift(weekday=8, cadre="甲", post="")]
        ),
        "星期（1–7）",
    ),
    (
        "agency fields",
        {f"station-{SHIBI.code}": (STATION,)},
        unchecked(c.ReceiveAgencyRequest, village="石壁村", applicant="张", matter=" ", agent="李"),
        "代办事项和代办员",
    ),
    (
        "handle result",
        {f"agency-{ITEM}": (RECEIVED,)},
        unchecked(c.HandleAgencyRequest, occurred_on=D, item_id=ITEM, result=" "),
        "须注明办理结果",
    ),
]


@pytest.mark.parametrize(("name", "given", "command", "reason"), CASES, ids=[x[0] for x in CASES])
def test_refused(
    name: str, given: dict[str, tuple[Event, ...]], command: c.Command, reason: str
) -> None:
    s = Scenario()
    for stream_id, events in given.items():
        s.given(stream_id, *events)
    s.refused(command, reason, kind=DomainError)


def test_five_unified_items_already_done_are_already_there() -> None:
    s = Scenario().given(
        f"site-{SITE}",
        SITE_REGISTERED,
        FiveUnifiedItemsCompleted(site_id=SITE, items=ALL_ITEMS, completed_on=D),
    )
    s.refused(
        unchecked(c.CompleteFiveUnified, site_id=SITE, items=["facade"]),
        "均已完成",
        kind=AlreadyExists,
    )


def test_a_measure_id_is_taken_once() -> None:
    s = Scenario().given(STREAM, *HOUSEHOLD_STORY)
    cmd = unchecked(
        c.PlanMeasure,
        occurred_on=D,
        household_id=HOUSEHOLD,
        project="income",
        description="养猪",
        measure_id="m1",
    )
    s.when(cmd)
    s.refused(cmd, "已存在", kind=AlreadyExists)
