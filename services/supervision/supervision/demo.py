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

from demo.client import DemoError, answer, demo_headers, demo_issuer
from shared.cli import run_cli
from shared.progress import Progressing, counting

DEMO_NAMESPACE = uuid.UUID("9b0d3c55-1f7e-4f3e-8d7e-3b1f5c2a6e01")
DEMO_DATA = Path(__file__).resolve().parent / "demo_data.yaml"
KINDS = ("items", "petitions", "directives", "clues")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load the supervision demo data.")
    parser.add_argument("--base-url", default="http://127.0.0.1:8103")
    args = parser.parse_args(argv)
    cases = load_cases()
    users = (
        {"organisation", "secretary"}
        | {c.by for c in cases}
        | {s.by for c in cases for s in c.steps}
    )
    headers = demo_headers(demo_issuer(), users)
    started = time.monotonic()
    requests = 1 + sum(1 + len(c.steps) for c in cases)
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
