"""Relief's measures 2 and 3 for the figures cross-check (test_relief_figures_agree): community
service sites (one compliant, one enlarged but short of the 五统一, one with the 五统一 but too
small, one just registered), two village service stations with their agency ledgers (代办) in
every status, and livelihood projects (民生实事) at town and village level in every status, sent
over HTTP as the agriculture leader records them; and the comparisons of relief's
`/service-sites`, `/service-stations/{v}`, `/agency-items` and `/livelihood-projects` with the
projection's `relief/sites` and `relief/projects`."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import httpx
from projection.domain.catalogue import status_label
from projection.domain.relief import PROJECT, SITE

from shared.town import load_town

from .support import AGRICULTURE, ok, on

FIVE_UNIFIED = ["signage", "facade", "door_plates", "service_windows", "publicity_boards"]
#: (community, name, area m², enlarged to, five-unified items, certified) of each site.
SITES = (
    ("天易社区", "天易社区党群服务中心", "650", None, FIVE_UNIFIED, True),
    ("滨江社区", "滨江社区服务中心", "450", "620", FIVE_UNIFIED[:3], False),
    ("金桥社区", "金桥社区服务站", "500", None, FIVE_UNIFIED, False),  # too small
    ("梅花社区", "梅花社区服务站", "700", None, [], False),
)
STATIONS = ("石壁村", "金霞村")
#: (village, received on, handled on, signed off on) of each agency item.
AGENCY = (
    ("石壁村", "2016-03-10", "2016-03-12", "2016-03-13"),
    ("石壁村", "2016-04-01", "2016-04-05", None),
    ("石壁村", "2016-05-01", None, None),
    ("石壁村", "2016-05-02", "2016-05-03", "2016-05-04"),
    ("金霞村", "2016-04-10", None, None),
    ("金霞村", "2016-04-11", "2016-04-15", "2016-04-16"),
)
#: (name, category, village or None for the town, listed, started, accepted, after-care) of
#: each livelihood project; each is due 2016-11-30, but 金霞村's clinic by 2016-06-30 (逾期).
PROJECTS = (
    ("镇区公交站台改造", "transport", None, "2016-03-01", None, None, None),
    ("镇自来水管网延伸", "water", None, "2016-03-01", "2016-04-01", None, None),
    (
        "镇文化广场健身器材",
        "culture_fitness",
        None,
        "2016-03-01",
        "2016-04-01",
        "2016-09-01",
        "2016-10-01",
    ),
    ("石壁村危房改造", "housing", "石壁村", "2016-03-05", "2016-04-05", "2016-08-30", None),
    ("石壁村就业扶贫车间", "jobs", "石壁村", "2016-03-05", "2016-05-01", None, None),
    ("金霞村卫生室", "medical", "金霞村", "2016-03-10", None, None, None),
)
#: Relief's project statuses and the projection's, one lifecycle in two vocabularies (the
#: projection names its statuses after the events: listed, started → in progress).
PROJECT_STATUS = {
    "planned": "listed",
    "started": "in_progress",
    "accepted": "accepted",
    "after_care": "after_care",
}
#: The village filters the figures are compared for (None: the town).
SITE_COMMUNITIES = (None, "天易社区", "滨江社区")
AGENCY_VILLAGES = (None, *STATIONS)
PROJECT_VILLAGES = (None, "石壁村", "金霞村")


async def _post(
    relief: httpx.AsyncClient, path: str, body: dict[str, Any], status: int = 200
) -> Any:
    return await ok(relief.post(f"/api/v1/{path}", json=body, headers=AGRICULTURE), status)


async def site_work(relief: httpx.AsyncClient) -> None:
    """The sites, the stations and their agency ledgers, the livelihood projects."""
    await _sites(relief)
    await _stations_and_agency(relief)
    await _projects(relief)


async def _sites(relief: httpx.AsyncClient) -> None:
    for community, name, area, enlarged, items, certified in SITES:
        body = on("2016-03-01", community=community, name=name, area_m2=area)
        site = (await _post(relief, "service-sites", body, 201))["id"]
        if enlarged:
            body = on("2016-04-01", area_m2=enlarged, method="built")
            await _post(relief, f"service-sites/{site}/expand", body)
        if items:
            await _post(relief, f"service-sites/{site}/five-unified", on("2016-05-01", items=items))
        # 达标 is relief's to judge: the sites short of it are refused
        await _post(
            relief, f"service-sites/{site}/certify", on("2016-05-10"), 200 if certified else 422
        )


async def _stations_and_agency(relief: httpx.AsyncClient) -> None:
    for village in STATIONS:
        body = on("2016-03-01", village=village, name=f"{village}便民服务站")
        await _post(relief, "service-stations", body, 201)
    shifts = [{"weekday": d, "cadre": f"值班干部{d}"} for d in range(1, 6)]
    await _post(
        relief, f"service-stations/{STATIONS[0]}/duty-rota", on("2016-03-07", shifts=shifts)
    )
    for n, (village, received, handled, signed) in enumerate(AGENCY):
        body = on(
            received, village=village, applicant=f"群众{n}", matter="代办低保申请", agent="代办员"
        )
        item = (await _post(relief, "agency-items", body, 201))["id"]
        if handled:
            await _post(relief, f"agency-items/{item}/handle", on(handled, result="已办结"))
        if signed:
            await _post(relief, f"agency-items/{item}/sign-off", on(signed, signed_by=f"群众{n}"))


async def _projects(relief: httpx.AsyncClient) -> None:
    for name, category, village, listed, started, accepted, cared in PROJECTS:
        body = on(
            listed,
            name=name,
            category=category,
            village=village,
            lead_unit="镇政府",
            due_on="2016-06-30" if village == "金霞村" else "2016-11-30",
        )
        project = (await _post(relief, "livelihood-projects", body, 201))["id"]
        base = f"livelihood-projects/{project}"
        if started:
            await _post(relief, f"{base}/start", on(started))
        if accepted:
            await _post(
                relief, f"{base}/accept", on(accepted, accepted_by="镇验收组", result="合格")
            )
        if cared:
            await _post(
                relief, f"{base}/after-care", on(cared, responsible="村委会", note="定期维护")
            )


def _table(view: dict[str, Any], name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = next(t["rows"] for t in view["tables"] if t["name"] == name)
    return rows


def _cards(view: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["label"]: c for c in view["cards"]}


def _chart(view: dict[str, Any], name: str) -> dict[str, Any]:
    found = next(c for c in view["charts"] if c["name"] == name)
    series = found["series"][0]["data"]
    return {k: v for k, v in zip(found["categories"], series, strict=True) if v}


async def _get(sides: Any, path: str, **params: Any) -> Any:
    query = {k: v for k, v in params.items() if v is not None}
    return await ok(sides.relief.get(f"/api/v1/{path}", params=query, headers=AGRICULTURE))


async def site_figures(sides: Any, community: str | None) -> tuple[Any, Any]:
    """Relief's `/service-sites` (each site's community, name, area, 五统一 done and 达标; the
    compliant of all) and the projection's `relief/sites` (its sites table and card), for the
    same community filter, as things stand now (relief's list has no as_of)."""
    own = await _get(sides, "service-sites", community=community)
    view = await sides.view("relief/sites", village=community)
    compliant = sum(bool(s["compliant"]) for s in own["sites"])
    return (
        {
            "sites": {
                s["site_id"]: (
                    s["community"],
                    s["name"],
                    Decimal(s["area_m2"]),
                    sum(bool(i["done_on"]) for i in s["five_unified"].values()),
                    s["compliant"],
                )
                for s in own["sites"]
            },
            "compliant": f"{compliant} / {own['count']}",
        },
        {
            "sites": {
                r["stream_id"].removeprefix("site-"): (
                    r["village"],
                    r["site_name"],
                    Decimal(str(r["area_m2"])),
                    int(r["unified"].split("/")[0]),
                    r["status"] == status_label(SITE, "compliant"),
                )
                for r in _table(view, "sites")
            },
            "compliant": _cards(view)["社区服务场所达标"]["value"],
        },
    )


AGENCY_STATUSES = ("received", "handled", "signed_off")


async def agency_figures(sides: Any, village: str | None) -> tuple[Any, Any]:
    """Relief's `/agency-items` (counts by village and status, and for each status filter) and
    `/service-stations/{v}` (which villages have a station, its name and its items) against the
    projection's `relief/sites` (the agency ledger by village, the stations, the cards), for the
    same village filter, as things stand now."""
    items = (await _get(sides, "agency-items", village=village))["items"]
    by_status = {
        s: (await _get(sides, "agency-items", village=village, status=s))["count"]
        for s in AGENCY_STATUSES
    }
    per_village = Counter(i["village"] for i in items)
    stations = {}
    for name in [village] if village else load_town().names:
        found = await sides.relief.get(f"/api/v1/service-stations/{name}", headers=AGRICULTURE)
        assert found.status_code in (200, 404), found.text
        if found.status_code == 200:
            stations[name] = (found.json()["name"], per_village[name])
    view = await sides.view("relief/sites", village=village)
    ledger = _table(view, "agency")
    shown = _cards(view)
    return (
        {
            "by_village": Counter((i["village"], i["status"]) for i in items),
            "by_status": by_status,
            "total": len(items),
            "open": f"未办结 {by_status['received']}",
            "stations": stations,
        },
        {
            "by_village": Counter(
                {(r["village"], s): r[s] for r in ledger for s in AGENCY_STATUSES if r[s]}
            ),
            "by_status": {s: sum(r[s] for r in ledger) for s in AGENCY_STATUSES},
            "total": int(shown["代办事项"]["value"]),
            "open": shown["代办事项"]["hint"],
            "stations": {
                r["village"]: (r["station_name"], r["agency"]) for r in _table(view, "stations")
            },
        },
    )


def _project_label(status: str) -> str:
    return status_label(PROJECT, PROJECT_STATUS[status])


async def project_figures(sides: Any, village: str | None) -> tuple[Any, Any]:
    """Relief's `/livelihood-projects` (each project's level, village, category and status; the
    counts for each level, category and status filter) and the projection's `relief/projects`
    (its list, the status and category charts, the cards), for the same village filter, as
    things stand now (relief's list has no as_of)."""
    projects = (await _get(sides, "livelihood-projects", village=village))["projects"]
    by_status = {
        _project_label(s): n
        for s in PROJECT_STATUS
        if (n := (await _get(sides, "livelihood-projects", village=village, status=s))["count"])
    }
    categories = {p["category"]: p["category_label"] for p in projects}
    by_category = {
        label: (await _get(sides, "livelihood-projects", village=village, category=c))["count"]
        for c, label in categories.items()
    }
    statuses = Counter(p["status"] for p in projects)
    view = await sides.view("relief/projects", village=village)
    rows = _table(view, "projects")
    shown = _cards(view)
    own = {
        "projects": {
            p["project_id"]: (
                p["level"],
                p["village"] or "全镇",
                p["category_label"],
                _project_label(p["status"]),
            )
            for p in projects
        },
        "by_status": by_status,
        "by_category": by_category,
        "count": len(projects),
        "accepted": statuses["accepted"] + statuses["after_care"],
        "started": statuses["started"],
    }
    projected = {
        "projects": {
            r["stream_id"].removeprefix("project-"): (
                "town" if r["village"] == "全镇" else "village",
                r["village"],
                r["category"],
                r["status"],
            )
            for r in rows
        },
        "by_status": _chart(view, "by_status"),
        "by_category": _chart(view, "by_category"),
        "count": int(shown["项目总数"]["value"]),
        "accepted": int(shown["已验收"]["value"]),
        "started": int(shown["实施中"]["value"]),
    }
    if village is None:  # relief's level filter (level=town ignores the village filter)
        own["levels"] = {
            level: (await _get(sides, "livelihood-projects", level=level))["count"]
            for level in ("town", "village")
        }
        projected["levels"] = dict(Counter(level for level, *_ in projected["projects"].values()))
    return own, projected
