"""Service sites (基层服务阵地提质改造, measure 3): community service sites (≥ 600 m² and the
"五统一" to be compliant), village service stations with a duty rota, and the agency-service
ledger (代办台账: received → handled → signed off)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from relief.domain.events import (
    AgencyRequestHandled,
    AgencyRequestReceived,
    AgencyRequestSignedOff,
    CommunityServiceSiteCertifiedCompliant,
    CommunityServiceSiteExpanded,
    CommunityServiceSiteRegistered,
    DutyRotaPublished,
    DutyShift,
    FiveUnifiedItemsCompleted,
    ServiceStationDesignated,
)
from relief.domain.values import EXPANSION_METHODS, FIVE_UNIFIED, check_vocabulary, not_before
from shared.kernel import Aggregate, AlreadyExists, Event, Refused

WEEKDAYS = ("", "周一", "周二", "周三", "周四", "周五", "周六", "周日")


def site_stream(site_id: str) -> str:
    return f"site-{site_id}"


def station_stream(village_code: str) -> str:
    """One main service station per village: the stream is keyed by the village's code."""
    return f"station-{village_code}"


def agency_stream(item_id: str) -> str:
    return f"agency-{item_id}"


class CommunityServiceSite(Aggregate):
    """A community's service site: its floor area and the five unified items."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.site_id = ""
        self.community = ""
        self.name = ""
        self.area_m2 = Decimal(0)
        self.office_area_m2: Decimal | None = None
        self.registered_on: dt.date | None = None
        self.last_change_on: dt.date | None = None
        self.unified: dict[str, dt.date] = {}
        self.certified_on: dt.date | None = None

    @classmethod
    def register(
        cls,
        *,
        site_id: str,
        community: str,
        name: str,
        area_m2: Decimal,
        office_area_m2: Decimal | None,
        on: dt.date,
    ) -> CommunityServiceSite:
        if area_m2 <= 0:
            raise Refused("面积须大于 0 (the area must be positive)")
        if office_area_m2 is not None and not 0 <= office_area_m2 <= area_m2:
            raise Refused("办公用房面积须在 0 与总面积之间 (office area within the total)")
        if not name.strip():
            raise Refused("须注明场所名称 (a name is required)")
        site = cls(site_stream(site_id))
        site._record(
            CommunityServiceSiteRegistered(
                site_id=site_id,
                community=community,
                name=name.strip(),
                area_m2=area_m2,
                office_area_m2=office_area_m2,
                registered_on=on,
            )
        )
        return site

    def expand(self, *, area_m2: Decimal, method: str, on: dt.date) -> None:
        check_vocabulary(method, EXPANSION_METHODS, "扩建方式")
        if area_m2 <= self.area_m2:
            raise Refused(
                f"新面积 {area_m2} m² 须大于现有面积 {self.area_m2} m² (the area must grow)"
            )
        not_before(on, self.last_change_on, "扩建", "上次登记")
        self._record(
            CommunityServiceSiteExpanded(
                site_id=self.site_id, area_m2=area_m2, method=method, expanded_on=on
            )
        )

    def complete_items(self, items: list[str], *, on: dt.date) -> None:
        for item in items:
            check_vocabulary(item, FIVE_UNIFIED, "五统一项目")
        new = [i for i in dict.fromkeys(items) if i not in self.unified]
        if not new:
            raise AlreadyExists("这些“五统一”项目均已完成 (already completed)")
        not_before(on, self.registered_on, "五统一", "登记")
        self._record(FiveUnifiedItemsCompleted(site_id=self.site_id, items=new, completed_on=on))

    def missing_items(self) -> list[str]:
        return [label for item, label in FIVE_UNIFIED.items() if item not in self.unified]

    def certify_compliant(self, *, min_area_m2: Decimal, on: dt.date) -> None:
        """达标: area at least the plan's minimum and all of the 五统一; each gap is named."""
        if self.certified_on is not None:
            raise AlreadyExists(f"该场所已于 {self.certified_on} 认定达标 (already compliant)")
        reasons = []
        if self.area_m2 < min_area_m2:
            reasons.append(
                f"面积 {self.area_m2} m² 低于 {min_area_m2} m² (area below {min_area_m2} m²)"
            )
        if missing := self.missing_items():
            reasons.append(f"“五统一”未完成：{'、'.join(missing)} (five unified items missing)")
        if reasons:
            raise Refused("不能认定达标 (not compliant)：" + "；".join(reasons))
        not_before(on, self.last_change_on, "达标认定", "上次登记")
        self._record(
            CommunityServiceSiteCertifiedCompliant(
                site_id=self.site_id, area_m2=self.area_m2, certified_on=on
            )
        )

    def _apply(self, event: Event) -> None:
        match event:
            case CommunityServiceSiteRegistered():
                self.site_id, self.community, self.name = event.site_id, event.community, event.name
                self.area_m2, self.office_area_m2 = event.area_m2, event.office_area_m2
                self.registered_on = self.last_change_on = event.registered_on
            case CommunityServiceSiteExpanded():
                self.area_m2, self.last_change_on = event.area_m2, event.expanded_on
            case FiveUnifiedItemsCompleted():
                for item in event.items:
                    self.unified[item] = event.completed_on
            case CommunityServiceSiteCertifiedCompliant():
                self.certified_on = event.certified_on


