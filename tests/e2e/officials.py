"""What the town's officials do and look up in the end-to-end flows, each through the HTTP API
of the service that is theirs (bodies as the services' routes and READMEs define them)."""

from __future__ import annotations

from typing import Any

from funds.demo_client import red_flags_raised

from .support import AGRICULTURE, DISCIPLINE, ECONOMIC, ORGANISATION, RUN, Town, ok

Json = dict[str, Any]

# -- relief: the agriculture leader ------------------------------------------------------------


async def register_household(town: Town, village: str, head_name: str, head_id: str) -> str:
    """建档立卡: a poor household registered in January 2016; its id."""
    body = {
        "village": village,
        "head_name": head_name,
        "head_id_number": head_id,
        "causes": ["因病", "缺技术"],
        "income_per_head": "1800.50",
        "occurred_on": "2016-01-15",
    }
    registered = await ok(
        town.relief.post("/api/v1/households", json=body, headers=AGRICULTURE), 201
    )
    household_id: str = registered["id"]
    return household_id


async def party_members_known_to_relief(town: Town, village: str) -> list[Json]:
    roll = await ok(
        town.relief.get("/api/v1/party-members", params={"village": village}, headers=AGRICULTURE)
    )
    members: list[Json] = roll["members"]
    return members


# -- funds: the economic leader and the discipline secretary ------------------------------------


async def households_known_to_funds(town: Town, village: str) -> list[Json]:
    view = await ok(
        town.funds.get("/api/v1/relief-households", params={"village": village}, headers=DISCIPLINE)
    )
    households: list[Json] = view["households"]
    return households


async def programme_ready_to_pay(town: Town, village: str, code: str = f"E2E-{RUN}") -> str:
    """A programme for registered poor households (2,000 CNY each), allocated to the village,
    started, and its public notice (公示) run to its end before any payment; its id."""
    funds = town.funds
    created = await ok(
        funds.post(
            "/api/v1/programmes",
            json={
                "code": code,
                "name": "2016年产业扶贫到户补助",
                "source_level": "county",
                "amount": "100000",
                "purpose": "建档立卡贫困户发展种养业",
                "purpose_code": "industry",
                "beneficiary_rule": "registered_poor",
                "standard_amount": "2000",
                "planned_start": "2016-05-01",
                "disbursement_deadline": "2016-10-31",
                "occurred_on": "2016-04-01",
            },
            headers=ECONOMIC,
        ),
        201,
    )
    pid: str = created["id"]
    notice = {
        "village": village,
        "title": "2016年产业扶贫到户补助发放对象公示",
        "ends_on": "2016-05-08",
        "occurred_on": "2016-05-01",
    }
    steps: list[tuple[str, Json, int]] = [
        ("allocations", {"village": village, "amount": "20000", "occurred_on": "2016-04-10"}, 201),
        ("start", {"occurred_on": "2016-05-01"}, 200),
        ("notices", notice, 201),
    ]
    answers = [created]
    for path, body, status in steps:
        url = f"/api/v1/programmes/{pid}/{path}"
        answers.append(await ok(funds.post(url, json=body, headers=ECONOMIC), status))
    closed = {"outcome": "无异议", "occurred_on": "2016-05-08"}
    url = f"/api/v1/programmes/{pid}/notices/{answers[-1]['id']}/close"
    answers.append(await ok(funds.post(url, json=closed, headers=ECONOMIC)))
    assert [red_flags_raised(a) for a in answers] == [[]] * len(answers), "nothing to flag yet"
    return pid


async def pay(
    town: Town, pid: str, village: str, voucher: str, name: str, id_number: str, **extra: str
) -> Json:
    """A disbursement of the standard 2,000 CNY on 2016-06-01; the answer lists red flags."""
    body = {
        "voucher_no": voucher,
        "village": village,
        "beneficiary_name": name,
        "beneficiary_id_number": id_number,
        "amount": "2000",
        "occurred_on": "2016-06-01",
        **extra,
    }
    url = f"/api/v1/programmes/{pid}/disbursements"
    paid: Json = await ok(town.funds.post(url, json=body, headers=ECONOMIC), 201)
    return paid


async def red_flag(town: Town, flag_id: str) -> Json:
    flag: Json = await ok(town.funds.get(f"/api/v1/red-flags/{flag_id}", headers=DISCIPLINE))
    return flag


