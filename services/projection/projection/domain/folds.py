"""Entity state as a left fold of a stream's events (the read models' one mechanism).

Every stream (`<kind>-<id>`) is an entity: a household, a fund programme, a petition, a branch.
Its state after each event is `fold(state_before, event)`: the payload's fields copied onto the
state (the newest value of each field wins), then the event type's `Rule` (the status it leads
to and any counters or dates it changes). The projection stores the state per entity per
business day (`entity_state`), so "as of D" is the row valid at the end of D.

Folds only read their own stream's events, never another entity's state: the result is then the
same whatever order the topics' partitions are interleaved in, which is what makes a replay equal
the live model. Views join entities at query time instead.

Keys beginning with `_` are the projection's own bookkeeping (kind, id, dates, counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projection.domain.timeframe import local_day
from shared.codec import upcast
from shared.envelope import Envelope

State = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Fact:
    """What a fold sees of one event: its type, stream position, business time and payload."""

    event_type: str
    stream_id: str
    stream_version: int
    occurred_at: dt.datetime
    actor_id: str
    actor_role: str
    payload: Mapping[str, Any]

    @classmethod
    def of(cls, env: Envelope) -> Fact:
        """What a fold sees of an envelope: its payload read through the upcasters
        (`shared.codec.upcast`), so an old version folds as the newest one does."""
        _, payload = upcast(env.event_type, env.schema_version, env.payload)
        return cls(
            event_type=env.event_type,
            stream_id=env.stream_id,
            stream_version=env.stream_version,
            occurred_at=env.occurred_at,
            actor_id=env.actor.user_id,
            actor_role=env.actor.role,
            payload=payload,
        )

    @property
    def day(self) -> str:
        """The business day in Shanghai (payload dates are preferred by rules)."""
        return local_day(self.occurred_at).isoformat()

    def date(self, *fields: str) -> str:
        """The first of `fields` present in the payload (an ISO date), else the event's day."""
        for name in fields:
            value = self.payload.get(name)
            if value:
                return str(value)[:10]
        return self.day


FoldFn = Callable[[State, Fact], None]
#: What one event adds to the per-day sums of its type (`flow_sums`), given its entity's state
#: before it and its payload: a key (what the view groups by, e.g. a programme) and named
#: numbers (a count, an amount …).
SumFn = Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[str, dict[str, Decimal]]]


@dataclass(frozen=True, slots=True)
class Rule:
    """How one event type changes its entity: the kind of entity, the status it leads to,
    an optional function for counters, lists and dates, whether the payload's fields are
    copied onto the entity (not for events about a part of it, such as one payment of a
    programme), and the zh-CN label of the event for the audit trail."""

    kind: str
    status: str | None = None
    fold: FoldFn | None = None
    merge: bool = True
    label: str = ""


@dataclass(frozen=True, slots=True)
class Folded:
    """An entity's state after an event, with the columns views filter on."""

    kind: str
    entity_id: str
    village: str | None
    status: str | None
    state: State


def stream_kind(stream_id: str) -> str:
    """`household-0190…` → `household` (the convention `<kind>-<id>`)."""
    head, _, _ = stream_id.partition("-")
    return head or stream_id


def stream_entity_id(stream_id: str) -> str:
    """`household-0190…` → `0190…`."""
    _, sep, tail = stream_id.partition("-")
    return tail if sep and tail else stream_id


def fold(prev: State | None, fact: Fact, rules: Mapping[str, Rule]) -> Folded:
    """The entity's state after `fact`, given the state before it (None for a new stream)."""
    state: State = dict(prev) if prev else {}
    rule = rules.get(fact.event_type)
    kind = str(state.get("_kind") or (rule.kind if rule else stream_kind(fact.stream_id)))
    if "_id" not in state:
        state["_id"] = str(fact.payload.get(f"{kind}_id") or stream_entity_id(fact.stream_id))
        state["_kind"] = kind
        state["_first_at"] = fact.occurred_at.isoformat()
        state["_created_by"] = fact.actor_id
    if rule is None or rule.merge:
        for key, value in fact.payload.items():
            if not key.startswith("_"):
                state[key] = value
    if rule is not None and rule.status is not None:
        state["status"] = rule.status
    if rule is not None and rule.fold is not None:
        rule.fold(state, fact)
    status = state.get("status")
    if status is not None and state.get("_status") != status:
        state["_status"] = status
        state["_status_at"] = fact.occurred_at.isoformat()
        since = dict(state.get("_status_since") or {})
        since.setdefault(str(status), fact.date())
        state["_status_since"] = since
    state["_events"] = int(state.get("_events", 0)) + 1
    state["_last_type"] = fact.event_type
    state["_last_at"] = fact.occurred_at.isoformat()
    village = state.get("village")
    return Folded(
        kind=kind,
        entity_id=str(state["_id"]),
        village=str(village) if village else None,
        status=str(status) if status is not None else None,
        state=state,
    )


def count(field: str, by: int = 1) -> FoldFn:
    """A fold that adds `by` to a counter field."""

    def apply(state: State, fact: Fact) -> None:
        state[field] = int(state.get(field) or 0) + by

    return apply


def append(field: str, *keys: str, limit: int = 200) -> FoldFn:
    """A fold that appends a small record of the event (the given payload keys) to a list."""

    def apply(state: State, fact: Fact) -> None:
        items = list(state.get(field) or [])
        item = {k: fact.payload.get(k) for k in keys if k in fact.payload}
        item["on"] = fact.date(*[k for k in keys if k.endswith("_on")])
        items.append(item)
        state[field] = items[-limit:]

    return apply


def both(*fns: FoldFn) -> FoldFn:
    """Several folds, in order."""

    def apply(state: State, fact: Fact) -> None:
        for fn in fns:
            fn(state, fact)

    return apply


#: Payload fields that name another entity by its id (the ids of a record inside an entity —
#: a visit, a payment, a notice — are not references, and a session's attendee list is left
#: out: thousands of rows for little use).
REFERENCE_KEYS = frozenset(
    {
        "household_id",
        "member_id",
        "subject_member_id",
        "programme_id",
        "project_id",
        "site_id",
        "item_id",
        "petition_id",
        "directive_id",
        "clue_id",
        "flag_id",
        "red_flag_id",
        "branch_id",
        "adjustment_id",
        "decision_id",
    }
)


def referenced_ids(payload: Mapping[str, Any], own: str) -> set[str]:
    """The ids of other entities an event names (`REFERENCE_KEYS`; e.g. a payment's
    `household_id`), but not its own entity's id: the audit trail lists those entities'
    streams as related."""
    found = {
        value
        for key, value in payload.items()
        if key in REFERENCE_KEYS and isinstance(value, str) and value
    }
    found.discard(own)
    return found
