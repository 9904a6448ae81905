"""`python -m relief.demo [--base-url URL]`: the demo data through relief's own HTTP API.

Idempotent: every entity has a stable id (a second run gets 409 and adds nothing); a household
already registered is read back and only its missing steps are sent (each step carries the
stream version it expects). Concurrent over households with a small connection pool.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from demo.client import DemoError, demo_headers, demo_issuer, written
from relief import demo_data, demo_records
from relief.demo_data import DemoHousehold
from shared.cli import run_cli
from shared.progress import Progressing, counting_async
from shared.settings import Settings
from shared.town import Town, load_town


@dataclass
class Tally:
    """What the run did: created, already there, and anything unexpected."""

    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def record(self, what: str, response: httpx.Response, expected: int) -> bool:
        """True if the call did something; 409 means it was done before."""
        try:
            done = written(response, expected)
        except DemoError:
            self.failures.append(f"{what}: {response.status_code} {response.text[:300]}")
            return False
        self.counts[what if done else "already present"] += 1
        return done


class Loader:
    def __init__(
        self, client: httpx.AsyncClient, tokens: dict[str, dict[str, str]], tally: Tally
    ) -> None:
        self.client, self.tokens, self.tally = client, tokens, tally

    def headers(self, village: str | None) -> dict[str, str]:
        """石壁村's own clerk records 石壁村's work; the agriculture leader everything else."""
        return self.tokens["clerk-shibi" if village == "石壁村" else "agriculture"]

    async def post(
        self, what: str, url: str, body: dict[str, Any], village: str | None, expected: int = 200
    ) -> bool:
        response = await self.client.post(url, json=body, headers=self.headers(village))
        return self.tally.record(what, response, expected)

    async def household(self, h: DemoHousehold, limit: asyncio.Semaphore) -> None:
        async with limit:
            base = f"/api/v1/households/{h.household_id}"
            steps = h.steps
            if not await self.post("household", "/api/v1/households", h.register, h.village, 201):
                found = await self.client.get(base, headers=self.headers(h.village))
                if found.status_code != 200:
                    self.tally.failures.append(f"household {h.household_id}: {found.status_code}")
                    return
                steps = steps[found.json()["version"] - 1 :]
            for n, step in enumerate(steps, start=len(h.steps) - len(steps) + 1):
                body = step.body | {"expected_version": n}
                if not await self.post(
                    step.path.split("/")[-1], f"{base}/{step.path}", body, h.village, step.status
                ):
                    return

    async def chain(
        self,
        what: str,
        url: str,
        body: dict[str, Any],
        id_key: str,
        steps: list[tuple[str, dict[str, Any]]],
        village: str | None,
    ) -> None:
        """Create, then the state changes in order (each with its expected version)."""
        await self.post(what, url, body, village, 201)
        for verb, step in steps:
            await self.post(verb, f"{url}/{body[id_key]}/{verb}", step, village)


async def party_members(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, list[str]]:
    """Relief's view of the party members (from party.events), by village ("" = all)."""
    response = await client.get("/api/v1/party-members", headers=headers)
    response.raise_for_status()
    by_village: dict[str, list[str]] = {"": []}
    for m in response.json()["members"]:
        by_village[""].append(m["member_id"])
        by_village.setdefault(m["village"] or "", []).append(m["member_id"])
    return by_village


async def load(
    base_url: str,
    tokens: dict[str, dict[str, str]],
    town: Town,
    concurrency: int,
    progress: Progressing,
) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=60, event_hooks=counting_async(progress)
    ) as client:
        loader = Loader(client, tokens, tally)
        members = await party_members(client, loader.headers(None))
        limit = asyncio.Semaphore(concurrency)
        stories = [loader.household(h, limit) for h in demo_data.households(town, members)]

        async def ledgers() -> None:
            # One stream per activity: records of one activity go one after another.
            for activity, body in demo_records.activities():
                await loader.post(
                    activity, f"/api/v1/activities/{activity}", body, body["village"], 201
                )

        async def projects() -> None:
            for body, steps in demo_records.projects(town):
                await loader.chain(
                    "project",
                    "/api/v1/livelihood-projects",
                    body,
                    "project_id",
                    steps,
                    body["village"],
                )

        async def sites() -> None:
            for body, steps in demo_records.sites(town):
                await loader.chain(
                    "site", "/api/v1/service-sites", body, "site_id", steps, body["community"]
                )
            for station, rota in demo_records.stations(town):
                village = station["village"]
                await loader.post("station", "/api/v1/service-stations", station, village, 201)
                await loader.post(
                    "duty-rota", f"/api/v1/service-stations/{village}/duty-rota", rota, village
                )
            for body, steps in demo_records.agency_items():
                await loader.chain(
                    "agency item", "/api/v1/agency-items", body, "item_id", steps, body["village"]
                )

        await asyncio.gather(*stories, ledgers(), projects(), sites())
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load the relief demo data (idempotent).")
    parser.add_argument("--base-url", default="http://127.0.0.1:8101")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    settings = Settings()
    tokens = demo_headers(demo_issuer(settings), ("agriculture", "clerk-shibi"))
    started = time.monotonic()
    with Progressing("扶贫演示数据 (relief demo)", None) as progress:
        tally = asyncio.run(
            load(args.base_url, tokens, load_town(settings.town_code), args.concurrency, progress)
        )
    seconds = time.monotonic() - started
    done = ", ".join(f"{k} {v}" for k, v in sorted(tally.counts.items()))
    print(f"relief demo: {done or 'nothing to do'} ({seconds:.1f} s)")
    for failure in tally.failures[:20]:
        print(f"  failed: {failure}", file=sys.stderr)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(run_cli(main, what="relief demo"))