class ServiceStation(Aggregate):
    """A village's main service station (村级便民服务站) and its duty rota."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.village = ""
        self.village_code = ""
        self.name = ""
        self.address = ""
        self.designated_on: dt.date | None = None
        self.rota: list[DutyShift] = []
        self.rota_from: dt.date | None = None

    def designate(
        self, *, village: str, village_code: str, name: str, address: str, on: dt.date
    ) -> None:
        if self.exists:
            raise AlreadyExists(
                f"{self.village} 已设立便民服务站“{self.name}” (already designated)"
            )
        if not name.strip():
            raise Refused("须注明服务站名称 (a name is required)")
        self._record(
            ServiceStationDesignated(
                village=village,
                village_code=village_code,
                name=name.strip(),
                address=address.strip(),
                designated_on=on,
            )
        )

    def publish_rota(self, shifts: list[DutyShift], *, on: dt.date) -> None:
        """村干部轮流值班: every working day (Monday to Friday) has someone on duty."""
        bad = [s for s in shifts if not 1 <= s.weekday <= 7 or not s.cadre.strip()]
        if bad:
            raise Refused("值班安排须有星期（1–7）和值班干部 (weekday 1–7 and a cadre)")
        covered = {s.weekday for s in shifts}
        if missing := [WEEKDAYS[d] for d in range(1, 6) if d not in covered]:
            raise Refused(f"值班表未覆盖工作日：{'、'.join(missing)} (working days uncovered)")
        not_before(on, self.designated_on, "值班表生效", "设站")
        self._record(
            DutyRotaPublished(
                village=self.village,
                shifts=sorted(shifts, key=lambda s: (s.weekday, s.cadre)),
                effective_from=on,
            )
        )

    def _apply(self, event: Event) -> None:
        match event:
            case ServiceStationDesignated():
                self.village, self.village_code = event.village, event.village_code
                self.name, self.address = event.name, event.address
                self.designated_on = event.designated_on
            case DutyRotaPublished():
                self.rota, self.rota_from = list(event.shifts), event.effective_from


class AgencyItem(Aggregate):
    """One matter of the agency-service ledger (代办台账): received → handled → signed off."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.item_id = ""
        self.village = ""
        self.applicant = ""
        self.matter = ""
        self.agent = ""
        self.received_on: dt.date | None = None
        self.handled_on: dt.date | None = None
        self.result = ""
        self.signed_off_on: dt.date | None = None
        self.signed_by = ""

    @property
    def status(self) -> str:
        if self.signed_off_on is not None:
            return "signed_off"
        return "handled" if self.handled_on is not None else "received"

    @classmethod
    def receive(
        cls,
        station: ServiceStation,
        *,
        item_id: str,
        applicant: str,
        matter: str,
        agent: str,
        on: dt.date,
    ) -> AgencyItem:
        if not station.exists:
            raise Refused(
                "该村尚未设立便民服务站，不能受理代办 (no service station in the village)"
            )
        if not applicant.strip() or not matter.strip() or not agent.strip():
            raise Refused("须注明申请人、代办事项和代办员 (applicant, matter and agent)")
        not_before(on, station.designated_on, "受理", "设站")
        item = cls(agency_stream(item_id))
        item._record(
            AgencyRequestReceived(
                item_id=item_id,
                village=station.village,
                applicant=applicant.strip(),
                matter=matter.strip(),
                agent=agent.strip(),
                received_on=on,
            )
        )
        return item

    def handle(self, *, result: str, on: dt.date) -> None:
        if self.handled_on is not None:
            raise Refused(f"该事项已于 {self.handled_on} 办结 (already handled)")
        if not result.strip():
            raise Refused("须注明办理结果 (a result is required)")
        not_before(on, self.received_on, "办结", "受理")
        self._record(
            AgencyRequestHandled(item_id=self.item_id, result=result.strip(), handled_on=on)
        )

    def sign_off(self, *, signed_by: str, on: dt.date) -> None:
        if self.handled_on is None:
            raise Refused("事项尚未办结，不能签收 (not handled yet: cannot be signed off)")
        if self.signed_off_on is not None:
            raise Refused(f"该事项已于 {self.signed_off_on} 签收 (already signed off)")
        if not signed_by.strip():
            raise Refused("须注明签收人 (who signed)")
        not_before(on, self.handled_on, "签收", "办结")
        self._record(
            AgencyRequestSignedOff(
                item_id=self.item_id, signed_by=signed_by.strip(), signed_off_on=on
            )
        )

    def _apply(self, event: Event) -> None:
        match event:
            case AgencyRequestReceived():
                self.item_id, self.village = event.item_id, event.village
                self.applicant, self.matter = event.applicant, event.matter
                self.agent, self.received_on = event.agent, event.received_on
            case AgencyRequestHandled():
                self.handled_on, self.result = event.handled_on, event.result
            case AgencyRequestSignedOff():
                self.signed_off_on, self.signed_by = event.signed_off_on, event.signed_by
