"""The role × endpoint matrix (issue 18): every endpoint of every service called with every role,
and with a village-scoped token of another village where the endpoint names a village; what each
role gets is compared with the declared table `contracts/access.yaml`.

Each service is built in this process on a fresh schema and a topic of its own (the real
PostgreSQL and Kafka of the tests) and called through ASGI. Path parameters get a placeholder
(`石壁村` for a village), required query parameters a placeholder, bodies `{}`: a role the endpoint
admits then gets a 404 or 422 (or a 2xx where nothing is required), never 401/403; a role it does
not admit gets 403. A role is *admitted* when its call is answered with anything but 401/403.

    python tests/access/matrix.py --write   # regenerate contracts/access.yaml and access.md
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from fastapi import FastAPI
from funds.bootstrap import build_app as build_funds
from hypothesis import find
from hypothesis import strategies as st
from party.bootstrap import build_app as build_party
from projection.bootstrap import build_app as build_projection
from projection.settings import ProjectionSettings
from relief.bootstrap import build_app as build_relief
from supervision.bootstrap import build_app as build_supervision

from shared.kernel import make_resident_id
from shared.roles import Role
from shared.settings import Settings
from shared.testing import Infra, app_client, bearer, service_settings, unique

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "contracts" / "access.yaml"
README = ROOT / "README.md"
START, END = "<!-- access-matrix:start -->", "<!-- access-matrix:end -->"
OWN_VILLAGE, OTHER_VILLAGE = "石壁村", "金霞村"
#: Never issued to a person, but every service must still refuse what it may not do.
ROLES = list(Role)
NOWHERE = "http://127.0.0.1:9"
SKIPPED = {"/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"}
OUTCOMES = ("admitted", "refused", "unauthenticated", "error")


def _projection(settings: Settings) -> FastAPI:
    down = {
        f"LIANXIN_{s.upper()}_URL": NOWHERE for s in ("relief", "funds", "supervision", "party")
    }
    return build_projection(
        ProjectionSettings.from_settings(
            settings, LIANXIN_PROJECTION_TOPICS=f"{unique('acc')}.relief.events", **down
        )
    )


BUILDERS: dict[str, Callable[[Settings], FastAPI]] = {
    "relief": build_relief,
    "funds": build_funds,
    "supervision": build_supervision,
    "party": build_party,
    "projection": _projection,
}


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str
    required_query: tuple[str, ...]
    names_village: bool  # a `{village}` in the path, a `village` query parameter or body field
    body: dict[str, Any] | None  # a minimal body valid by the schema (None: the call has none)
    #: Path parameters that are numbers get a plausible one (a year 2016), so that a scope check
    #: is reached rather than a 422 for "x-none"; other parameters name nothing that exists.
    numbers: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, village: str) -> str:
        path = self.path
        while "{" in path:
            start, end = path.index("{"), path.index("}")
            name = path[start + 1 : end].split(":")[0]
            value = village if name == "village" else "x-none"
            if name in self.numbers:
                value = "2016" if name == "year" else "1"
            path = path[:start] + value + path[end + 1 :]
        query = {name: (village if name == "village" else "x") for name in self.required_query}
        if self.names_village:
            query["village"] = village
        return str(httpx.URL(path, params=query))


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every operation of the app's OpenAPI document (the JSON API; pages are not in it)."""
    found = []
    spec = app.openapi()
    components = spec.get("components", {}).get("schemas", {})
    for path, operations in spec["paths"].items():
        if path in SKIPPED:
            continue
        for method, op in operations.items():
            params = op.get("parameters", [])
            names = {p["name"] for p in params if p.get("in") == "query"}
            required = tuple(
                p["name"]
                for p in params
                if p.get("in") == "query" and p.get("required") and p["name"] != "village"
            )
            schema = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            body = Example(components).of(schema) if schema is not None else None
            in_body = isinstance(body, dict) and body.get("village") == OWN_VILLAGE
            found.append(
                Endpoint(
                    method=method.upper(),
                    path=path,
                    required_query=required,
                    names_village="{village}" in path or "village" in names or in_body,
                    body=body if isinstance(body, dict) else ({} if schema is not None else None),
                    numbers=tuple(
                        p["name"]
                        for p in params
                        if p.get("in") == "path"
                        and p.get("schema", {}).get("type") in ("integer", "number")
                    ),
                )
            )
    return sorted(found, key=lambda e: (e.path, e.method))


class Example:
    """A minimal instance of a JSON Schema: required fields only (and `village`), each with a
    plain valid value; a village is `石壁村`, an ID number a valid one, a date in 2016."""

    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components

    def of(self, schema: dict[str, Any], name: str = "") -> Any:
        if "$ref" in schema:
            return self.of(self.components[schema["$ref"].rsplit("/", 1)[-1]], name)
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                options = [o for o in schema[key] if o.get("type") != "null"]
                return self.of(options[0], name) if options else None
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        if "default" in schema and schema["default"] is not None:
            return schema["default"]
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            wanted = [*schema.get("required", []), *(["village"] if "village" in props else [])]
            return {key: self.of(props[key], key) for key in dict.fromkeys(wanted)}
        if kind == "array":
            count = schema.get("minItems", 0)
            return [self.of(schema.get("items", {}), name) for _ in range(count)]
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
            return low if kind == "integer" else str(low) if "string" in str(schema) else low
        if kind == "boolean":
            return False
        return self._text(schema, name)

    @staticmethod
    def _text(schema: dict[str, Any], name: str) -> str:
        fmt = schema.get("format")
        if fmt == "date" or name.endswith(("_on", "_date")) or name in ("on", "today"):
            return "2016-05-02"
        if fmt == "date-time" or name.endswith("_at"):
            return "2016-05-02T08:00:00+08:00"
        if name == "village" or name.endswith("_village"):
            return OWN_VILLAGE
        if "id_number" in name:
            return make_resident_id("43032119680214001").value
        if "pattern" in schema:  # the simplest text the pattern matches (hypothesis shrinks to it)
            return str(find(st.from_regex(schema["pattern"], fullmatch=True), lambda _: True))
        return "x" * max(1, int(schema.get("minLength", 1)))


