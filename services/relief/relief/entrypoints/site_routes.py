"""HTTP routes of measures 2 and 3: livelihood projects (民生实事), community service sites,
village service stations with their duty rota, and the agency-service ledger (代办台账)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from relief.application import commands as c
from relief.domain.projects import LivelihoodProject, ProjectStatus, project_stream
from relief.domain.sites import (
    AgencyItem,
    CommunityServiceSite,
    ServiceStation,
    agency_stream,
    site_stream,
    station_stream,
)
from relief.entrypoints import schemas as s
from relief.entrypoints import views
from relief.entrypoints.deps import Reader, Writer, reader, run, scope_of, service, village_filter
from shared.kernel import NotFound

router = APIRouter(prefix="/api/v1", tags=["measures 2–3 民生实事与阵地建设"])


# --- livelihood projects -----------------------------------------------------------------------


@router.post(
    "/livelihood-projects",
    status_code=201,
    summary="列入惠民项目清单（镇级或村级） (list a livelihood project, town or village level)",
)
async def list_project(body: s.ProjectIn, request: Request, who: Writer) -> dict[str, Any]:
    cmd = c.ListLivelihoodProject(
        occurred_on=body.occurred_on,
        name=body.name,
        category=body.category,
        village=body.village or None,
        description=body.description,
        lead_unit=body.lead_unit,
        budget=body.budget,
        due_on=body.due_on,
        project_id=s.client_id(body.project_id),
    )
    return await run(request, who, cmd)


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
    rows = [views.project(p) for p in found if status in (None, p.status)]
    if level == "village":
        rows = [r for r in rows if r["village"]]
    return {"count": len(rows), "projects": rows}


async def _project(request: Request, who: Reader, project_id: str) -> LivelihoodProject:
    project = await reader(request).load(LivelihoodProject, project_stream(project_id))
    if not project.exists:
        raise NotFound(f"民生项目 {project_id} 不存在 (no such project)")
    if project.village:  # the town's list is open to every official
        scope_of(who).check(project.village)
    return project


@router.get("/livelihood-projects/{project_id}", summary="一个民生项目 (one livelihood project)")
async def project(project_id: str, request: Request, who: Reader) -> dict[str, Any]:
    return views.project(await _project(request, who, project_id))


@router.post("/livelihood-projects/{project_id}/start", summary="开工 (start work)")
async def start(
    project_id: str, request: Request, who: Writer, body: s.Versioned | None = None
) -> dict[str, Any]:
    body = body or s.Versioned()
    cmd = c.StartProject(
        occurred_on=body.occurred_on, expected_version=body.expected_version, project_id=project_id
    )
    return await run(request, who, cmd)


@router.post(
    "/livelihood-projects/{project_id}/accept", summary="验收 (accept the finished project)"
)
async def accept(
    project_id: str, body: s.AcceptIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.AcceptProject(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        project_id=project_id,
        accepted_by=body.accepted_by,
        result=body.result,
    )
    return await run(request, who, cmd)


@router.post(
    "/livelihood-projects/{project_id}/after-care", summary="后续管理记录 (record after-care)"
)
async def after_care(
    project_id: str, body: s.AfterCareIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.RecordAfterCare(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        project_id=project_id,
        responsible=body.responsible,
        note=body.note,
    )
    return await run(request, who, cmd)


# --- community service sites --------------------------------------------------------------------


@router.post(
    "/service-sites",
    status_code=201,
    summary="登记社区服务场所 (register a community service site)",
)
async def register_site(body: s.SiteIn, request: Request, who: Writer) -> dict[str, Any]:
    cmd = c.RegisterCommunitySite(
        occurred_on=body.occurred_on,
        community=body.community,
        name=body.name,
        area_m2=body.area_m2,
        office_area_m2=body.office_area_m2,
        site_id=s.client_id(body.site_id),
    )
    return await run(request, who, cmd)


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
    minimum = service(request).policy.targets.community_site_min_area_m2
    return {"count": len(found), "sites": [views.site(x, minimum) for x in found]}


@router.get("/service-sites/{site_id}", summary="一个社区服务场所 (one community service site)")
async def site(site_id: str, request: Request, who: Reader) -> dict[str, Any]:
    found = await reader(request).load(CommunityServiceSite, site_stream(site_id))
    if not found.exists:
        raise NotFound(f"社区服务场所 {site_id} 不存在 (no such site)")
    scope_of(who).check(found.community)
    return views.site(found, service(request).policy.targets.community_site_min_area_m2)


@router.post(
    "/service-sites/{site_id}/expand",
    summary="扩大面积（调剂、划拨、新建改扩建） (enlarge: reassigned, allotted, built or extended)",
)
async def expand(site_id: str, body: s.ExpandIn, request: Request, who: Writer) -> dict[str, Any]:
    cmd = c.ExpandCommunitySite(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        site_id=site_id,
        area_m2=body.area_m2,
        method=body.method,
    )
    return await run(request, who, cmd)


@router.post(
    "/service-sites/{site_id}/five-unified",
    summary="完成“五统一”项目 (complete an item of the five unified)",
)
async def five_unified(
    site_id: str, body: s.FiveUnifiedIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.CompleteFiveUnified(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        site_id=site_id,
        items=body.items,
    )
    return await run(request, who, cmd)


@router.post(
    "/service-sites/{site_id}/certify",
    summary="认定达标（≥600 m² 且五统一） (certify: at least 600 m² and five unified)",
)
async def certify(
    site_id: str, request: Request, who: Writer, body: s.Versioned | None = None
) -> dict[str, Any]:
    body = body or s.Versioned()
    cmd = c.CertifySiteCompliant(
        occurred_on=body.occurred_on, expected_version=body.expected_version, site_id=site_id
    )
    return await run(request, who, cmd)


# --- village service stations and the agency ledger -----------------------------------------------


@router.post(
    "/service-stations",
    status_code=201,
    summary="设立村级便民服务站（每村一个） (set up a village service station, one per village)",
)
async def designate(body: s.StationIn, request: Request, who: Writer) -> dict[str, Any]:
    cmd = c.DesignateServiceStation(
        occurred_on=body.occurred_on, village=body.village, name=body.name, address=body.address
    )
    return await run(request, who, cmd)


async def _station(request: Request, village: str) -> ServiceStation:
    known = service(request).town.known_village(village)
    return await reader(request).load(ServiceStation, station_stream(known.code))


@router.get(
    "/service-stations/{village}",
    summary="一个村的便民服务站与值班表 (a village's service station and duty rota)",
)
async def station(village: str, request: Request, who: Reader) -> dict[str, Any]:
    scope_of(who).check(village)
    found = await _station(request, village)
    if not found.exists:
        raise NotFound(f"{village} 尚未设立便民服务站 (no service station)")
    return views.station(found)


@router.post(
    "/service-stations/{village}/duty-rota",
    summary="发布值班表（工作日须全覆盖） (publish the duty rota; every working day covered)",
)
async def duty_rota(village: str, body: s.RotaIn, request: Request, who: Writer) -> dict[str, Any]:
    cmd = c.PublishDutyRota(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        village=village,
        shifts=[x.shift() for x in body.shifts],
    )
    return await run(request, who, cmd)


@router.post(
    "/agency-items", status_code=201, summary="代办台账：受理 (agency ledger: accept an errand)"
)
async def receive(body: s.AgencyIn, request: Request, who: Writer) -> dict[str, Any]:
    cmd = c.ReceiveAgencyRequest(
        occurred_on=body.occurred_on,
        village=body.village,
        applicant=body.applicant,
        matter=body.matter,
        agent=body.agent,
        item_id=s.client_id(body.item_id),
    )
    return await run(request, who, cmd)


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
    rows = [views.agency_item(i) for i in found if status in (None, i.status)]
    return {"count": len(rows), "items": rows}


@router.get("/agency-items/{item_id}", summary="一件代办事项 (one agency item)")
async def agency_item(item_id: str, request: Request, who: Reader) -> dict[str, Any]:
    found = await reader(request).load(AgencyItem, agency_stream(item_id))
    if not found.exists:
        raise NotFound(f"代办事项 {item_id} 不存在 (no such item)")
    scope_of(who).check(found.village)
    return views.agency_item(found)


@router.post("/agency-items/{item_id}/handle", summary="代办台账：办结 (agency ledger: handled)")
async def handle(item_id: str, body: s.HandleIn, request: Request, who: Writer) -> dict[str, Any]:
    cmd = c.HandleAgencyRequest(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        item_id=item_id,
        result=body.result,
    )
    return await run(request, who, cmd)


@router.post(
    "/agency-items/{item_id}/sign-off", summary="代办台账：签收 (agency ledger: signed for)"
)
async def sign_off(
    item_id: str, body: s.SignOffIn, request: Request, who: Writer
) -> dict[str, Any]:
    cmd = c.SignOffAgencyRequest(
        occurred_on=body.occurred_on,
        expected_version=body.expected_version,
        item_id=item_id,
        signed_by=body.signed_by,
    )
    return await run(request, who, cmd)
