"""Masking by allow-list (`domain/field_classes.py`): every field a view, the public page, an
audit trail or a published event contract can show is declared; an undeclared one is masked
for every role, the town secretary and the auditor included.

When a test here fails on an undeclared field: declare it in `domain/field_classes.py`, in the
class that says who may see it (a person's name, an ID number, a phone, free text, or public).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from projection.adapters.reference import ReferenceSnapshot
from projection.domain.access import FULL_DETAIL, sees_full_detail
from projection.domain.catalogue import KIND_LABELS, RULES
from projection.domain.field_classes import (
    BY_KIND,
    FIELDS,
    UNDECLARED,
    UNMASKED_FOR,
    Sensitivity,
    declaration,
)
from projection.domain.masking import redact, undeclared
from projection.domain.timeframe import Window
from projection.synthetic import EnvelopeFactory, county_events
from projection.views.audit import audit_trail
from projection.views.common import Ask, PageAsk
from projection.views.public import public_notices
from projection.views.registry import SPECS

from shared.envelope import Envelope
from shared.roles import Principal, Role

CONTRACTS = Path(__file__).resolve().parents[4] / "contracts" / "events"
#: A county history in which every table of every view has rows (seed and size chosen so).
HISTORY_SIZE, HISTORY_SEED = 6_000, 28
TODAY = dt.date(2021, 1, 1)
SECRETARY = Principal("secretary", "书记", Role.TOWN_SECRETARY)
AGRICULTURE = Principal("agri", "分管农业", Role.AGRICULTURE_LEADER)
EVERY_ROLE = [Principal(f"u-{r.value}", r.value, r, "石壁村") for r in Role]


@pytest.fixture(scope="module")
def history() -> list[Envelope]:
    return list(county_events(HISTORY_SIZE, seed=HISTORY_SEED))


@pytest.mark.parametrize("principal", [SECRETARY, AGRICULTURE], ids=["unmasking", "masking"])
async def test_every_field_of_every_view_is_declared(
    history: list[Envelope], principal: Principal
) -> None:
    snap = ReferenceSnapshot(history)
    full = sees_full_detail(principal)
    ask = Ask(Window(), None, TODAY, clues=full, page=PageAsk(size=None))  # an export's rows
    missing: set[str] = set()
    marked: set[str] = set()  # tables whose rows, as shown, carry the UNDECLARED marker
    empty = []
    for spec in SPECS:
        view = await spec.build(snap, ask)
        for table in view.tables:
            rows = [row async for chunk in table.chunks() for row in chunk]
            if not rows and (full or table.name != "clues"):
                empty.append(f"{spec.name}:{table.name}")
            for row in rows:
                missing.update(f"{spec.name}:{table.name}: {p}" for p in undeclared(row))
                shown = json.dumps(redact(row, full=full), ensure_ascii=False, default=str)
                if UNDECLARED in shown:
                    marked.add(f"{spec.name}:{table.name}")
    page = await public_notices(snap, Ask(Window(), None, TODAY))
    missing.update(f"public: {p}" for p in undeclared(page))
    assert not missing, "undeclared fields (declare them in field_classes.py):\n" + "\n".join(
        sorted(missing)
    )
    assert not marked
    assert not empty, f"tables without rows in the generated history (nothing checked): {empty}"
    assert page["notices"] and page["disclosures"]


@pytest.mark.parametrize("full", [True, False], ids=["unmasking", "masking"])
async def test_every_field_of_every_audit_trail_is_declared(
    history: list[Envelope], full: bool
) -> None:
    snap = ReferenceSnapshot(history)
    one_per_type = {env.event_type: env.stream_id for env in history}
    payloads = {str(env.event_id): env.payload for env in history}
    missing: set[str] = set()
    marked: set[str] = set()
    for stream_id in sorted(set(one_per_type.values())):
        trail = await audit_trail(snap, stream_id, full=full)
        assert trail is not None
        kind = trail["kind"]
        for event in trail["events"]:
            raw = payloads[event["event_id"]]
            missing.update(f"{event['event_type']}: {p}" for p in undeclared(raw, kind=kind))
            if UNDECLARED in json.dumps(event, ensure_ascii=False):
                marked.add(event["event_type"])
        entity = await snap.entity(stream_id, cutoff=None)
        assert entity is not None
        state = {k: v for k, v in entity.state.items() if not k.startswith("_")}
        missing.update(f"{kind} state: {p}" for p in undeclared(state, kind=kind))
        if UNDECLARED in json.dumps(trail["state"], ensure_ascii=False):
            marked.add(f"{kind} state")
    assert not missing, "undeclared fields (declare them in field_classes.py):\n" + "\n".join(
        sorted(missing)
    )
    assert not marked


def _instance(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """A payload with every field a JSON schema allows (one item per list)."""
    if "$ref" in schema:
        return _instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        return _instance(next(s for s in schema["anyOf"] if s.get("type") != "null"), defs)
    if schema.get("type") == "object":
        return {k: _instance(s, defs) for k, s in schema.get("properties", {}).items()}
    if schema.get("type") == "array":
        return [_instance(schema.get("items", {}), defs)]
    return "x"


def test_every_field_of_every_published_event_is_declared() -> None:
    """The audit trail shows payloads: every field any contract allows is declared."""
    missing = []
    contracts = sorted(CONTRACTS.glob("*/*.json"))
    assert len(contracts) > 100
    for path in contracts:
        schema = json.loads(path.read_text(encoding="utf-8"))
        event_type = schema["x-event-type"]
        rule = RULES.get(event_type)
        payload = _instance(schema, schema.get("$defs", {}))
        for field in undeclared(payload, kind=rule.kind if rule else None):
            missing.append(f"{event_type}: {field}")
    assert not missing, "undeclared fields (declare them in field_classes.py):\n" + "\n".join(
        missing
    )


def test_an_undeclared_field_is_masked_for_every_role() -> None:
    row = {
        "village": "石壁村",
        "head_name": "张大山",
        "spouse_name": "李小梅",  # a new field nobody declared
        "members": [{"name": "张小山", "relation": "子女", "phone_no": "13812345678"}],
        "notices": {"n-1": {"title": "公示", "objector": "王五"}},
        "helper": {"name": "刘干部", "extra": {"id": "430321196001010004"}},
    }
    for principal in EVERY_ROLE:
        shown = redact(row, full=sees_full_detail(principal), kind="household")
        assert shown["spouse_name"] == UNDECLARED, principal.role
        assert shown["members"][0]["phone_no"] == UNDECLARED, principal.role
        assert shown["notices"]["n-1"]["objector"] == UNDECLARED, principal.role
        assert shown["helper"]["extra"] == UNDECLARED, principal.role  # the whole value
        assert shown["village"] == "石壁村"
        assert shown["notices"]["n-1"]["title"] == "公示"
        unmasked = principal.role in FULL_DETAIL
        assert (shown["head_name"] == "张大山") is unmasked, principal.role
    assert undeclared(row, kind="household") == [
        "spouse_name",
        "members[].phone_no",
        "notices.*.objector",
        "helper.extra",
    ]


async def test_an_undeclared_payload_field_is_masked_in_the_audit_trail() -> None:
    """A new service's event (no rule, no declaration): its undeclared fields are masked for
    the town secretary and the auditor too; its declared ones are shown."""
    f = EnvelopeFactory()
    env = f.event(
        "festival-1",
        "relief.VillageFestivalHeld",
        {"village": "石壁村", "organiser_name": "张大山", "notes": "身份证 430321196001010004"},
        on=dt.date(2016, 5, 1),
    )
    snap = ReferenceSnapshot([env])
    for role in (Role.TOWN_SECRETARY, Role.AUDITOR, Role.AGRICULTURE_LEADER):
        full = role in FULL_DETAIL
        trail = await audit_trail(snap, "festival-1", full=full)
        assert trail is not None
        payload = trail["events"][0]["payload"]
        assert payload["organiser_name"] == UNDECLARED, role
        assert trail["state"]["organiser_name"] == UNDECLARED, role
        assert payload["village"] == "石壁村"
        assert ("430321196001010004" in payload["notes"]) is full, role


def test_id_numbers_and_phones_in_text_are_scrubbed_for_masking_roles() -> None:
    row = {
        "summary": "户主 430321196001010004，电话 13812345678",  # free text
        "title": "补发 43032119600101000X 的补贴",  # public, scrubbed all the same
        "phone": "13812345678",
    }
    masked = redact(row, full=False)
    assert masked["summary"] == "户主 430321********0004，电话 138****5678"
    assert masked["title"] == "补发 430321********000X 的补贴"
    assert masked["phone"] == "138****5678"
    assert redact(row, full=True) == row


def test_the_declarations_hold_together() -> None:
    assert UNMASKED_FOR == FULL_DETAIL
    assert set(BY_KIND) <= set(KIND_LABELS), "BY_KIND names a kind the projection has not"
    assert declaration("name", None) is Sensitivity.PERSON_NAME
    assert declaration("name", "member") is Sensitivity.PERSON_NAME
    assert declaration("name", "branch") is Sensitivity.PUBLIC
    assert declaration("income_2031", None) is Sensitivity.PUBLIC
    assert declaration("income_total_2031", None) is None
    assert all(" " not in key and key for key in FIELDS)


def test_an_asset_in_a_village_ledger_is_named_in_full_a_member_is_not() -> None:
    assert redact({"name": "村部用房"}, full=False, kind="assets") == {"name": "村部用房"}
    assert redact({"name": "张三"}, full=False, kind="member") != {"name": "张三"}
