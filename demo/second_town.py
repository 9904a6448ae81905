"""The second demo town's data (花石镇, 430321106; demo reference data): a small set loaded
through the write services' public APIs with tokens of that town, so that it lands in each
service's tenant of 花石镇 (`shared.tenants`) — a party branch and members, a few poor households
(one paired with a member), a fund programme allocated to a village, and a petition.

    python -m demo.second_town --relief URL --funds URL --supervision URL --party URL

Ids are fixed (client-generated), so a repeated run writes nothing twice (409: already there).
Each service is skipped when its URL is not given.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from funds.domain.identity import programme_id_for

from demo.client import demo_headers, demo_issuer, written
from demo.users import HUASHI_TOWN_CODE, SECOND_TOWN_USERS
from shared.kernel import make_resident_id

NAMESPACE = uuid.UUID("6f1c1a52-5a2e-4d0e-9b1e-0d8b7a430106")
BRANCH = "branch-430321106202"
MEMBERS = (("member-hs-001", "王志强", "19700312"), ("member-hs-002", "刘春梅", "19780623"))
HOUSEHOLDS = (
    ("竹山村", "周大山", "19620410", ["因病"], "1650"),
    ("竹山村", "易秋生", "19580903", ["缺劳力"], "2100"),
    ("楠竹村", "邓桂英", "19660117", ["因学"], "1900"),
)


def _id(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


def _resident(born: str, seed: int) -> str:
    return make_resident_id(f"430321{born}{seed:03d}").value


class Loader:
    """Posts as the second town's demo users; counts what was written and what was there."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.tokens = demo_headers(demo_issuer(), [u.user_id for u in SECOND_TOWN_USERS])
        self.written = 0
        self.there = 0

    def post(self, url: str, body: dict[str, Any], who: str) -> None:
        response = self.http.post(url, json=body, headers=self.tokens[f"huashi-{who}"])
        if written(response):
            self.written += 1
        else:
            self.there += 1


def party(load: Loader, base: str) -> None:
    load.post(
        f"{base}/api/v1/branches",
        {"branch_id": BRANCH, "name": "竹山村党支部", "kind": "village", "village": "竹山村"},
        "organisation",
    )
    for n, (member_id, name, born) in enumerate(MEMBERS):
        body = {
            "member_id": member_id,
            "branch_id": BRANCH,
            "name": name,
            "id_number": _resident(born, 610 + n),
            "membership": "full",
            "joined_party_on": "2005-07-01",
            "occurred_on": "2016-02-15",
        }
        load.post(f"{base}/api/v1/members", body, "organisation")


def relief(load: Loader, base: str) -> None:
    for n, (village, head, born, causes, income) in enumerate(HOUSEHOLDS):
        body = {
            "household_id": _id(f"household-{n}"),
            "village": village,
            "head_name": head,
            "head_id_number": _resident(born, 620 + n),
            "members": [],
            "causes": causes,
            "income_per_head": income,
            "occurred_on": "2016-03-10",
        }
        load.post(f"{base}/api/v1/households", body, "agriculture")


def funds(load: Loader, base: str) -> None:
    body = {
        "code": "HS-2016-CY01",
        "name": "2016年花石镇产业扶贫到户补助",
        "source_level": "county",
        "amount": "60000",
        "purpose": "建档立卡贫困户发展种养业到户补助",
        "purpose_code": "industry",
        "beneficiary_rule": "registered_poor",
        "standard_amount": "2000",
        "planned_start": "2016-05-01",
        "disbursement_deadline": "2016-10-31",
        "occurred_on": "2016-04-20",
    }
    load.post(f"{base}/api/v1/programmes", body, "economic")
    pid = programme_id_for(HUASHI_TOWN_CODE, body["code"])  # the id funds gives the code
    allocation = {
        "village": "竹山村",
        "amount": "20000",
        "reference": "拨-竹山村-20000",
        "occurred_on": "2016-04-25",
    }
    load.post(f"{base}/api/v1/programmes/{pid}/allocations", allocation, "economic")


def supervision(load: Loader, base: str) -> None:
    body = {
        "id": _id("petition-1"),
        "channel": "来访",
        "petitioner_name": "花石镇村民 李某",
        "petitioner_count": 1,
        "village": "楠竹村",
        "subject": "反映村道硬化工程进度缓慢",
        "occurred_on": "2016-05-06",
    }
    load.post(f"{base}/api/v1/petitions", body, "deputy")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo.second_town", description=__doc__)
    for service in ("party", "relief", "funds", "supervision"):
        parser.add_argument(f"--{service}", default="", help=f"{service}'s base URL")
    args = parser.parse_args(argv)
    steps: dict[str, Callable[[Loader, str], None]] = {
        "party": party,
        "relief": relief,
        "funds": funds,
        "supervision": supervision,
    }
    with httpx.Client(timeout=60) as http:
        load = Loader(http)
        for service, step in steps.items():
            url = str(getattr(args, service)).rstrip("/")
            if url:
                step(load, url)
    print(f"花石镇 demo data: {load.written} written, {load.there} already there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
