"""Demo data for the supervision service, through its own HTTP API:

    python -m supervision.demo [--base-url http://127.0.0.1:8103]

Registers the plan's 14 measures (streams `measure-2016-01` … `measure-2016-14`), then the
cases in `demo_data.yaml`: 12 ledger items across the three lists, the three sources and
every status; 7 petitions across the focus areas (one a repeat of an earlier case); 5
directives from every level; 5 clues, two ending in accountability for party members, one
dismissed. Everything is dated 2016–2017 with `occurred_on`.

Deterministic and idempotent: an entity's id is `uuid5(DEMO_NAMESPACE, "<kind>:<key>")`
(`demo_id(kind, key)`), and each step is sent with the `expected_version` it follows, so a
second run skips what is stored (and an interrupted run resumes where it stopped).

Overdue, as of the day asked (items unless marked):
- 2016-09-30: `jinxia-pairing-ledger`; directive `city-environment`;
- 2016-12-31: `meilin-water`; directive `city-environment`;
- 2017-06-30: `meilin-water`, `hongqi-zero-income`, `taohua-favouritism`; directive
  `city-environment`;
- today: also `baishi-open-finance` (reopened with a new deadline), `tianyi-community-site`;
  directives `zero-income-plan` and `county-fund-self-check`.

Village governance (measure 6, `load_governance`): lists of small powers for 石壁村, 金霞村
and 梅林村 for 2016 and 2017 (石壁村's 2017 list republished as version 2); a supervision
committee (chair and two members) in every village but 龙口村 and 响塘村, each reporting for
2016 and 2017 — except 白石村, whose 2016 report is overdue (the check of 2017-02-10 raises it
once); a member of 金霞村 replaced; two committee findings on the problem list; the facts of
the 2016 appraisal.

Party members named by accountability decisions — the party demo creates them (ids fit
party's `member-…` pattern):
- `member-demo-shibi-01` 黄建华, 石壁村党支部, 村会计 — 党内警告, decided 2016-08-01;
- `member-demo-jinxia-01` 刘志强, 金霞村党支部, 村委委员 — 撤销党内职务, decided 2017-05-15.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from demo.client import DemoError, answer, demo_headers, demo_issuer, written
from shared.cli import run_cli
from shared.progress import Progressing, counting
from shared.town import load_town

DEMO_NAMESPACE = uuid.UUID("9b0d3c55-1f7e-4f3e-8d7e-3b1f5c2a6e01")
DEMO_DATA = Path(__file__).resolve().parent / "demo_data.yaml"
KINDS = ("items", "petitions", "directives", "clues")
#: About how many requests the governance data sends (for the progress bar).
GOVERNANCE_REQUESTS = 180
#: Who reads each kind of entity (to see how far a previous run got).
READERS = {
    "items": "secretary",
    "petitions": "deputy",
    "directives": "secretary",
    "clues": "discipline",
}


def demo_id(kind: str, key: str) -> str:
    """The id the demo gives an entity (for other demos and tests to refer to)."""
    return str(uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}"))


@dataclass(frozen=True)
class Step:
    """One state change: `POST /api/v1/<kind>/<id>/<verb>` by `by`, dated `on`."""

    verb: str
    on: str
    by: str
    body: dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One demo entity: created by `by` on `on`, then taken through its steps."""

    kind: str
    key: str
    on: str
    by: str
    body: dict[str, Any]
    steps: tuple[Step, ...]

    @property
    def id(self) -> str:
        return demo_id(self.kind, self.key)


