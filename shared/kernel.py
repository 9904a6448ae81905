"""The domain kernel every service's domain layer builds on: events, aggregates, errors.

Standard library only; no I/O. A domain module imports this and nothing else of `shared`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """A business fact in the past tense. Subclasses are registered with `@event_type`."""

    event_type: ClassVar[str] = ""
    schema_version: ClassVar[int] = 1


E = TypeVar("E", bound=type[Event])

#: Every registered event class, by (wire name, schema version).
EVENT_CLASSES: dict[tuple[str, int], type[Event]] = {}


def event_type(name: str, version: int = 1) -> Callable[[E], E]:
    """Register an event class under its wire name (`<ctx>.<EventName>`) and schema version."""

    def register(cls: E) -> E:
        key = (name, version)
        existing = EVENT_CLASSES.get(key)
        if existing is not None and existing is not cls:
            raise TypeError(f"event type {name} v{version} is registered twice")
        cls.event_type = name
        cls.schema_version = version
        EVENT_CLASSES[key] = cls
        return cls

    return register


class DomainError(Exception):
    """A command the domain will not carry out. The message is shown to the user."""

    status: ClassVar[int] = 422
    title: ClassVar[str] = "命令被拒绝 (command refused)"


class Refused(DomainError):
    """A rule of the plan forbids the command in the aggregate's present state."""


class NotFound(DomainError):
    """The command names an entity that does not exist."""

    status = 404
    title = "未找到 (not found)"


class AlreadyExists(DomainError):
    """The command would create an entity that already exists."""

    status = 409
    title = "已存在 (already exists)"


class ConcurrencyConflict(DomainError):
    """Another writer changed the stream since it was read: reload and try again."""

    status = 409
    title = "并发冲突 (concurrent change)"


class Aggregate:
    """An event-sourced aggregate: decides, records events, and rebuilds itself from them.

    Subclasses implement `_apply(event)` to change state; commands call `_record(event)`.
    """

    def __init__(self, stream_id: str) -> None:
        self.stream_id = stream_id
        self.version = 0
        self._pending: list[Event] = []

    @property
    def exists(self) -> bool:
        """True once the stream has at least one event."""
        return self.version > 0 or bool(self._pending)

    def _record(self, event: Event) -> None:
        self._apply(event)
        self._pending.append(event)

    def _apply(self, event: Event) -> None:
        raise NotImplementedError(f"{type(self).__name__} cannot apply {type(event).__name__}")

    def replay(self, events: list[Event]) -> None:
        """Rebuild state from stored events (no new events are recorded)."""
        for event in events:
            self._apply(event)
            self.version += 1

    def take_pending(self) -> list[Event]:
        """Hand over the events recorded since loading, for the store to append."""
        pending, self._pending = self._pending, []
        return pending


def utc(value: dt.datetime) -> dt.datetime:
    """Normalise a timestamp to UTC; naive values are taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
