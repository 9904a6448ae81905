"""HTTP routes of measures 2 and 3: livelihood projects (民生实事), community service sites,
village service stations with their duty rota, and the agency-service ledger (代办台账)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from relief.application import commands as c
from relief.application import sites as handlers
from relief.domain.projects import LivelihoodProject, ProjectStatus, project_stream
from relief.domain.sites import (
    AgencyItem,
    CommunityServiceSite,
    ServiceStation,
    agency_stream,
    site_stream,
    station_stream,
)
from relief.entrypoints import presenters
from relief.entrypoints.deps import Reader, Writer, reader, relief, village_filter
from shared.command_routes import command
from shared.kernel import NotFound
from shared.pipeline import Scope

router = APIRouter(prefix="/api/v1", tags=["measures 2–3 民生实事与阵地建设"])


# --- livelihood projects -----------------------------------------------------------------------


command(
    router,
    "/livelihood-projects",
    c.ListLivelihoodProject,
    handlers.list_project,
    Writer,
    status_code=201,
    summary="列入惠民项目清单（镇级或村级） (list a livelihood project, town or village level)",
)


@router.get(
    "/livelihood-projects",
    summary="惠民项目清单（level=town 为镇级；按村、类别、状态） (livelihood projects)",
)
async def projects(
    request: Request,
    who: Reader,
    village: str | None = None,
    level: str | None = None,
    category: str | None = None,
    status: ProjectStatus | None = None,
) -> dict[str, Any]:
    where: dict[str, str | None] = {}
    if level == "town":  # the town's list is open to every official
        where["village"] = None
    elif scoped := village_filter(who, village):
        where["village"] = scoped
    if category:
        where["category"] = category
    found = await reader(request).load_all(
        LivelihoodProject, with_event="relief.LivelihoodProjectListed", where=where
    )
    rows = [presenters.project(p) for p in found if status in (None, p.status)]
    if level == "village":
        rows = [r for r in rows if r["village"]]
    return {"count": len(rows), "projects": rows}


async def _project(request: Request, who: Reader, project_id: str) -> LivelihoodProject:
    project = await reader(request).load(LivelihoodProject, project_stream(project_id))
    if not project.exists:
        raise NotFound(f"民生项目 {project_id} 不存在 (no such project)")
    if project.village:  # the town's list is open to every official
        Scope.of(who).check(project.village)
    return project


@router.get("/livelihood-projects/{project_id}", summary="一个民生项目 (one livelihood project)")
async def project(project_id: str, request: Request, who: Reader) -> dict[str, Any]:
    return presenters.project(await _project(request, who, project_id))


command(
    router,
    "/livelihood-projects/{project_id}/start",
    c.StartProject,
    handlers.start_project,
    Writer,
    summary="开工 (start work)",
)


command(
    router,
    "/livelihood-projects/{project_id}/accept",
    c.AcceptProject,
    handlers.accept_project,
    Writer,
    summary="验收 (accept the finished project)",
)


command(
    router,
    "/livelihood-projects/{project_id}/after-care",
    c.RecordAfterCare,
    handlers.after_care,
    Writer,
    summary="后续管理记录 (record after-care)",
)


# --- community service sites --------------------------------------------------------------------


command(
    router,
    "/service-sites",
    c.RegisterCommunitySite,
    handlers.register_site,
    Writer,
    status_code=201,
    summary="登记社区服务场所 (register a community service site)",
)


@router.get(
    "/service-sites",
    summary="社区服务场所（面积、五统一、达标） (community service sites)",
)
async def sites(request: Request, who: Reader, community: str | None = None) -> dict[str, Any]:
    where = village_filter(who, community)
    found = await reader(request).load_all(
        CommunityServiceSite,
        with_event="relief.CommunityServiceSiteRegistered",
        where={"community": where} if where else None,
    )
    minimum = relief(request).deps.policy.targets.community_site_min_area_m2
    return {"count": len(found), "sites": [presenters.site(x, minimum) for x in found]}


@router.get("/service-sites/{site_id}", summary="一个社区服务场所 (one community service site)")
async def site(site_id: str, request: Request, who: Reader) -> dict[str, Any]:
    found = await reader(request).load(CommunityServiceSite, site_stream(site_id))
    if not found.exists:
        raise NotFound(f"社区服务场所 {site_id} 不存在 (no such site)")
    Scope.of(who).check(found.community)
    return presenters.site(found, relief(request).deps.policy.targets.community_site_min_area_m2)


command(
    router,
    "/service-sites/{site_id}/expand",
    c.ExpandCommunitySite,
    handlers.expand_site,
    Writer,
    summary="扩大面积（调剂、划拨、新建改扩建） (enlarge: reassigned, allotted, built or extended)",
)


command(
    router,
    "/service-sites/{site_id}/five-unified",
    c.CompleteFiveUnified,
    handlers.five_unified,
    Writer,
    summary="完成“五统一”项目 (complete an item of the five unified)",
)


command(
    router,
    "/service-sites/{site_id}/certify",
    c.CertifySiteCompliant,
    handlers.certify_site,
    Writer,
    summary="认定达标（≥600 m² 且五统一） (certify: at least 600 m² and five unified)",
)


# --- village service stations and the agency ledger -----------------------------------------------


command(
    router,
    "/service-stations",
    c.DesignateServiceStation,
    handlers.designate_station,
    Writer,
    status_code=201,
    summary="设立村级便民服务站（每村一个） (set up a village service station, one per village)",
)


async def _station(request: Request, village: str) -> ServiceStation:
    known = relief(request).town.known_village(village)
    return await reader(request).load(ServiceStation, station_stream(known.code))


@router.get(
    "/service-stations/{village}",
    summary="一个村的便民服务站与值班表 (a village's service station and duty rota)",
)
async def station(village: str, request: Request, who: Reader) -> dict[str, Any]:
    Scope.of(who).check(village)
    found = await _station(request, village)
    if not found.exists:
        raise NotFound(f"{village} 尚未设立便民服务站 (no service station)")
    return presenters.station(found)


command(
    router,
    "/service-stations/{village}/duty-rota",
    c.PublishDutyRota,
    handlers.publish_rota,
    Writer,
    summary="发布值班表（工作日须全覆盖） (publish the duty rota; every working day covered)",
)


command(
    router,
    "/agency-items",
    c.ReceiveAgencyRequest,
    handlers.receive_agency,
    Writer,
    status_code=201,
    summary="代办台账：受理 (agency ledger: accept an errand)",
)


@router.get(
    "/agency-items", summary="代办台账（按村、状态） (agency ledger, by village and status)"
)
async def agency_items(
    request: Request, who: Reader, village: str | None = None, status: str | None = None
) -> dict[str, Any]:
    where = village_filter(who, village)
    found = await reader(request).load_all(
        AgencyItem,
        with_event="relief.AgencyRequestReceived",
        where={"village": where} if where else None,
    )
    rows = [presenters.agency_item(i) for i in found if status in (None, i.status)]
    return {"count": len(rows), "items": rows}


@router.get("/agency-items/{item_id}", summary="一件代办事项 (one agency item)")
async def agency_item(item_id: str, request: Request, who: Reader) -> dict[str, Any]:
    found = await reader(request).load(AgencyItem, agency_stream(item_id))
    if not found.exists:
        raise NotFound(f"代办事项 {item_id} 不存在 (no such item)")
    Scope.of(who).check(found.village)
    return presenters.agency_item(found)


command(
    router,
    "/agency-items/{item_id}/handle",
    c.HandleAgencyRequest,
    handlers.handle_agency,
    Writer,
    summary="代办台账：办结 (agency ledger: handled)",
)


command(
    router,
    "/agency-items/{item_id}/sign-off",
    c.SignOffAgencyRequest,
    handlers.sign_off_agency,
    Writer,
    summary="代办台账：签收 (agency ledger: signed for)",
)
