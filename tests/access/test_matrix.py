"""Every endpoint × every role on the real PostgreSQL and Kafka, against the declared table
`contracts/access.yaml` (issue 18): a role the table does not name is refused (403), a role it
names is answered (never 401/403), a village-scoped token of another village gets what the table
says, and no call is a server error."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from shared.testing import Infra

from .matrix import README, TABLE, markdown, measure

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def test_every_role_gets_from_every_endpoint_what_the_table_declares(infra: Infra) -> None:
    measured = await measure(infra)
    declared: dict[str, Any] = yaml.safe_load(TABLE.read_text())

    faults = {
        f"{service} {key}": row["faults"]
        for service, rows in measured.items()
        for key, row in rows.items()
        if "faults" in row
    }
    assert faults == {}, faults
    for service, rows in measured.items():
        assert rows.keys() == declared[service].keys(), f"{service}: endpoints not in the table"
        for key, row in rows.items():
            assert row == declared[service][key], f"{service} {key}"
    assert sum(len(rows) for rows in measured.values()) >= 150  # every service's API, not a few
    scoped = [r for rows in measured.values() for r in rows.values() if "other_village" in r]
    assert any("refused" in r["other_village"].values() for r in scoped)
    assert markdown(measured) in README.read_text(), "README's matrix is stale: --write"
