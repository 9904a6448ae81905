"""`make fuzz` (issue 11): schemathesis against every service's OpenAPI document, with the token of
the role that owns the service and with a read-only role, through the examples, coverage,
fuzzing and stateful phases; the one check that must hold everywhere is that no input gets a
server error (5xx). A bounded run is part of `make test` (test_no_server_errors.py).

Each service runs in this process on a fresh schema of the given PostgreSQL and its own scratch
topics on the given Kafka (never `make run`'s data), served by uvicorn on a free loopback port;
schemathesis's CLI (`st run`) is run against it as a subprocess, writing a JUnit report that is
read back for the failures. Prints one line per service and role; exits non-zero on any server
error.

    python -m tests.fuzz.driver [--max-time SECONDS] [--services relief,funds] [--phases …]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from funds.bootstrap import build_app as build_funds
from party.bootstrap import build_app as build_party
from projection.bootstrap import build_app as build_projection
from projection.settings import ProjectionSettings
from relief.bootstrap import build_app as build_relief
from supervision.bootstrap import build_app as build_supervision

from shared.logs import configure_logging
from shared.roles import Principal, Role
from shared.settings import Settings
from shared.testing import Infra, served, service_settings, signed_token, unique

PHASES = "examples,coverage,fuzzing,stateful"


def _projection(settings: Settings) -> FastAPI:
    topics = ",".join(f"{unique('fuzz')}.{s}.events" for s in ("relief", "funds"))
    return build_projection(
        ProjectionSettings.from_settings(settings, LIANXIN_PROJECTION_TOPICS=topics)
    )


#: Each service, how it is built, the role that owns its commands, and a read-only role.
SERVICES: dict[str, tuple[Callable[[Settings], FastAPI], Role, Role]] = {
    "relief": (build_relief, Role.AGRICULTURE_LEADER, Role.AUDITOR),
    "funds": (build_funds, Role.ECONOMIC_LEADER, Role.AUDITOR),
    "supervision": (build_supervision, Role.DISCIPLINE_SECRETARY, Role.AUDITOR),
    "party": (build_party, Role.ORGANISATION_MEMBER, Role.AUDITOR),
    "projection": (_projection, Role.TOWN_SECRETARY, Role.AUDITOR),
}


@dataclass
class Outcome:
    """What one schemathesis run found: the operations it tested and the server errors."""

    service: str
    role: str
    returncode: int
    tests: int = 0
    server_errors: list[str] = field(default_factory=list)
    other_failures: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        verdict = (
            "0 server errors"
            if not self.server_errors
            else (f"{len(self.server_errors)} SERVER ERRORS")
        )
        return (
            f"{self.service:12} {self.role:22} {self.tests:4} operations tested, {verdict}"
            f" (other check failures {self.other_failures}; {self.seconds:.0f} s)"
        )


def _read_junit(path: Path, outcome: Outcome) -> None:
    if not path.exists():
        return
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        outcome.tests += 1
        for failure in [*case.iter("failure"), *case.iter("error")]:
            text = f"{failure.get('message') or ''}\n{failure.text or ''}"
            if "Server error" in text or "server error" in text.lower():
                outcome.server_errors.append(f"{case.get('name')}: {text.strip()[:2000]}")
            else:
                outcome.other_failures += 1


async def fuzz_one(
    name: str, base_url: str, role: Role, *, max_time: int, phases: str, seed: int | None
) -> Outcome:
    """One `st run` against one running service with one role's token."""
    token = signed_token(Principal(f"fuzz-{role.value}", "模糊测试", role))
    outcome = Outcome(name, role.value, returncode=-1)
    with tempfile.TemporaryDirectory(prefix="lianxin-fuzz-") as scratch:
        junit = Path(scratch) / "junit.xml"
        command = [
            str(Path(sys.executable).with_name("st")), "run", f"{base_url}/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--phases", phases,
            "--checks", "not_a_server_error",
            "--max-time", str(max_time),
            "--workers", "1",
            "--request-timeout", "30",
            "--suppress-health-check", "all",
            "--report", "junit", "--report-junit-path", str(junit),
            "--no-color",
        ]  # fmt: skip
        if seed is not None:
            command += ["--seed", str(seed)]
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            *command,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1"},
        )
        out, _ = await asyncio.wait_for(proc.communicate(), timeout=max_time * 4 + 300)
        outcome.seconds = time.monotonic() - started
        outcome.returncode = proc.returncode or 0
        _read_junit(junit, outcome)
        if outcome.returncode != 0 and not outcome.tests:
            raise RuntimeError(f"schemathesis did not run for {name}: {out.decode()[-3000:]}")
    return outcome


async def fuzz(
    infra: Infra,
    *,
    services: list[str] | None = None,
    max_time: int = 60,
    phases: str = PHASES,
    seed: int | None = None,
    read_only: bool = True,
) -> list[Outcome]:
    """Every asked service, served on a fresh schema, fuzzed with its owning role's token (and a
    read-only role's)."""
    outcomes: list[Outcome] = []
    for name in services or list(SERVICES):
        build, owner, reader = SERVICES[name]
        app = build(service_settings(infra, LIANXIN_TOPIC_SUFFIX="." + unique("fz")))
        async with served(app) as base_url:
            for role in (owner, reader) if read_only else (owner,):
                outcomes.append(
                    await fuzz_one(
                        name, base_url, role, max_time=max_time, phases=phases, seed=seed
                    )
                )
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.driver", description=__doc__)
    parser.add_argument("--max-time", type=int, default=120, help="seconds per service and role")
    parser.add_argument("--services", default=",".join(SERVICES))
    parser.add_argument("--phases", default=PHASES)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    bootstrap, url = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("DATABASE_URL")
    if not bootstrap or not url:
        print("KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL must be set (make fuzz sets them)")
        return 2
    names = [n for n in args.services.split(",") if n]
    unknown = sorted(set(names) - set(SERVICES))
    if unknown:
        print(f"unknown services: {', '.join(unknown)} (known: {', '.join(SERVICES)})")
        return 2
    configure_logging("fuzz", "WARNING")  # the services' own log lines would drown the report
    outcomes = asyncio.run(
        fuzz(
            Infra(bootstrap, url),
            services=names,
            max_time=args.max_time,
            phases=args.phases,
            seed=args.seed,
        )
    )
    for outcome in outcomes:
        print(outcome.line())
        for error in outcome.server_errors[:10]:
            print(f"    {error.splitlines()[0][:300]}")
    errors = sum(len(o.server_errors) for o in outcomes)
    print(f"fuzz: {errors} server errors across {len(outcomes)} runs")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
