"""Relief's work for the figures cross-check (test_figures_agree, test_relief_figures_agree):
households registered, paired and visited, some taken out of poverty and one back into it, and
the five activities' records, sent over HTTP as the agriculture leader records them; then the
sites, stations, agency items and livelihood projects of measures 2 and 3 (sitework).

`household_figures` compares relief's `/households` with the projection's `relief/villages`."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import httpx

from .sitework import site_work
from .support import AGRICULTURE, ok, on, resident_id

EVERY_ROW = 500  # every household on one page of the projection's list

#: The villages of the households in the story; the household figures are compared for each
#: and for the town (None).
HOUSEHOLD_VILLAGES = (None, "石壁村", "金霞村", "梅林村")
GUARANTEES = {k: True for k in ("food", "clothing", "education", "medical", "housing")}


async def _register(relief: httpx.AsyncClient, village: str) -> str:
    body = on(
        "2016-01-15",
        village=village,
        head_name=f"户主{uuid.uuid4().hex[:4]}",
        head_id_number=resident_id(),
        causes=["因病"],
        income_per_head="1800.00",
    )
    created = await ok(relief.post("/api/v1/households", json=body, headers=AGRICULTURE), 201)
    household_id: str = created["id"]
    return household_id


async def _exit(relief: httpx.AsyncClient, home: str, day: str) -> None:
    """脱贫: the 2016 income above the line (2952) and the 两不愁三保障 met, then the exit."""
    base = f"/api/v1/households/{home}"
    income = on("2016-11-10", income_per_head="3600.00", year=2016)
    await ok(relief.post(f"{base}/assess-income", json=income, headers=AGRICULTURE))
    checks = on("2016-11-15", **GUARANTEES)
    await ok(relief.post(f"{base}/check-guarantees", json=checks, headers=AGRICULTURE))
    await ok(relief.post(f"{base}/exit", json=on(day), headers=AGRICULTURE))


async def relief_work(relief: httpx.AsyncClient) -> None:
    """Households registered, paired and visited (two exit poverty, one of them returns); the
    activities, with one student helped twice, a student of the same name in another village,
    and a doctor at two clinics; then measures 2 and 3 (sitework)."""
    villages = ("石壁村", "石壁村", "石壁村", "金霞村", "石壁村", "金霞村", "梅林村")
    homes = [await _register(relief, village) for village in villages]
    for home, day in (
        (homes[0], "2016-02-01"),
        (homes[1], "2016-07-01"),
        (homes[3], "2016-07-02"),
        (homes[4], "2016-07-03"),
        (homes[5], "2016-07-04"),
        (homes[6], "2016-07-05"),
    ):
        body = on(day, cadre_name="刘干部", cadre_post="镇农办")
        await ok(relief.post(f"/api/v1/households/{home}/pair", json=body, headers=AGRICULTURE))
    for home, day in (
        (homes[0], "2016-03-01"),
        (homes[0], "2016-06-01"),
        (homes[3], "2016-08-01"),
        (homes[5], "2016-08-02"),
    ):
        body = on(day, notes="走访")
        await ok(
            relief.post(f"/api/v1/households/{home}/visits", json=body, headers=AGRICULTURE), 201
        )
    await _exit(relief, homes[4], "2016-11-20")
    await _exit(relief, homes[5], "2016-11-20")
    back = on("2016-12-10", reason="因病返贫", income_per_head="2100.00")
    await ok(relief.post(f"/api/v1/households/{homes[5]}/return", json=back, headers=AGRICULTURE))
    await _activities(relief)
    await site_work(relief)


async def _activities(relief: httpx.AsyncClient) -> None:
    records: list[tuple[str, dict[str, Any]]] = [
        ("enterprise-pairings", on("2016-04-20", enterprise="湘潭某农业公司", village="石壁村")),
        ("posts", on("2016-05-10", village="石壁村", kind="public_welfare", posts=20)),
        ("posts", on("2016-08-01", village="金霞村", kind="employment", posts=12)),
        (
            "clinics",
            on("2016-06-15", village="石壁村", medical_staff=["医生甲", "医生乙"], patients=80),
        ),
        (
            "clinics",
            on("2016-08-10", village="金霞村", medical_staff=["医生乙", "护士丙"], patients=60),
        ),
    ]
    for student, village, day in (
        ("张小明", "石壁村", "2016-05-01"),
        ("张小明", "石壁村", "2016-08-20"),  # the same student, helped again
        ("李小红", "石壁村", "2016-08-21"),
        ("张小明", "金霞村", "2016-08-22"),  # another village's student of the same name
    ):
        records.append(
            ("students", on(day, village=village, student_name=student, support="学费资助"))
        )
    for path, body in records:
        await ok(relief.post(f"/api/v1/activities/{path}", json=body, headers=AGRICULTURE), 201)


async def household_figures(sides: Any, village: str | None) -> tuple[Any, Any]:
    """Relief's `/households` (each household's village, status, visits and whether paired;
    the count for each status filter) and the projection's `relief/villages` (its households
    list, the village rows and the cards), for the same village filter, as things stand now
    (relief's list has no as_of)."""
    query = {"village": village} if village else {}
    listed = await ok(sides.relief.get("/api/v1/households", params=query, headers=AGRICULTURE))
    homes = listed["households"]
    filtered = {}
    for status in ("registered", "exited", "returned"):
        found = await ok(
            sides.relief.get(
                "/api/v1/households", params=query | {"status": status}, headers=AGRICULTURE
            )
        )
        filtered[status] = found["count"]
    view = await sides.view("relief/villages", village=village, size=EVERY_ROW)
    listing = _table(view, "households")
    rows = _table(view, "villages")
    shown = {c["label"]: c for c in view["cards"]}
    by_village: dict[str, Counter[str]] = {}
    for h in homes:
        by_village.setdefault(h["village"], Counter())[h["status"]] += 1
    own = {
        "households": {
            h["household_id"]: (h["village"], h["status_label"], h["visits"], h["paired"])
            for h in homes
        },
        "by_status": filtered,
        "villages": {
            v: {
                "registered": c.total(),
                "poor": c["registered"],
                "exited": c["exited"],
                "returned": c["returned"],
            }
            for v, c in by_village.items()
        },
        "paired": f"{sum(h['paired'] for h in homes)} / {len(homes)}",
        "visited": f"{sum(bool(h['visits']) for h in homes)} / {len(homes)}",
    }
    assert listing["page"]["total"] == len(listing["rows"]), "every household on one page"
    projected = {
        "households": {
            r["stream_id"].removeprefix("household-"): (
                r["village"],
                r["status"],
                r["visits"],
                bool(r["helper_name"]),
            )
            for r in listing["rows"]
        },
        "by_status": {
            "registered": sum(r["poor"] for r in rows["rows"]),
            "exited": int(shown["已脱贫"]["value"]),
            "returned": int(shown["返贫"]["value"]),
        },
        "villages": {
            r["village"]: {k: r[k] for k in ("registered", "poor", "exited", "returned")}
            for r in rows["rows"]
            if r["registered"]
        },
        "paired": shown["结对帮扶"]["hint"],
        "visited": shown["走访覆盖"]["hint"],
    }
    assert int(shown["建档立卡户"]["value"]) == len(listing["rows"])
    return own, projected


def _table(view: dict[str, Any], name: str) -> dict[str, Any]:
    table: dict[str, Any] = next(t for t in view["tables"] if t["name"] == name)
    return table
