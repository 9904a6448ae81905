"""Every service documents every operation one way: a Chinese summary with English in
parentheses — "建立党支部 (establish a branch)" — never the title FastAPI makes of the function's
name ("Establish", "List Branches")."""

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

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
