"""Handlers of measures 2 and 3: livelihood projects, community service sites, village service
stations and their agency-service ledger."""

from __future__ import annotations

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
from relief.application.ports import Work
from relief.domain.projects import LivelihoodProject, project_stream
from relief.domain.sites import (
    AgencyItem,
    CommunityServiceSite,
    ServiceStation,
    agency_stream,
    site_stream,
    station_stream,
)
from shared.ids import uuid7
from shared.kernel import AlreadyExists, NotFound, Refused, check_version
from shared.pipeline import Done

# --- livelihood projects ---------------------------------------------------------------------


async def list_project(cmd: ListLivelihoodProject, uow: Work) -> Done:
    village = uow.town.known_village(cmd.village).name if cmd.village else None
    uow.scope.check(village)
    project_id = cmd.project_id or str(uuid7())
    project = LivelihoodProject.list_project(
        project_id=project_id,
        name=cmd.name,
        category=cmd.category,
        village=village,
        description=cmd.description,
        lead_unit=cmd.lead_unit,
        budget=cmd.budget,
        due_on=cmd.due_on,
        on=uow.day,
    )
    if (await uow.load(LivelihoodProject, project.stream_id)).exists:
        raise AlreadyExists(f"项目 {project_id} 已存在 (project already listed)")
    uow.add(project)
    return project_id, project


async def _project(uow: Work, project_id: str, expected: int | None) -> LivelihoodProject:
    project = await uow.get(LivelihoodProject, project_stream(project_id), "民生项目 (project)")
    uow.scope.check(project.village)
    check_version(project, expected)
    return project


async def start_project(cmd: StartProject, uow: Work) -> Done:
    project = await _project(uow, cmd.project_id, cmd.expected_version)
    project.start(on=uow.day)
    return cmd.project_id, project


async def accept_project(cmd: AcceptProject, uow: Work) -> Done:
    project = await _project(uow, cmd.project_id, cmd.expected_version)
    project.accept(accepted_by=cmd.accepted_by, result=cmd.result, on=uow.day)
    return cmd.project_id, project


async def after_care(cmd: RecordAfterCare, uow: Work) -> Done:
    project = await _project(uow, cmd.project_id, cmd.expected_version)
    project.record_after_care(responsible=cmd.responsible, note=cmd.note, on=uow.day)
    return cmd.project_id, project


# --- community service sites ----------------------------------------------------------------


async def register_site(cmd: RegisterCommunitySite, uow: Work) -> Done:
    community = uow.town.known_village(cmd.community)
    if community.kind != "community":
        raise Refused(
            f"{community.name} 不是社区；社区服务场所只登记社区的 (a community is required)"
        )
    uow.scope.check(community.name)
    site_id = cmd.site_id or str(uuid7())
    site = CommunityServiceSite.register(
        site_id=site_id,
        community=community.name,
        name=cmd.name,
        area_m2=cmd.area_m2,
        office_area_m2=cmd.office_area_m2,
        on=uow.day,
    )
    if (await uow.load(CommunityServiceSite, site.stream_id)).exists:
        raise AlreadyExists(f"场所 {site_id} 已存在 (site already registered)")
    uow.add(site)
    return site_id, site


async def _site(uow: Work, site_id: str, expected: int | None) -> CommunityServiceSite:
    site = await uow.get(CommunityServiceSite, site_stream(site_id), "社区服务场所 (site)")
    uow.scope.check(site.community)
    check_version(site, expected)
    return site


async def expand_site(cmd: ExpandCommunitySite, uow: Work) -> Done:
    site = await _site(uow, cmd.site_id, cmd.expected_version)
    site.expand(area_m2=cmd.area_m2, method=cmd.method, on=uow.day)
    return cmd.site_id, site


async def five_unified(cmd: CompleteFiveUnified, uow: Work) -> Done:
    site = await _site(uow, cmd.site_id, cmd.expected_version)
    site.complete_items(list(cmd.items), on=uow.day)
    return cmd.site_id, site


async def certify_site(cmd: CertifySiteCompliant, uow: Work) -> Done:
    site = await _site(uow, cmd.site_id, cmd.expected_version)
    site.certify_compliant(
        min_area_m2=uow.deps.policy.targets.community_site_min_area_m2, on=uow.day
    )
    return cmd.site_id, site


# --- village service stations and the agency ledger -------------------------------------------


async def designate_station(cmd: DesignateServiceStation, uow: Work) -> Done:
    village = uow.town.known_village(cmd.village)
    uow.scope.check(village.name)
    station = await uow.load(ServiceStation, station_stream(village.code))
    station.designate(
        village=village.name,
        village_code=village.code,
        name=cmd.name,
        address=cmd.address,
        on=uow.day,
    )
    return village.name, station


async def _station(uow: Work, village_name: str) -> ServiceStation:
    village = uow.town.known_village(village_name)
    uow.scope.check(village.name)
    return await uow.load(ServiceStation, station_stream(village.code))


async def publish_rota(cmd: PublishDutyRota, uow: Work) -> Done:
    station = await _station(uow, cmd.village)
    if not station.exists:
        raise NotFound(f"{cmd.village} 尚未设立便民服务站 (no service station designated)")
    check_version(station, cmd.expected_version)
    station.publish_rota([s.shift() for s in cmd.shifts], on=uow.day)
    return station.village, station


async def receive_agency(cmd: ReceiveAgencyRequest, uow: Work) -> Done:
    station = await _station(uow, cmd.village)
    item_id = cmd.item_id or str(uuid7())
    item = AgencyItem.receive(
        station,
        item_id=item_id,
        applicant=cmd.applicant,
        matter=cmd.matter,
        agent=cmd.agent,
        on=uow.day,
    )
    if (await uow.load(AgencyItem, item.stream_id)).exists:
        raise AlreadyExists(f"代办事项 {item_id} 已存在 (agency item already received)")
    uow.add(item)
    return item_id, item


async def _item(uow: Work, item_id: str, expected: int | None) -> AgencyItem:
    item = await uow.get(AgencyItem, agency_stream(item_id), "代办事项 (agency item)")
    uow.scope.check(item.village)
    check_version(item, expected)
    return item


async def handle_agency(cmd: HandleAgencyRequest, uow: Work) -> Done:
    item = await _item(uow, cmd.item_id, cmd.expected_version)
    item.handle(result=cmd.result, on=uow.day)
    return cmd.item_id, item


async def sign_off_agency(cmd: SignOffAgencyRequest, uow: Work) -> Done:
    item = await _item(uow, cmd.item_id, cmd.expected_version)
    item.sign_off(signed_by=cmd.signed_by, on=uow.day)
    return cmd.item_id, item
