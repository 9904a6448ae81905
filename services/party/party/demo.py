"""Demo data for the party service, through its own HTTP API (as the organisation committee
member, 组织委员 陈芳):

    python -m party.demo [--base-url http://127.0.0.1:8104]

Deterministic and idempotent: every entity has a fixed id, a repeated create answers 409
(already exists) and is skipped, and every later step first reads the state and does only
what is missing. Everything is dated 2016–2017 with `occurred_on`.

Ids other services' demos may use:
- Branches (34): `branch-<village code>` for each village and community of `shared.town`, e.g.
  `branch-430321100201` 石壁村党支部, `branch-430321100202` 金霞村党支部; and
  `branch-organ-town`, `branch-organ-stations`, `branch-enterprise-textile` (天易社区),
  `branch-enterprise-agri` (梅林村).
- Members (300): `member-0001` … `member-0298`; member *i* belongs to branch number
  (*i* − 1) mod 34 in the order above (the town's villages and communities as listed in
  `shared/reference/430321100.yaml`, then the four others), so 石壁村 has `member-0001`,
  `-0035`, `-0069`, `-0103`, `-0137`, `-0171`, `-0205`, `-0239`, `-0273`; `member-0001` …
  `member-0034` are the secretaries (`member-0001` 黄军 of 石壁村, the demo user
  `branch-shibi`). Also `member-demo-shibi-01` 黄建华 (石壁村) and `member-demo-jinxia-01`
  刘志强 (金霞村), whom supervision's demo holds accountable (their 2016 is left ungraded so
  that the deduction of 2016-08-01 still applies).
- Probationary in 2015, converted a year later: `member-0050`, `-0070`, … every 20th to
  `member-0290`. Transferred on 2016-12-16: `member-0044` → 天易社区, `member-0188` → 镇机关.
- Points for 2016, graded on 2016-12-20; unqualified (不合格): `member-0037` (procedure
  concluded: corrected), `member-0112` (talked to), `member-0203` (identified).
- Training: a branch session every month of 2016 and January–March 2017
  (`training-<year>-<code>-<mm>`), county and town sessions for the secretaries (two miss the
  county one, three a town one), two entrepreneurship courses (56 members), 17 members in
  degree education.
- Assessment `2016` (share 10 %): 石壁村, 龙口村 and 响塘村 designated weak and lax on
  2017-01-06, rectification under way (石壁村's complete).
- Cadre adjustment `adjustment-demo-xiangtang-01` (响塘村, 村委会主任): at step ②.
- Appraisal `2016` (年度绩效考核, 述职评议 on 2017-01-12): the plan's twelve lead units and the
  secretaries of 石壁村, 金霞村, 梅林村, 龙口村 and 响塘村 reviewed; concluded on 2017-01-20 once
  party holds supervision's facts of 2016 (`supervision.AppraisalFactsRecorded`): the loader
  waits for them at most `--facts-wait` seconds, else leaves the conclusion to a later run and
  says so. The conclusion refers the bottom 10 % (and any 不称职) to 为官不为整治.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time
from collections.abc import Awaitable, Iterable
from decimal import Decimal
from typing import Any

import httpx

from demo.client import DemoError, answer, demo_headers, demo_issuer
from party import demo_data as data
from party.domain.periods import add_months
from shared.cli import run_cli
from shared.progress import Progressing, counting_async
from shared.town import load_town

UNQUALIFIED_STEPS: dict[str, list[tuple[str, dict[str, str]]]] = {
    "member-0037": [
        (
            "talk",
            {
                "talked_by": "黄军",
                "summary": "支部书记谈心谈话，指出问题",
                "occurred_on": "2016-12-26",
            },
        ),
        (
            "decision",
            {
                "decision": "rectify",
                "summary": "支部大会决定限期改正三个月",
                "occurred_on": "2017-01-10",
            },
        ),
        (
            "outcome",
            {
                "outcome": "corrected",
                "summary": "按期改正，恢复正常组织生活",
                "occurred_on": "2017-04-20",
            },
        ),
    ],
    "member-0112": [
        ("talk", {"talked_by": "支部书记", "summary": "谈话提醒", "occurred_on": "2016-12-27"})
    ],
}
RECTIFICATION = {
    "430321100201": (
        ("刘洋", "县财政局"),
        ("陈芳", "组织委员"),
        ("2017-02-16", "2017-05-11", "2017-08-17", "2017-11-09"),
        (186, 186, "2017-11-30"),
    ),
    "430321100221": (
        ("王磊", "县农业局"),
        ("王强", "党委副书记"),
        ("2017-03-02", "2017-06-15"),
        (140, 97, "2017-06-30"),
    ),
    "430321100222": (
        ("张敏", "县教育局"),
        ("周敏", "分管经济发展负责人"),
        ("2017-04-06",),
        (120, 40, "2017-05-31"),
    ),
}
ADJUSTMENT = "adjustment-demo-xiangtang-01"
#: Tries of a post that meets a concurrent change of the same stream (409, not "已存在").
ATTEMPTS = 5


class Api:
    """The party API for the loader: bounded concurrency, 409 "already exists" as done, a
    409 concurrent change tried again."""

    def __init__(self, client: httpx.AsyncClient, limit: int = 12) -> None:
        self.client = client
        self.limit = asyncio.Semaphore(limit)
        self.written = 0
        self.skipped = 0

    async def get(self, path: str) -> Any:
        """The state at `path`, or None if there is none (404)."""
        async with self.limit:
            response = await self.client.get(path)
        return None if response.status_code == 404 else answer(response, 200)

    async def post(self, path: str, body: dict[str, Any]) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            async with self.limit:
                response = await self.client.post(path, json=body)
            if response.status_code != 409 or _already_there(response) or attempt == ATTEMPTS:
                break
            await asyncio.sleep(0.05 * attempt)  # a concurrent change of the stream: retry
        if _already_there(response):
            self.skipped += 1
        else:
            answer(response)  # written (200/201), or DemoError naming the request and problem
            self.written += 1


def _already_there(response: httpx.Response) -> bool:
    """A 409 because what the post creates exists (not a concurrent change)."""
    if response.status_code != 409 or not response.content:
        return False
    return "已存在" in str(response.json().get("title", ""))


async def each(tasks: Iterable[Awaitable[None]]) -> None:
    await asyncio.gather(*tasks)


async def load(api: Api, facts_wait: float = 0) -> None:
    people = data.members()
    await each(
        api.post(
            "/api/v1/branches",
            {
                "branch_id": b.branch_id,
                "name": b.name,
                "kind": b.kind,
                "village": b.village,
                "occurred_on": "2016-01-04",
            },
        )
        for b in data.branches()
    )
    await each(
        api.post(
            "/api/v1/members",
            {
                "member_id": p.member_id,
                "branch_id": p.branch_id,
                "name": p.name,
                "id_number": p.id_number,
                "membership": p.membership,
                "joined_party_on": p.joined_party_on.isoformat(),
                "occurred_on": p.joined_on.isoformat(),
            },
        )
        for p in people
    )
    await each(secretary(api, p) for p in people if p.secretary)
    sessions = data.branch_sessions(people) + data.town_sessions(people)
    await each(api.post("/api/v1/training-sessions", s) for s in sessions)
    await each(points(api, p) for p in people)
    await each(
        api.post(
            f"/api/v1/members/{m}/degree-education",
            {
                "institution": "湖南广播电视大学湘潭分校",
                "level": "associate",
                "occurred_on": "2016-09-01",
            },
        )
        for m in data.DEGREE
    )
    await each(membership(api, p) for p in people)
    await each(
        api.post(
            f"/api/v1/members/{p.member_id}/grade", {"year": 2016, "occurred_on": "2016-12-20"}
        )
        for p in people
        if p.member_id not in data.NAMED
    )
    await each(unqualified(api, m, steps) for m, steps in UNQUALIFIED_STEPS.items())
    await assessment(api)
    await each(rectify(api, code, plan) for code, plan in RECTIFICATION.items())
    await adjustment(api)
    await appraisal(api, facts_wait)


async def secretary(api: Api, person: data.DemoMember) -> None:
    branch = await api.get(f"/api/v1/branches/{person.branch_id}")
    if (branch["secretary"] or {}).get("member_id") != person.member_id:
        body = {"member_id": person.member_id, "occurred_on": "2016-01-06"}
        await api.post(f"/api/v1/branches/{person.branch_id}/secretary", body)


async def points(api: Api, person: data.DemoMember) -> None:
    for record in person.points:  # one member's records in turn: they share a stream
        await api.post(f"/api/v1/members/{person.member_id}/points", record)


async def membership(api: Api, person: data.DemoMember) -> None:
    if person.membership == "probationary":
        state = await api.get(f"/api/v1/members/{person.member_id}")
        if state["status"] == "probationary":
            on = add_months(person.joined_party_on, 12) + dt.timedelta(days=7)
            await api.post(
                f"/api/v1/members/{person.member_id}/convert", {"occurred_on": on.isoformat()}
            )
    if person.member_id in data.TRANSFERS:
        state = await api.get(f"/api/v1/members/{person.member_id}")
        target = data.TRANSFERS[person.member_id]
        if state["branch_id"] != target:
            body = {"to_branch_id": target, "occurred_on": "2016-12-16"}
            await api.post(f"/api/v1/members/{person.member_id}/transfer", body)


async def unqualified(api: Api, member_id: str, steps: list[tuple[str, dict[str, str]]]) -> None:
    state = await api.get(f"/api/v1/members/{member_id}")
    [procedure] = [p for p in state["unqualified_procedures"] if p["year"] == 2016]
    order = ["identified", "talk", "decision", "outcome"]
    done = {"identified": 0, "talked": 1, "decided": 2, "concluded": 3}[procedure["step"]]
    for step, body in steps:
        if order.index(step) > done:
            await api.post(f"/api/v1/members/{member_id}/unqualified/2016/{step}", body)


async def assessment(api: Api) -> None:
    state = await api.get("/api/v1/assessments/2016")
    if state is None:
        body = {"period": "2016", "weak_share_percent": "10", "occurred_on": "2016-12-26"}
        await api.post("/api/v1/assessments", body)
    elif state["concluded"]:
        return
    for branch_id, items in data.assessment_scores().items():  # one stream: in turn
        score = {"branch_id": branch_id, "items": items, "occurred_on": "2016-12-28"}
        await api.post("/api/v1/assessments/2016/scores", score)
    await api.post("/api/v1/assessments/2016/conclude", {"occurred_on": "2017-01-06"})


async def rectify(api: Api, code: str, plan: tuple[Any, ...]) -> None:
    (first, first_unit), (leader, post), visits, (total, visited, counted_on) = plan
    path = f"/api/v1/branches/branch-{code}"
    state = (await api.get(path))["designation"]
    if state is None:
        return  # not designated (a changed demo); nothing to rectify
    if state["first_secretary"] is None:
        await api.post(
            f"{path}/first-secretary",
            {"name": first, "detail": first_unit, "occurred_on": "2017-01-20"},
        )
    if state["linked_leader"] is None:
        await api.post(
            f"{path}/linked-leader", {"name": leader, "detail": post, "occurred_on": "2017-01-20"}
        )
    for visit in visits:
        if visit not in state["leader_visits"]:
            body = {"name": leader, "detail": "到点指导整顿、帮助解决问题", "occurred_on": visit}
            await api.post(f"{path}/leader-visits", body)
    if state["households_visited"] != visited:
        body = {"households_total": total, "households_visited": visited, "occurred_on": counted_on}
        await api.post(f"{path}/household-visits", body)


async def adjustment(api: Api) -> None:
    path = f"/api/v1/cadre-adjustments/{ADJUSTMENT}"
    if await api.get(path) is None:
        await api.post(
            "/api/v1/cadre-adjustments",
            {
                "adjustment_id": ADJUSTMENT,
                "cadre_name": "周德明",
                "post": "村委会主任",
                "village": "响塘村",
                "grounds": ["长期不在岗，群众反映强烈", "对群众诉求推诿扯皮"],
                "summary": "镇党委通过信访和走访掌握情况",
                "occurred_on": "2016-10-12",
            },
        )
    if (await api.get(path))["step"] == "gathered":
        await api.post(
            f"{path}/investigation",
            {
                "committee": {"in_favour": 6, "against": 1, "abstaining": 0},
                "representatives": {"in_favour": 28, "against": 6, "abstaining": 3},
                "summary": "镇党委进村调查核实，召开支村两委会和村民代表大会表决",
                "occurred_on": "2016-11-03",
            },
        )


APPRAISAL = "/api/v1/appraisals/2016"
REVIEWED_ON, CONCLUDED_ON = "2017-01-12", "2017-01-20"


async def appraisal(api: Api, facts_wait: float) -> None:
    """述职评议 scores, then the conclusion on supervision's facts (when party has them)."""
    state = await api.get(APPRAISAL)
    if state is not None and state["concluded"]:
        return
    facts = await api.get(f"{APPRAISAL}/facts")
    scored = {
        (s["subject_kind"], s["subject"]): s["score"] for s in (state or {"scores": []})["scores"]
    }

    async def review(kind: str, subject: str, score: str) -> None:
        if Decimal(str(scored.get((kind, subject), "-1"))) != Decimal(score):
            body = {"subject_kind": kind, "subject": subject, "score": score}
            await api.post(f"{APPRAISAL}/scores", {**body, "occurred_on": REVIEWED_ON})
            scored[(kind, subject)] = score

    counted = {u["unit"]: u for u in facts["units"] if u["kind"] == "unit"} if facts else None
    for unit, score in data.LEAD_UNIT_REVIEWS.items():  # one stream: in turn
        if counted is None or unit in counted:
            await review("unit", unit, score)
    for code, score in data.SECRETARY_REVIEWS.items():
        await review("branch_secretary", f"branch-{code}", score)

    deadline = time.monotonic() + facts_wait
    while facts is None and time.monotonic() < deadline:
        await asyncio.sleep(1)
        facts = await api.get(f"{APPRAISAL}/facts")
    if facts is None:
        print(
            "party demo: 尚无督查方的 2016 年度考核事实，暂不结束年度绩效考核；"
            "记录事实后再运行一次 (no appraisal facts of 2016 from supervision yet: "
            "the conclusion is left to a later run)"
        )
        return
    for unit in facts["units"]:
        if unit["kind"] == "unit" and unit["measures_total"] > 0:
            await review(
                "unit", unit["unit"], data.LEAD_UNIT_REVIEWS.get(unit["unit"], data.DEFAULT_REVIEW)
            )
    counted_now = {(u["kind"], u["unit"]) for u in facts["units"]}
    villages = {f"branch-{v.code}": v.name for v in load_town().villages}
    wanted = {(k, s) if k == "unit" else ("village", villages.get(s, s)): s for k, s in scored}
    if missing := sorted(s for key, s in wanted.items() if key not in counted_now):
        print(
            f"party demo: 考核事实中没有 {', '.join(missing)}，暂不结束年度绩效考核 "
            "(subjects reviewed that the facts do not count: the conclusion is left)"
        )
        return
    await api.post(f"{APPRAISAL}/conclude", {"occurred_on": CONCLUDED_ON})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load the party service's demo data.")
    parser.add_argument("--base-url", default="http://127.0.0.1:8104")
    parser.add_argument(
        "--facts-wait",
        type=float,
        default=5.0,
        help="seconds to wait for supervision's appraisal facts of 2016 before leaving the "
        "appraisal's conclusion to a later run",
    )
    args = parser.parse_args(argv)
    headers = demo_headers(demo_issuer(), ("organisation",))["organisation"]
    started = time.monotonic()

    async def run() -> Api:
        with Progressing("党建演示数据 (party demo)", None) as progress:
            async with httpx.AsyncClient(
                base_url=args.base_url,
                headers=headers,
                timeout=60,
                event_hooks=counting_async(progress),
            ) as client:
                api = Api(client)
                await load(api, args.facts_wait)
                return api

    try:
        api = asyncio.run(run())
    except (DemoError, httpx.HTTPError) as exc:
        print(f"party demo failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"party demo: {api.written} written, {api.skipped} already there "
        f"({time.monotonic() - started:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, what="party demo"))
