"""What a view asks of the read models beyond a plain list: counts of entities by their columns
and conditions on their state, and pages of entities in a sort order.

Each piece has its SQL (run by `Snapshot` in PostgreSQL, so that a view reads a page and a few
counts instead of every entity) and its plain-Python meaning (run by the reference reader that
the equality oracle holds the SQL to). State keys are the projection's own field names, never a
caller's text: they are checked to be identifiers before they reach SQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_ENTRY = re.compile(r"^[0-9A-Za-z_-]{1,40}$")
#: Columns of `entity_state` a view may group or sort by; anything else is a state key.
COLUMNS = ("village", "status", "entity_id", "kind")


def checked_key(key: str) -> str:
    """A state key, checked to be an identifier before it is written into SQL."""
    if not _KEY.match(key):
        raise ValueError(f"not a state key: {key!r}")
    return key


def checked_path(path: Sequence[str]) -> list[str]:
    """A path into a state (keys, and entries such as a year), checked for SQL."""
    if not path or not all(_ENTRY.match(part) for part in path):
        raise ValueError(f"not a state path: {path!r}")
    return list(path)


def at_path(state: Mapping[str, Any], path: Sequence[str]) -> Any:
    """What `state #> path` gives: the value under the path, or None."""
    value: Any = state
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


class Condition(Protocol):
    """A yes/no question about an entity (its columns and state)."""

    def sql(self) -> str: ...

    def test(self, status: str | None, state: Mapping[str, Any]) -> bool: ...


@dataclass(frozen=True, slots=True)
class IsSet:
    """The state field holds something: not absent, null, false, 0, "" or empty."""

    key: str

    def sql(self) -> str:
        k = checked_key(self.key)
        return (
            f"coalesce(NOT (state->'{k}' = ANY(ARRAY['null', 'false', '0', '\"\"', '[]', '{{}}']"
            "::jsonb[])), false)"
        )

    def test(self, status: str | None, state: Mapping[str, Any]) -> bool:
        return bool(state.get(self.key))


@dataclass(frozen=True, slots=True)
class StatusIn:
    """The entity's status is one of these."""

    statuses: tuple[str, ...]

    def sql(self) -> str:
        quoted = ", ".join("'" + checked_key(s) + "'" for s in self.statuses)
        return f"coalesce(status IN ({quoted}), false)" if quoted else "false"

    def test(self, status: str | None, state: Mapping[str, Any]) -> bool:
        return status in self.statuses


@dataclass(frozen=True, slots=True)
class HasEntry:
    """The state's object field `key` holds something under `entry` (e.g. a grade for a year);
    an entry that is not a plain name never matches."""

    key: str
    entry: str

    def sql(self) -> str:
        if not _ENTRY.match(self.entry):
            return "false"
        return (
            IsSet(self.key)
            .sql()
            .replace(f"state->'{self.key}'", f"state->'{self.key}'->'{self.entry}'")
        )

    def test(self, status: str | None, state: Mapping[str, Any]) -> bool:
        field = state.get(self.key)
        return (
            bool(_ENTRY.match(self.entry))
            and isinstance(field, dict)
            and bool(field.get(self.entry))
        )


@dataclass(frozen=True, slots=True)
class Equals:
    """The state field holds this text (a category, a code: the projection's own constants)."""

    key: str
    value: str

    def sql(self) -> str:
        quoted = self.value.replace("'", "''")
        return f"coalesce(state->>'{checked_key(self.key)}' = '{quoted}', false)"

    def test(self, status: str | None, state: Mapping[str, Any]) -> bool:
        return json_text(state.get(self.key)) == self.value


@dataclass(frozen=True, slots=True)
class Not:
    """The condition does not hold."""

    condition: Condition

    def sql(self) -> str:
        return f"NOT {self.condition.sql()}"

    def test(self, status: str | None, state: Mapping[str, Any]) -> bool:
        return not self.condition.test(status, state)


