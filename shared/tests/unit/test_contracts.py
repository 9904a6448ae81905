"""Contracts: every generated file is committed and current; a payload its schema rejects, or
an event type without a schema, is refused."""

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from contracts.generate import load
from shared.contracts import (
    ROOT,
    ContractViolation,
    check_envelope,
    event_schema,
    expected_files,
    schema_path,
)
from shared.envelope import Actor, Envelope
from shared.kernel import Event, event_type


def test_the_committed_contracts_are_current() -> None:
    stale = [
        str(p.relative_to(ROOT))
        for p, text in expected_files(load()).items()
        if not p.exists() or p.read_text() != text
    ]
    assert stale == [], "run: make contracts"


def test_the_runtime_package_names_no_service() -> None:
    """`shared` is the services' kernel: it imports none of them (nor the demo), and the
    contracts' generator that names them is a build tool outside it."""
    services = ("relief", "funds", "supervision", "party", "projection", "demo", "contracts")
    imports = [
        f"{path.relative_to(ROOT.parent)}: {line.strip()}"
        for path in (ROOT.parent / "shared").rglob("*.py")
        if "tests" not in path.parts
        for line in path.read_text().splitlines()
        if line.strip().startswith(("import ", "from "))
        and line.split()[1].partition(".")[0] in services
    ]
    assert imports == []


def _envelope(event_type: str, payload: dict[str, object]) -> Envelope:
    now = dt.datetime(2016, 5, 1, tzinfo=dt.UTC)
    return Envelope(
        event_id=uuid.uuid4(),
        event_type=event_type,
        schema_version=1,
        stream_id="x-1",
        stream_version=1,
        occurred_at=now,
        recorded_at=now,
        actor=Actor("u", "system"),
        correlation_id=uuid.uuid4(),
        causation_id=None,
        town="430321100",
        payload=payload,
    ).sealed("0" * 64)


def test_an_event_type_without_a_schema_is_refused() -> None:
    with pytest.raises(ContractViolation, match="has no schema"):
        check_envelope(_envelope("nowhere.Nothing", {}))


@event_type("contracttest.Visited")
@dataclass(frozen=True, kw_only=True, slots=True)
class Visited(Event):
    """A household was visited (走访)."""

    household_id: str
    visited_on: dt.date


def _published_in(root: Path) -> None:
    (root / "envelope.v1.json").write_text((ROOT / "envelope.v1.json").read_text())
    path = schema_path("contracttest.Visited", 1, root)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(event_schema("contracttest.Visited", 1)))


def test_a_payload_its_schema_accepts_passes(tmp_path: Path) -> None:
    _published_in(tmp_path)
    payload = {"household_id": "h-1", "visited_on": "2016-05-03"}
    check_envelope(_envelope("contracttest.Visited", payload), root=tmp_path)


def test_a_payload_the_schema_rejects_is_refused(tmp_path: Path) -> None:
    _published_in(tmp_path)
    with pytest.raises(ContractViolation, match=r"payload.*visited_on"):
        check_envelope(_envelope("contracttest.Visited", {"household_id": "h-1"}), root=tmp_path)
