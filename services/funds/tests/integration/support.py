"""Helpers for the funds integration tests: request bodies, and relief-shaped envelopes (built
from the contract with `shared.testing.foreign_envelope`: relief's package is not imported)."""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx
from funds.demo_client import red_flags_raised

from shared.envelope import Envelope
from shared.kernel import make_resident_id
from shared.testing import foreign_envelope

VILLAGE = "石壁村"


def random_id_number() -> str:
    """A valid resident ID number unlikely to meet any other test's."""
    year = random.randint(1935, 1999)
    first17 = f"430321{year}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
    return make_resident_id(first17 + f"{random.randint(0, 999):03d}").value


def programme_body(code: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "name": "2016年产业扶贫到户补助",
        "source_level": "county",
        "amount": "100000",
        "purpose": "贫困户发展种养业",
        "purpose_code": "industry",
        "beneficiary_rule": "registered_poor",
        "standard_amount": "2000",
        "planned_start": "2016-05-01",
        "disbursement_deadline": "2016-10-31",
        "occurred_on": "2016-04-01",
    }
    body.update(overrides)
    return body


def payment(voucher: str, id_number: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "voucher_no": voucher,
        "village": VILLAGE,
        "beneficiary_name": "张三",
        "beneficiary_id_number": id_number,
        "amount": "2000",
        "occurred_on": "2016-06-01",
    }
    body.update(overrides)
    return body


def household_registered(head_id: str, member_id: str, *, village: str = VILLAGE) -> Envelope:
    household_id = str(uuid.uuid4())
    return foreign_envelope(
        "relief.HouseholdRegistered",
        f"household-{household_id}",
        {
            "household_id": household_id,
            "village": village,
            "head_name": "李四",
            "head_id_number": head_id,
            "members": [{"name": "李小四", "id_number": member_id, "relation": "子女"}],
            "registered_on": "2015-10-01",
            "poverty_causes": ["因病"],  # extra fields are tolerated
        },
    )


async def raised_flags(
    client: httpx.AsyncClient, written: dict[str, Any], headers: dict[str, str]
) -> list[dict[str, Any]]:
    """The red flags a command raised (its `funds.RedFlagRaised` events), as
    `GET /red-flags/{id}` shows them, in the order raised."""
    flags = []
    for flag_id in red_flags_raised(written):
        got = await client.get(f"/api/v1/red-flags/{flag_id}", headers=headers)
        assert got.status_code == 200, got.text
        flags.append(got.json())
    return flags
