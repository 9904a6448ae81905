"""Published event contracts (`contracts/`): one JSON Schema per event type and version, the
envelope's schema, and an AsyncAPI document of the topics.

`python -m shared.contracts` regenerates the files from the registered event classes;
`python -m shared.contracts --check` fails when they are out of date. With
`LIANXIN_CHECK_CONTRACTS=1` (set by `make test`) every appended event is validated against
its published schema, so a service cannot emit an event the contracts do not describe.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from shared.codec import payload_schema
from shared.envelope import Envelope
from shared.kernel import EVENT_CLASSES

ROOT = Path(__file__).resolve().parent.parent / "contracts"
WRITE_SERVICES = ("relief", "funds", "supervision", "party")
#: Event contexts every write service publishes on its own topic (its store's checkpoints).
SHARED_CONTEXTS = ("integrity",)


class ContractViolation(ValueError):
    """An event without a published schema, or one its schema does not accept."""


def load_service_events() -> list[str]:
    """Import every write service's `domain.events` module so that its events register."""
    importlib.import_module("shared.integrity.events")
    loaded = []
    for service in WRITE_SERVICES:
        try:
            importlib.import_module(f"{service}.domain.events")
        except ModuleNotFoundError as exc:
            if exc.name not in (service, f"{service}.domain", f"{service}.domain.events"):
                raise
            continue
        loaded.append(service)
    return loaded


def schema_path(event_type: str, version: int, root: Path = ROOT) -> Path:
    """`contracts/events/<ctx>/<EventName>.v<N>.json`."""
    context, _, name = event_type.partition(".")
    return root / "events" / context / f"{name}.v{version}.json"


def event_schema(event_type: str, version: int) -> dict[str, Any]:
    """The published schema document of one event type and version."""
    schema = payload_schema(EVENT_CLASSES[(event_type, version)])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:lianxin:event:{event_type}:v{version}",
        "x-event-type": event_type,
        "x-schema-version": version,
        **schema,
    }


def _published(services: list[str]) -> dict[tuple[str, int], type]:
    return {key: cls for key, cls in EVENT_CLASSES.items() if key[0].partition(".")[0] in services}


def asyncapi(services: list[str]) -> dict[str, Any]:
    """An AsyncAPI 3.0 document: one channel per service topic, one message per event."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for service in services:
        messages = {}
        for (name, version), cls in sorted(_published([service, *SHARED_CONTEXTS]).items()):
            key = f"{name.partition('.')[2]}_v{version}"
            messages[key] = {
                "name": name,
                "title": f"{name} v{version}",
                "summary": (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else "",
                "contentType": "application/json",
                "payload": {"$ref": f"./events/{name.replace('.', '/')}.v{version}.json"},
            }
        channels[f"{service}_events"] = {
            "address": f"{service}.events",
            "description": f"Domain events of the {service} service, keyed by stream id; "
            "each message is an envelope (envelope.v1.json) around the payload.",
            "messages": messages,
        }
        operations[f"publish_{service}_events"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{service}_events"},
            "messages": [{"$ref": f"#/channels/{service}_events/messages/{m}"} for m in messages],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Lianxin (连心惠民) domain events", "version": "1.0.0"},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
    }


def expected_files(root: Path = ROOT) -> dict[Path, str]:
    """Every generated contract file and its content."""
    services = load_service_events()
    files = {
        schema_path(name, version, root): _dump(event_schema(name, version))
        for name, version in _published([*services, *SHARED_CONTEXTS])
    }
    files[root / "asyncapi.yaml"] = yaml.safe_dump(
        asyncapi(services), allow_unicode=True, sort_keys=False
    )
    return files


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@cache
def _validator(path: Path) -> Draft202012Validator:
    return Draft202012Validator(json.loads(path.read_text()))


def check_envelope(env: Envelope, root: Path = ROOT) -> None:
    """Raise `ContractViolation` unless the envelope and its payload match the contracts."""
    errors = [
        e.message
        for e in _validator(root / "envelope.v1.json").iter_errors(json.loads(env.to_json()))
    ]
    path = schema_path(env.event_type, env.schema_version, root)
    if not path.exists():
        raise ContractViolation(f"{env.event_type} v{env.schema_version} has no schema at {path}")
    errors += [f"payload: {e.message}" for e in _validator(path).iter_errors(env.payload)]
    if errors:
        raise ContractViolation(f"{env.event_type} v{env.schema_version}: {'; '.join(errors)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate or check the event contracts.")
    parser.add_argument("--check", action="store_true", help="fail if files are out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, content in expected_files().items():
        if path.exists() and path.read_text() == content:
            continue
        if args.check:
            stale.append(str(path.relative_to(ROOT.parent)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
            print(f"wrote {path.relative_to(ROOT.parent)}")
    if stale:
        print(
            "contracts out of date (run: python -m shared.contracts):\n  " + "\n  ".join(stale),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