def outcome(status: int) -> str:
    if status >= 500:
        return "error"
    if status == 401:
        return "unauthenticated"
    if status == 403:
        return "refused"
    return "admitted"


async def _call(
    client: httpx.AsyncClient, endpoint: Endpoint, headers: dict[str, str], village: str
) -> int:
    response = await client.request(
        endpoint.method,
        endpoint.url(village),
        headers=headers,
        json=endpoint.body,
    )
    return response.status_code


def _token(role: Role, village: str) -> dict[str, str]:
    scoped = village if role in (Role.VILLAGE_CLERK, Role.BRANCH_SECRETARY) else None
    return bearer(role, user_id=f"matrix-{role.value}", village=scoped)


async def measure(infra: Infra) -> dict[str, Any]:
    """What every role gets from every endpoint of every service, in the table's form."""
    table: dict[str, Any] = {}
    for service, build in BUILDERS.items():
        settings = service_settings(
            infra, LIANXIN_TOPIC_SUFFIX="." + unique("acc"), LIANXIN_CHECKPOINT_HOURS=0
        )
        app = build(settings)
        rows: dict[str, Any] = {}
        async with app_client(app) as client:
            for endpoint in endpoints(app):
                by_role: dict[str, list[str]] = {name: [] for name in OUTCOMES}
                for role in ROLES:
                    status = await _call(client, endpoint, _token(role, OWN_VILLAGE), OWN_VILLAGE)
                    by_role[outcome(status)].append(role.value)
                anonymous = outcome(await _call(client, endpoint, {}, OWN_VILLAGE))
                row: dict[str, Any] = {
                    "roles": "anyone" if anonymous == "admitted" else by_role["admitted"],
                }
                if by_role["error"] or by_role["unauthenticated"]:
                    row["faults"] = {
                        k: v for k, v in by_role.items() if k in ("error", "unauthenticated") and v
                    }
                if endpoint.names_village and anonymous != "admitted":
                    row["other_village"] = {
                        role.value: outcome(
                            await _call(client, endpoint, _token(role, OTHER_VILLAGE), OWN_VILLAGE)
                        )
                        for role in (Role.VILLAGE_CLERK, Role.BRANCH_SECRETARY)
                        if role.value in by_role["admitted"]
                    }
                rows[endpoint.key] = row
        table[service] = rows
    return table


def markdown(table: dict[str, Any]) -> str:
    """The table for people: one row per endpoint, one column per role (✓ admitted)."""
    roles = list(ROLES)
    short = {r: r.value.replace("_", " ") for r in roles}
    lines = [
        START,
        "<details><summary>The full matrix: "
        f"{sum(len(rows) for rows in table.values())} endpoints × {len(roles)} roles</summary>",
        "",
    ]
    for service, rows in table.items():
        heads = " | ".join(short[r] for r in roles)
        lines += [f"**{service}**", "", f"| endpoint | {heads} | other village |"]
        lines.append("|---" * (len(roles) + 2) + "|")
        for key, row in rows.items():
            if row["roles"] == "anyone":
                cells = ["*anyone*"] + [""] * (len(roles) - 1)
            else:
                cells = ["✓" if r.value in row["roles"] else "·" for r in roles]
            other = row.get("other_village") or {}
            village = ", ".join(f"{k}: {v}" for k, v in other.items())
            lines.append(f"| `{key}` | " + " | ".join(cells) + f" | {village} |")
        lines.append("")
    lines += ["</details>", END]
    return "\n".join(lines)


def readme_with(table: dict[str, Any], readme: str) -> str:
    """The README with its matrix section replaced by this table."""
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return head + markdown(table) + tail


def dump(table: dict[str, Any]) -> str:
    header = (
        "# Who may call what (issue 18): every endpoint of every service, the roles it admits,\n"
        "# and what a village clerk or branch secretary of another village gets. Checked by\n"
        "# tests/access/test_matrix.py; regenerate with `python tests/access/matrix.py --write`\n"
        "# and review the diff: a change here is a change of who may do what.\n"
    )
    return header + yaml.safe_dump(table, allow_unicode=True, sort_keys=False, width=100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    env = Settings()  # the environment's infrastructure
    infra = Infra(env.kafka_bootstrap_servers, env.database_url)
    table = asyncio.run(measure(infra))
    if args.write:
        TABLE.write_text(dump(table))
        README.write_text(readme_with(table, README.read_text()))
        print(f"wrote {TABLE.relative_to(ROOT)} and the matrix in README.md")
    else:
        print(dump(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
