"""Every service documents every operation one way: a Chinese summary with English in
parentheses — "建立党支部 (establish a branch)" — never the title FastAPI makes of the function's
name ("Establish", "List Branches")."""

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from shared.command_routes import MARK
from shared.testing import REPO, Infra, service_settings

# nothing is contacted: building an app opens no connection
NOWHERE = Infra("127.0.0.1:9", "postgresql+asyncpg://lianxin@127.0.0.1:9/lianxin")
SERVICES = sorted(p.parent.name for p in REPO.glob("services/*/*/bootstrap.py"))
CONVENTION = re.compile(r"(?P<zh>.*[\u4e00-\u9fff].*) \((?P<en>[A-Za-z][^()]*)\)")
METHODS = {"get", "post", "put", "patch", "delete"}


def operations(app: FastAPI) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", op)
        for path, item in app.openapi()["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


async def build(service: str) -> FastAPI:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    app: FastAPI = bootstrap.build_app(service_settings(NOWHERE))
    return app


def test_every_service_is_checked() -> None:
    assert {"relief", "funds", "supervision", "party", "projection"} <= set(SERVICES)
    assert all(Path(REPO, "services", s, s, "main.py").exists() for s in SERVICES)


@pytest.mark.parametrize("service", SERVICES)
async def test_every_operation_has_a_chinese_summary_with_english_in_parentheses(
    service: str,
) -> None:
    ops = operations(await build(service))
    assert len(ops) > 2, "the service has operations besides its health checks"
    undocumented = [
        f"{where}: {op.get('summary')!r}"
        for where, op in ops
        if not CONVENTION.fullmatch(op.get("summary") or "")
        # FastAPI's own summary: the function's name in title case ("List Branches")
        or op["operationId"].startswith(op["summary"].lower().replace(" ", "_"))
    ]
    assert not undocumented, "\n".join(undocumented)
    summaries = [op["summary"] for _, op in ops]
    assert len(set(summaries)) == len(summaries), "two operations share a summary"


WRITE_SERVICES = ("relief", "funds", "supervision", "party")
#: Writes that are not commands: the store's own checkpoint (`shared.integrity`), which every
#: write service's runtime serves.
STORE_OPERATIONS = {"POST /api/v1/integrity/checkpoints"}


@pytest.mark.parametrize("service", WRITE_SERVICES)
async def test_every_write_goes_through_the_shared_pipeline(service: str) -> None:
    """One way to handle a command: every write operation of a write service is a route of
    `shared.command_routes` (or a hand-written one that opens the shared pipeline and says so),
    answering the one shape, `WrittenOut`, unless it is declared custom."""
    ops = operations(await build(service))
    writes = [
        (where, op)
        for where, op in ops
        if not where.startswith("GET ") and where not in STORE_OPERATIONS
    ]
    assert len(writes) > 10, "the service has its write operations"
    outside = [where for where, op in writes if MARK not in op]
    assert outside == [], "writes outside the shared pipeline"
    for where, op in writes:
        if op[MARK] == "custom":
            continue
        answer = op["responses"].get("201") or op["responses"]["200"]
        schema = answer["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/WrittenOut"}, where


async def test_the_write_services_refuse_a_future_business_date_by_one_rule() -> None:
    """The business date is decided in one place: the pipeline's (`shared.clock.business_day`);
    no service keeps its own."""
    for service in WRITE_SERVICES:
        package = Path(REPO, "services", service, service)
        own = [
            str(path.relative_to(REPO))
            for path in package.rglob("*.py")
            if "business_day(" in path.read_text()
        ]
        assert own == [], f"{service} decides the business day itself"