# -- supervision: the discipline secretary ------------------------------------------------------


async def clues_of_red_flag(town: Town, flag_id: str) -> list[Json]:
    """The clues in supervision's ledger that came from the red flag."""
    ledger = await ok(
        town.supervision.get("/api/v1/clues", params={"category": "雁过拔毛"}, headers=DISCIPLINE)
    )
    return [c for c in ledger["clues"] if (c["red_flag"] or {}).get("flag_id") == flag_id]


async def clue_step(town: Town, clue_id: str, verb: str, body: Json) -> Json:
    """verify / accountability / conclude: the clue's new state."""
    url = f"/api/v1/clues/{clue_id}/{verb}"
    done: Json = await ok(town.supervision.post(url, json=body, headers=DISCIPLINE))
    return done


async def report_inaction(town: Town, village: str, name: str, member_id: str) -> str:
    """A report of inaction (为官不为) against a village cadre who is a party member, received
    and verified; the clue's id."""
    body = {
        "category": "为官不为",
        "channel": "举报",
        "summary": "村委委员长期不走访结对贫困户",
        "village": village,
        "subject_name": name,
        "subject_post": "村委委员",
        "subject_member_id": member_id,
        "occurred_on": "2016-03-01",
    }
    received = await ok(town.supervision.post("/api/v1/clues", json=body, headers=DISCIPLINE), 201)
    clue_id: str = received["id"]
    await clue_step(town, clue_id, "verify", {"findings": "情况属实", "occurred_on": "2016-03-15"})
    return clue_id


async def decide(town: Town, clue_id: str, member_id: str, name: str, kind: str, on: str) -> str:
    """Accountability (问责) decided for one party member; the case id supervision gave it."""
    body = {
        "subject_name": name,
        "subject_member_id": member_id,
        "subject_post": "村委委员",
        "kind": kind,
        "reason": "落实结对帮扶责任不力",
        "occurred_on": on,
    }
    await clue_step(town, clue_id, "accountability", body)
    clue = await ok(town.supervision.get(f"/api/v1/clues/{clue_id}", headers=DISCIPLINE))
    [case_id] = [d["case_id"] for d in clue["decisions"] if d["subject_member_id"] == member_id]
    return str(case_id)


async def rectification_items(town: Town, branch_ids: set[str]) -> dict[str, list[Json]]:
    """Measure 5's items on the 整改清单, by the branch they are for (of `branch_ids`)."""
    ledger = await ok(
        town.supervision.get(
            "/api/v1/items",
            params={"measure": 5, "list_name": "整改清单"},
            headers=ORGANISATION,
        )
    )
    found: dict[str, list[Json]] = {}
    for item in ledger["items"]:
        if item["branch_id"] in branch_ids:
            found.setdefault(item["branch_id"], []).append(item)
    return found


# -- party: the organisation member -------------------------------------------------------------

SHEET_ITEMS = (
    "leadership",
    "members",
    "organisational_life",
    "service",
    "governance",
    "collective_economy",
)


async def points_2016(town: Town, member_id: str) -> Json:
    """The member's points record of 2016 (total and records)."""
    url = f"/api/v1/members/{member_id}/points"
    points: Json = await ok(town.party.get(url, params={"year": 2016}, headers=ORGANISATION))
    return points


async def accountability_deductions(town: Town, member_id: str) -> list[Json]:
    """The member's 2016 records that came from accountability cases."""
    return [r for r in (await points_2016(town, member_id))["records"] if r["case_id"]]


async def assess_branches(town: Town, period: str, marks: dict[str, int], on: str) -> None:
    """A branch assessment: opened, each branch scored (the same mark on every item of the
    sheet), concluded — which designates the bottom band weak and lax."""
    party = town.party
    opened = {"period": period, "weak_share_percent": "10", "occurred_on": on}
    await ok(party.post("/api/v1/assessments", json=opened, headers=ORGANISATION), 201)
    for branch_id, mark in marks.items():
        body = {
            "branch_id": branch_id,
            "items": dict.fromkeys(SHEET_ITEMS, mark),
            "occurred_on": on,
        }
        url = f"/api/v1/assessments/{period}/scores"
        await ok(party.post(url, json=body, headers=ORGANISATION))
    url = f"/api/v1/assessments/{period}/conclude"
    await ok(party.post(url, json={"occurred_on": on}, headers=ORGANISATION))
