"""Measures 2 and 3: livelihood projects (planned → started → accepted → after-care),
community service sites (≥ 600 m² and the 五统一), village service stations with a duty rota,
and the agency-service ledger (received → handled → signed off)."""

import datetime as dt
from decimal import Decimal

from relief.application.commands import (
    AcceptProject,
    CertifySiteCompliant,
    CompleteFiveUnified,
    DesignateServiceStation,
    ExpandCommunitySite,
    HandleAgencyRequest,
    ListLivelihoodProject,
    PublishDutyRota,
    ReceiveAgencyRequest,
    RecordAfterCare,
    RegisterCommunitySite,
    SignOffAgencyRequest,
    StartProject,
)
from relief.domain.events import (
    AfterCareRecorded,
    AgencyRequestHandled,
    AgencyRequestSignedOff,
    CommunityServiceSiteCertifiedCompliant,
    DutyRotaPublished,
    DutyShift,
    LivelihoodProjectAccepted,
    LivelihoodProjectListed,
    LivelihoodProjectStarted,
    ServiceStationDesignated,
)

from shared.kernel import AlreadyExists, NotFound, Refused
from shared.pipeline import OutOfScope as Forbidden
from shared.pipeline import Scope

from .scenario import Scenario

P = "0190b5a8-0000-7000-8000-0000000000d1"
SITE = "0190b5a8-0000-7000-8000-0000000000d2"
ITEM = "0190b5a8-0000-7000-8000-0000000000d3"


def listed(village: str | None = "石壁村") -> ListLivelihoodProject:
    return ListLivelihoodProject(
        occurred_on=dt.date(2016, 3, 1),
        name="石壁村安全饮水工程",
        category="water",
        village=village,
        description="新建集中供水站",
        lead_unit="民政与社会保障办",
        budget=Decimal("350000.00"),
        due_on=dt.date(2016, 12, 31),
        project_id=P,
    )


def day(month: int, d: int = 1) -> dt.date:
    return dt.date(2016, month, d)


def test_a_project_goes_from_the_list_to_after_care() -> None:
    s = Scenario().when(listed())
    s.then_types(LivelihoodProjectListed)
    s.when(StartProject(occurred_on=day(4), project_id=P)).then(
        LivelihoodProjectStarted(project_id=P, started_on=day(4))
    )
    s.when(AcceptProject(occurred_on=day(10), project_id=P, accepted_by="镇验收组", result="合格"))
    s.then(
        LivelihoodProjectAccepted(
            project_id=P, accepted_by="镇验收组", result="合格", accepted_on=day(10)
        )
    )
    s.when(
        RecordAfterCare(
            occurred_on=day(12), project_id=P, responsible="村文书", note="水质抽检正常"
        )
    )
    s.then(
        AfterCareRecorded(
            project_id=P, responsible="村文书", note="水质抽检正常", recorded_on=day(12)
        )
    )


def test_project_steps_keep_their_order() -> None:
    s = Scenario().when(listed())
    accept = AcceptProject(occurred_on=day(10), project_id=P, accepted_by="组", result="合格")
    care = RecordAfterCare(occurred_on=day(12), project_id=P, responsible="甲", note="好")
    s.refused(accept, "尚未开工，不能验收")
    s.refused(care, "验收后才能记录后续管理")
    s.refused(StartProject(occurred_on=day(2, 1), project_id=P), "早于立项日期")
    s.when(StartProject(occurred_on=day(4), project_id=P))
    s.refused(StartProject(occurred_on=day(5), project_id=P), "已开工")
    s.when(accept)
    s.refused(accept, "已于 2016-10-01 验收", kind=AlreadyExists)


def test_a_project_has_a_known_category_and_a_village_of_the_town() -> None:
    bad = ListLivelihoodProject(name="x", category="space", village=None, lead_unit="办")
    Scenario().refused(bad, "项目类别“space”无效")
    Scenario().refused(listed(village="不存在村"), "未知村/社区")


def test_a_clerk_lists_projects_of_their_own_village_but_not_the_towns() -> None:
    Scenario().when(listed(), Scope("石壁村")).then_types(LivelihoodProjectListed)
    Scenario().refused(listed(village=None), "全镇", kind=Forbidden, scope=Scope("石壁村"))


# --- community service sites -------------------------------------------------------------------


def site(area: str = "450", community: str = "天易社区") -> RegisterCommunitySite:
    return RegisterCommunitySite(
        occurred_on=day(3),
        community=community,
        name="天易社区综合服务中心",
        area_m2=Decimal(area),
        office_area_m2=Decimal("80"),
        site_id=SITE,
    )


CERTIFY = CertifySiteCompliant(occurred_on=day(11), site_id=SITE)
ALL_FIVE = ["signage", "facade", "door_plates", "service_windows", "publicity_boards"]


