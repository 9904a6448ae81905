"""Handlers of measures 2 and 3: livelihood projects, community service sites, village service
stations and their agency-service ledger."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

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
from relief.application.households import Result
from relief.application.ports import Env, UnitOfWorkPort
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

# --- livelihood projects ---------------------------------------------------------------------


async def list_project(cmd: ListLivelihoodProject, uow: UnitOfWorkPort, env: Env) -> Result:
    village = env.town.known_village(cmd.village).name if cmd.village else None
    env.scope.check(village)
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
        on=env.day,
    )
    if (await uow.load(LivelihoodProject, project.stream_id)).exists:
        raise AlreadyExists(f"项目 {project_id} 已存在 (project already listed)")
    uow.add(project)
    return project_id, project


async def _project(
    uow: UnitOfWorkPort, env: Env, project_id: str, expected: int | None
) -> LivelihoodProject:
    project = await uow.get(LivelihoodProject, project_stream(project_id), "民生项目 (project)")
    env.scope.check(project.village)
    check_version(project, expected)
    return project


async def start_project(cmd: StartProject, uow: UnitOfWorkPort, env: Env) -> Result:
    project = await _project(uow, env, cmd.project_id, cmd.expected_version)
    project.start(on=env.day)
    return cmd.project_id, project


async def accept_project(cmd: AcceptProject, uow: UnitOfWorkPort, env: Env) -> Result:
    project = await _project(uow, env, cmd.project_id, cmd.expected_version)
    project.accept(accepted_by=cmd.accepted_by, result=cmd.result, on=env.day)
    return cmd.project_id, project


async def after_care(cmd: RecordAfterCare, uow: UnitOfWorkPort, env: Env) -> Result:
    project = await _project(uow, env, cmd.project_id, cmd.expected_version)
    project.record_after_care(responsible=cmd.responsible, note=cmd.note, on=env.day)
    return cmd.project_id, project


# --- community service sites ----------------------------------------------------------------


async def register_site(cmd: RegisterCommunitySite, uow: UnitOfWorkPort, env: Env) -> Result:
    community = env.town.known_village(cmd.community)
    if community.kind != "community":
        raise Refused(
            f"{community.name} 不是社区；社区服务场所只登记社区的 (a community is required)"
        )
    env.scope.check(community.name)
    site_id = cmd.site_id or str(uuid7())
    site = CommunityServiceSite.register(
        site_id=site_id,
        community=community.name,
        name=cmd.name,
        area_m2=cmd.area_m2,
        office_area_m2=cmd.office_area_m2,
        on=env.day,
    )
    if (await uow.load(CommunityServiceSite, site.stream_id)).exists:
        raise AlreadyExists(f"场所 {site_id} 已存在 (site already registered)")
    uow.add(site)
    return site_id, site


async def _site(
    uow: UnitOfWorkPort, env: Env, site_id: str, expected: int | None
) -> CommunityServiceSite:
    site = await uow.get(CommunityServiceSite, site_stream(site_id), "社区服务场所 (site)")
    env.scope.check(site.community)
    check_version(site, expected)
    return site


async def expand_site(cmd: ExpandCommunitySite, uow: UnitOfWorkPort, env: Env) -> Result:
    site = await _site(uow, env, cmd.site_id, cmd.expected_version)
    site.expand(area_m2=cmd.area_m2, method=cmd.method, on=env.day)
    return cmd.site_id, site


async def five_unified(cmd: CompleteFiveUnified, uow: UnitOfWorkPort, env: Env) -> Result:
    site = await _site(uow, env, cmd.site_id, cmd.expected_version)
    site.complete_items(list(cmd.items), on=env.day)
    return cmd.site_id, site


async def certify_site(cmd: CertifySiteCompliant, uow: UnitOfWorkPort, env: Env) -> Result:
    site = await _site(uow, env, cmd.site_id, cmd.expected_version)
    site.certify_compliant(min_area_m2=env.policy.targets.community_site_min_area_m2, on=env.day)
    return cmd.site_id, site


# --- village service stations and the agency ledger -------------------------------------------


async def designate_station(cmd: DesignateServiceStation, uow: UnitOfWorkPort, env: Env) -> Result:
    village = env.town.known_village(cmd.village)
    env.scope.check(village.name)
    station = await uow.load(ServiceStation, station_stream(village.code))
    station.designate(
        village=village.name,
        village_code=village.code,
        name=cmd.name,
        address=cmd.address,
        on=env.day,
    )
    return village.name, station


async def _station(uow: UnitOfWorkPort, env: Env, village_name: str) -> ServiceStation:
    village = env.town.known_village(village_name)
    env.scope.check(village.name)
    return await uow.load(ServiceStation, station_stream(village.code))


async def publish_rota(cmd: PublishDutyRota, uow: UnitOfWorkPort, env: Env) -> Result:
    station = await _station(uow, env, cmd.village)
    if not station.exists:
        raise NotFound(f"{cmd.village} 尚未设立便民服务站 (no service station designated)")
    check_version(station, cmd.expected_version)
    station.publish_rota(list(cmd.shifts), on=env.day)
    return station.village, station


async def receive_agency(cmd: ReceiveAgencyRequest, uow: UnitOfWorkPort, env: Env) -> Result:
    station = await _station(uow, env, cmd.village)
    item_id = cmd.item_id or str(uuid7())
    item = AgencyItem.receive(
        station,
        item_id=item_id,
        applicant=cmd.applicant,
        matter=cmd.matter,
        agent=cmd.agent,
        on=env.day,
    )
    if (await uow.load(AgencyItem, item.stream_id)).exists:
        raise AlreadyExists(f"代办事项 {item_id} 已存在 (agency item already received)")
    uow.add(item)
    return item_id, item


async def _item(uow: UnitOfWorkPort, env: Env, item_id: str, expected: int | None) -> AgencyItem:
    item = await uow.get(AgencyItem, agency_stream(item_id), "代办事项 (agency item)")
    env.scope.check(item.village)
    check_version(item, expected)
    return item


async def handle_agency(cmd: HandleAgencyRequest, uow: UnitOfWorkPort, env: Env) -> Result:
    item = await _item(uow, env, cmd.item_id, cmd.expected_version)
    item.handle(result=cmd.result, on=env.day)
    return cmd.item_id, item


async def sign_off_agency(cmd: SignOffAgencyRequest, uow: UnitOfWorkPort, env: Env) -> Result:
    item = await _item(uow, env, cmd.item_id, cmd.expected_version)
    item.sign_off(signed_by=cmd.signed_by, on=env.day)
    return cmd.item_id, item


HANDLERS: dict[type[Any], Callable[[Any, UnitOfWorkPort, Env], Awaitable[Result]]] = {
    ListLivelihoodProject: list_project,
    StartProject: start_project,
    AcceptProject: accept_project,
    RecordAfterCare: after_care,
    RegisterCommunitySite: register_site,
    ExpandCommunitySite: expand_site,
    CompleteFiveUnified: five_unified,
    CertifySiteCompliant: certify_site,
    DesignateServiceStation: designate_station,
    PublishDutyRota: publish_rota,
    ReceiveAgencyRequest: receive_agency,
    HandleAgencyRequest: handle_agency,
    SignOffAgencyRequest: sign_off_agency,
}