@dataclass(frozen=True, slots=True)
class Both:
    """Both conditions hold."""

    first: Condition
    second: Condition

    def sql(self) -> str:
        return f"({self.first.sql()} AND {self.second.sql()})"

    def test(self, status: str | None, state: Mapping[str, Any]) -> bool:
        return self.first.test(status, state) and self.second.test(status, state)


@dataclass(frozen=True, slots=True)
class Tally:
    """Entities of one kind counted by `by` (columns of `COLUMNS` or state keys), with the number
    of them meeting each named condition; `facts` names event types whose presence in the
    stream within the flow window makes a count of its own (e.g. households visited in the
    period)."""

    kind: str
    by: tuple[str, ...] = ("status",)
    conditions: Mapping[str, Condition] = field(default_factory=dict)
    facts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def counted(self, facets: Mapping[str, tuple[str, ...]]) -> bool:
        """Whether the per-day counts answer this tally: grouped by village and status only,
        conditions that are facets of the kind, no facts."""
        return (
            set(self.by) <= {"village", "status"}
            and not self.facts
            and all(
                isinstance(c, IsSet) and c.key in facets.get(self.kind, ())
                for c in self.conditions.values()
            )
        )

    def group_sql(self) -> list[str]:
        return [f"e.{k}" if k in COLUMNS else f"e.state->>'{checked_key(k)}'" for k in self.by]

    def group_key(self, column: Mapping[str, Any], state: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(column[k] if k in COLUMNS else json_text(state.get(k)) for k in self.by)


@dataclass(frozen=True, slots=True)
class Sort:
    """An order of entities: by a column or a state key, as text (code point order) or as a
    number; empty values last either way; ties by stream id."""

    key: str
    numeric: bool = False
    desc: bool = False

    def sql(self) -> str:
        if self.key in COLUMNS:
            value = f'{self.key} COLLATE "C"'
        elif self.numeric:
            k = checked_key(self.key)
            value = (
                f"CASE WHEN jsonb_typeof(state->'{k}') = 'number' THEN (state->>'{k}')::numeric"
                f" WHEN state->>'{k}' ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (state->>'{k}')::numeric END"
            )
        else:
            value = f"(state->>'{checked_key(self.key)}') COLLATE \"C\""
        direction = "DESC" if self.desc else "ASC"
        return f'{value} {direction} NULLS LAST, stream_id COLLATE "C"'

    def value(self, column: Mapping[str, Any], state: Mapping[str, Any]) -> Any:
        """The sort value as the SQL sees it (None sorts last)."""
        raw = column[self.key] if self.key in COLUMNS else state.get(self.key)
        if not self.numeric or self.key in COLUMNS:
            return json_text(raw) if self.key not in COLUMNS else raw
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int | float):
            return Decimal(str(raw))
        if isinstance(raw, str) and _NUMBER.match(raw):
            return Decimal(raw)
        return None


@dataclass(frozen=True, slots=True)
class Page:
    """Which rows of a list: `limit` None means all of them (exports)."""

    offset: int = 0
    limit: int | None = 50
    sort: Sort | None = None


def json_text(value: Any) -> str | None:
    """What `state->>'key'` gives for a scalar JSON value (None for an absent or null one)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return str(value)


def ordered(items: Sequence[Any], sort: Sort, column: Any, state: Any, stream: Any) -> list[Any]:
    """`items` in `sort`'s order (for the reference reader): `column(item)`, `state(item)` and
    `stream(item)` read an item's columns, state and stream id."""
    present = [i for i in items if sort.value(column(i), state(i)) is not None]
    absent = [i for i in items if sort.value(column(i), state(i)) is None]
    present.sort(key=stream)
    present.sort(key=lambda i: _comparable(sort.value(column(i), state(i))), reverse=sort.desc)
    absent.sort(key=stream)
    return present + absent


def _comparable(value: Any) -> Any:
    return value.encode() if isinstance(value, str) else value