def test_a_site_below_600_square_metres_or_without_the_five_unified_is_not_compliant() -> None:
    s = Scenario().when(site("450"))
    error = s.refused(CERTIFY, "面积 450 m² 低于 600 m²")
    assert "社区标识" in str(error)
    s.when(CompleteFiveUnified(occurred_on=day(5), site_id=SITE, items=ALL_FIVE))
    s.refused(CERTIFY, "低于 600 m²")
    s.when(
        ExpandCommunitySite(
            occurred_on=day(8), site_id=SITE, area_m2=Decimal("650"), method="built"
        )
    )
    s.when(CERTIFY).then(
        CommunityServiceSiteCertifiedCompliant(
            site_id=SITE, area_m2=Decimal("650"), certified_on=day(11)
        )
    )
    s.refused(CERTIFY, "已于 2016-11-01 认定达标", kind=AlreadyExists)


def test_a_big_site_still_needs_every_one_of_the_five_unified() -> None:
    s = Scenario().when(site("720"))
    s.when(CompleteFiveUnified(occurred_on=day(5), site_id=SITE, items=ALL_FIVE[:4]))
    s.refused(CERTIFY, "“五统一”未完成：宣传栏目")


def test_a_site_belongs_to_a_community_and_only_grows() -> None:
    Scenario().refused(site(community="石壁村"), "不是社区")
    s = Scenario().when(site("450"))
    shrink = ExpandCommunitySite(site_id=SITE, area_m2=Decimal("400"), method="built")
    s.refused(shrink, "须大于现有面积")
    unknown = ExpandCommunitySite(site_id=SITE, area_m2=Decimal("700"), method="magic")
    s.refused(unknown, "扩建方式“magic”无效")
    s.refused(CompleteFiveUnified(site_id=SITE, items=["roof"]), "五统一项目“roof”无效")


# --- village service stations and the agency ledger -----------------------------------------------


def station(village: str = "石壁村") -> DesignateServiceStation:
    return DesignateServiceStation(
        occurred_on=day(3), village=village, name="石壁村便民服务站", address="石壁村村部"
    )


def rota(days: range = range(1, 6)) -> PublishDutyRota:
    shifts = [DutyShift(weekday=d, cadre=f"村干部{d}", post="村委委员") for d in days]
    return PublishDutyRota(occurred_on=day(4), village="石壁村", shifts=shifts)


def test_one_station_per_village_with_a_rota_covering_every_working_day() -> None:
    s = Scenario().when(station())
    s.then_types(ServiceStationDesignated)
    s.refused(station(), "已设立便民服务站", kind=AlreadyExists)
    s.refused(rota(range(1, 5)), "值班表未覆盖工作日：周五")
    s.when(rota()).then_types(DutyRotaPublished)


def test_a_rota_needs_a_station() -> None:
    Scenario().refused(rota(), "尚未设立便民服务站", kind=NotFound)


def receive() -> ReceiveAgencyRequest:
    return ReceiveAgencyRequest(
        occurred_on=day(5),
        village="石壁村",
        applicant="张大爷",
        matter="代办新农合缴费",
        agent="村代办员李华",
        item_id=ITEM,
    )


def test_an_agency_matter_is_received_handled_and_signed_off() -> None:
    s = Scenario().when(station()).when(receive())
    s.refused(
        SignOffAgencyRequest(occurred_on=day(6), item_id=ITEM, signed_by="张大爷"), "尚未办结"
    )
    s.when(HandleAgencyRequest(occurred_on=day(6), item_id=ITEM, result="已缴费"))
    s.then(AgencyRequestHandled(item_id=ITEM, result="已缴费", handled_on=day(6)))
    s.refused(
        HandleAgencyRequest(occurred_on=day(6), item_id=ITEM, result="再办"), "已于 2016-06-01 办结"
    )
    s.when(SignOffAgencyRequest(occurred_on=day(7), item_id=ITEM, signed_by="张大爷"))
    s.then(AgencyRequestSignedOff(item_id=ITEM, signed_by="张大爷", signed_off_on=day(7)))
    s.refused(
        SignOffAgencyRequest(occurred_on=day(7), item_id=ITEM, signed_by="张大爷"),
        "已于 2016-07-01 签收",
    )


def test_agency_needs_the_village_station() -> None:
    Scenario().refused(receive(), "尚未设立便民服务站，不能受理代办", kind=Refused)


def test_a_clerk_of_another_village_cannot_handle_the_matter() -> None:
    s = Scenario().when(station()).when(receive())
    cmd = HandleAgencyRequest(occurred_on=day(6), item_id=ITEM, result="已缴费")
    s.refused(cmd, "只能操作本村", kind=Forbidden, scope=Scope("金霞村"))