def load_cases(path: Path = DEMO_DATA) -> list[Case]:
    """The demo cases, in the order they are loaded (kinds in `KINDS` order)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for kind in KINDS:
        for raw in data.get(kind, []):
            body = dict(raw.get("body", {}))
            if kind == "petitions" and body.get("repeat_of"):
                body["repeat_of"] = demo_id("petitions", body["repeat_of"])
            steps = tuple(
                Step(
                    str(s["verb"]),
                    str(s["day"]),
                    str(s["by"]),
                    {k: v for k, v in s.items() if k not in ("verb", "day", "by")},
                )
                for s in raw.get("steps", [])
            )
            cases.append(Case(kind, raw["key"], str(raw["day"]), raw["by"], body, steps))
    return cases


class Loader:
    """Sends the demo data, skipping what a previous run stored."""

    def __init__(self, client: httpx.Client, headers: dict[str, dict[str, str]]) -> None:
        self.client = client
        self.headers = headers
        self.sent = 0
        self.skipped = 0

    def post(self, path: str, body: dict[str, Any], user: str) -> dict[str, Any]:
        result: dict[str, Any] = answer(
            self.client.post(path, json=body, headers=self.headers[user])
        )
        self.sent += 1
        return result

    def load(self, case: Case) -> None:
        base = f"/api/v1/{case.kind}"
        found = self.client.get(f"{base}/{case.id}", headers=self.headers[READERS[case.kind]])
        if found.status_code == 404:
            body = {"id": case.id, "occurred_on": case.on, **case.body}
            version = int(self.post(base, body, case.by)["version"])
        else:
            version = int(answer(found, 200)["version"])
            self.skipped += 1
        for n, step in enumerate(case.steps, start=1):
            if version >= 1 + n:  # each step appends one event: this one is stored already
                self.skipped += 1
                continue
            body = {**step.body, "occurred_on": step.on, "expected_version": version}
            version = int(self.post(f"{base}/{case.id}/{step.verb}", body, step.by)["version"])


#: Surnames and given names the demo's committee members are made of (deterministic).
_SURNAMES = "周李陈王刘张杨黄赵吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = ("国平", "秀英", "建华", "春生", "桂兰", "志强", "玉梅", "德明", "爱民", "淑珍", "海波")
_POSITIONS = ("主任", "委员", "委员")


def member_name(n: int) -> str:
    return _SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n * 7) % len(_GIVEN)]


def load_governance(path: Path = DEMO_DATA) -> dict[str, Any]:
    """The governance part of the demo data (lists of small powers, committees, facts)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: data[k] for k in ("power_lists", "committees", "appraisal_facts")}


