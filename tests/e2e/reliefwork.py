"""Relief's work for the figures cross-check (test_figures_agree): households registered, paired
and visited, and the five activities' records, sent over HTTP as the agriculture leader
records them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from .support import AGRICULTURE, ok, on, resident_id


async def relief_work(relief: httpx.AsyncClient) -> None:
    """Households registered, paired and visited; the activities, with one student helped
    twice, a student of the same name in another village, and a doctor at two clinics."""
    homes = []
    for village in ("石壁村", "石壁村", "石壁村", "金霞村"):
        body = on(
            "2016-01-15",
            village=village,
            head_name=f"户主{uuid.uuid4().hex[:4]}",
            head_id_number=resident_id(),
            causes=["因病"],
            income_per_head="1800.00",
        )
        homes.append(
            (await ok(relief.post("/api/v1/households", json=body, headers=AGRICULTURE), 201))["id"]
        )
    for home, day in ((homes[0], "2016-02-01"), (homes[1], "2016-07-01"), (homes[3], "2016-07-02")):
        body = on(day, cadre_name="刘干部", cadre_post="镇农办")
        await ok(relief.post(f"/api/v1/households/{home}/pair", json=body, headers=AGRICULTURE))
    for home, day in ((homes[0], "2016-03-01"), (homes[0], "2016-06-01"), (homes[3], "2016-08-01")):
        body = on(day, notes="走访")
        await ok(
            relief.post(f"/api/v1/households/{home}/visits", json=body, headers=AGRICULTURE), 201
        )

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
