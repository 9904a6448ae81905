"""Turning domain events into wire payloads and back, with upcasting of old versions.

An upcaster maps the payload of `(event_type, v)` to the payload of `v + 1`; reading applies
them in a chain until the newest registered version is reached, so history is never edited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from shared.kernel import EVENT_CLASSES, Event

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

#: Upcasters by (event type, the version they read).
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


class UnknownEventType(LookupError):
    """No event class is registered for a wire name and version, nor an upcaster towards one."""


def upcaster(name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function that turns a `from_version` payload into a `from_version + 1` one."""

    def register(fn: Upcaster) -> Upcaster:
        UPCASTERS[(name, from_version)] = fn
        return fn

    return register


_ADAPTERS: dict[type[Event], TypeAdapter[Any]] = {}


def _adapter(cls: type[Event]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


def encode(event: Event) -> Payload:
    """The JSON-safe payload of an event (Decimals as strings, dates as ISO text)."""
    payload: Payload = _adapter(type(event)).dump_python(event, mode="json")
    return payload


def latest_version(name: str) -> int | None:
    """The newest schema version registered for an event type."""
    versions = [v for (n, v) in EVENT_CLASSES if n == name]
    return max(versions) if versions else None


def upcast(name: str, version: int, payload: Payload) -> tuple[int, Payload]:
    """A payload as the newest version its upcasters reach (without its event class: the
    projection reads payloads): `(version, payload)`, unchanged when none applies."""
    while (step := UPCASTERS.get((name, version))) is not None:
        payload = step(dict(payload))
        version += 1
    return version, payload


def decode(name: str, version: int, payload: Payload) -> Event:
    """Rebuild an event from its wire form, upcasting older versions to the newest class."""
    target = latest_version(name)
    if target is None:
        raise UnknownEventType(f"no event class is registered for {name}")
    version, payload = upcast(name, version, payload)
    if version < target:
        raise UnknownEventType(f"{name} v{version} has no upcaster to v{version + 1}")
    cls = EVENT_CLASSES.get((name, version))
    if cls is None:
        raise UnknownEventType(f"{name} v{version} is newer than this code knows")
    event: Event = _adapter(cls).validate_python(payload)
    return event


def canonical_json(value: Any) -> bytes:
    """One byte form for a JSON value: sorted keys, no spaces, UTF-8 (used for hashing)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def payload_schema(cls: type[Event]) -> dict[str, Any]:
    """The JSON Schema of an event class's payload, as published under `contracts/`."""
    schema: dict[str, Any] = _adapter(cls).json_schema(mode="serialization")
    return schema