class Governance:
    """Sends the governance demo data through the API, skipping what a run stored already."""

    def __init__(self, loader: Loader, data: dict[str, Any]) -> None:
        self.loader = loader
        self.client = loader.client
        self.headers = loader.headers
        self.data = data

    def get(self, path: str, user: str = "secretary") -> httpx.Response:
        return self.client.get(path, headers=self.headers[user])

    def load(self) -> None:
        self.power_lists()
        self.committees()
        self.facts()

    def power_lists(self) -> None:
        seen: dict[tuple[str, int], int] = {}
        for entry in self.data["power_lists"]:
            key = (str(entry["village"]), int(entry["year"]))
            seen[key] = seen.get(key, 0) + 1
            path = f"/api/v1/power-lists/{key[0]}/{key[1]}"
            current = answer(self.get(path), 200)
            if len(current["versions"]) >= seen[key]:
                self.loader.skipped += 1
                continue
            body: dict[str, Any] = {"occurred_on": str(entry["day"])}
            if entry.get("items"):
                body["items"] = entry["items"]
            self.loader.post(path, body, str(entry["by"]))

    def committees(self) -> None:
        spec = self.data["committees"]
        villages = [
            v for v in load_town().villages if v.kind == "village" and v.name not in spec["without"]
        ]
        changes = {c["village"]: c for c in spec.get("changes", [])}
        for n, village in enumerate(villages):
            base = f"/api/v1/committees/{village.name}"
            found = self.get(base)
            view = answer(found, 200) if found.status_code != 404 else None
            members = {m["member_id"]: m for m in (view["members"] if view else [])}
            reports = {r["year"]: r["status"] for r in (view["reports"] if view else [])}
            for k, position in enumerate(_POSITIONS, start=1):
                member_id = f"{village.code}-m{k}"
                if member_id in members:
                    self.loader.skipped += 1
                    continue
                body: dict[str, Any] = {
                    "member_id": member_id,
                    "name": member_name(3 * n + k),
                    "position": position,
                    "occurred_on": str(spec["appointed_on"]),
                }
                self.loader.post(f"{base}/members", body, "organisation")
            change = changes.get(village.name)
            if change is not None:
                self.replace(base, village.code, change, members)
            for year in (2016, 2017):
                if year == 2016 and village.name == spec["overdue"]:
                    continue
                if reports.get(year) in ("reported", "late"):
                    self.loader.skipped += 1
                    continue
                report: dict[str, Any] = {
                    "year": year,
                    "to_party_organisation": True,
                    "to_representatives": True,
                    "summary": f"{village.name}村务监督委员会{year}年度工作报告："
                    "监督村务、财务公开，审核财务收支，列席村“两委”会议",
                    "occurred_on": str(spec[f"reported_{year}_on"]),
                }
                self.loader.post(f"{base}/reports", report, "organisation")
        for finding in spec.get("findings", []):
            body = {
                "id": demo_id("findings", str(finding["key"])),
                "title": finding["title"],
                "detail": finding.get("detail", ""),
                "occurred_on": str(finding["day"]),
            }
            path = f"/api/v1/committees/{finding['village']}/findings"
            response = self.client.post(path, json=body, headers=self.headers[finding["by"]])
            if written(response):
                self.loader.sent += 1
            else:
                self.loader.skipped += 1
        self.check(spec["check"])  # raises 白石村's 2016 report once; again, nothing

    def replace(
        self, base: str, code: str, change: dict[str, Any], members: dict[str, Any]
    ) -> None:
        leaving = f"{code}-m{change['leaves']}"
        if members.get(leaving, {}).get("left_on") is None:
            self.loader.post(
                f"{base}/members/{leaving}/leave", {"occurred_on": change["day"]}, "organisation"
            )
        successor = f"{code}-m{len(_POSITIONS) + 1}"
        if successor not in members:
            body = {
                "member_id": successor,
                "name": change["name"],
                "position": "委员",
                "occurred_on": change["day"],
            }
            self.loader.post(f"{base}/members", body, "organisation")

    def check(self, check: dict[str, Any]) -> None:
        body = {"year": check["year"], "occurred_on": str(check["day"])}
        self.loader.post("/api/v1/committee-reports/check", body, str(check["by"]))

    def facts(self) -> None:
        for entry in self.data["appraisal_facts"]:
            path = f"/api/v1/appraisal-facts/{entry['year']}"
            if self.get(path).status_code == 200:
                self.loader.skipped += 1
                continue
            self.loader.post(path, {"occurred_on": str(entry["day"])}, str(entry["by"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load the supervision demo data.")
    parser.add_argument("--base-url", default="http://127.0.0.1:8103")
    args = parser.parse_args(argv)
    cases = load_cases()
    governance = load_governance()
    users = (
        {"organisation", "secretary", "branch-shibi", "clerk-shibi"}
        | {c.by for c in cases}
        | {s.by for c in cases for s in c.steps}
    )
    headers = demo_headers(demo_issuer(), users)
    started = time.monotonic()
    requests = 1 + sum(1 + len(c.steps) for c in cases) + GOVERNANCE_REQUESTS
    with (
        Progressing("督查演示数据 (supervision demo)", requests) as progress,
        httpx.Client(base_url=args.base_url, timeout=30, event_hooks=counting(progress)) as client,
    ):
        loader = Loader(client, headers)
        try:
            plan = loader.post(
                "/api/v1/plan/register", {"occurred_on": "2016-03-01"}, "organisation"
            )
            for case in cases:
                loader.load(case)
            Governance(loader, governance).load()
        except (DemoError, httpx.HTTPError) as exc:
            print(f"supervision demo failed: {exc}", file=sys.stderr)
            return 1
        print(
            f"supervision demo: {len(plan['registered'])} measures registered now, "
            f"{len(plan['already_registered'])} already; {len(cases)} cases, "
            f"{loader.sent} requests sent, {loader.skipped} found stored; "
            f"{time.monotonic() - started:.1f}s"
        )
        for day in ("2016-09-30", "2016-12-31", "2017-06-30", None):
            params = {"as_of": day} if day else {}
            ledger = client.get("/api/v1/items", params=params, headers=headers["secretary"])
            body = ledger.json()
            print(f"  items overdue as of {day or 'today'}: {body['overdue']} of {body['count']}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, what="supervision demo"))
