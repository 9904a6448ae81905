"""事实依据 — what a figure of a view counts: the entities or the events behind it.

A view builder gives a figure its `Basis` when it makes it: the entities or events it already
read for the figure (then the list is exactly what was counted), or, for a figure counted in
SQL, the query that lists the same entities or events (`EntityQuery`, `EventQuery`). The
figure is named by an id (`card/<label>`, `cell/<table>/<column>/<row key>`), and
`GET /api/v1/basis/<view>?figure=<id>` lists the basis under the same filters and `as_of`.

`count` is the number the figure shows (for a rate, its numerator, shown in the hint as
`n / total`); a figure that sums a payload field (posts) names it in `sums`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from projection.adapters.queries import Condition
from projection.adapters.reader import Entity, LoggedEvent


@dataclass(frozen=True, slots=True)
class EntityQuery:
    """The entities of these kinds as of the ask meeting `where`, in `village` (None: the
    ask's village)."""

    kinds: tuple[str, ...]
    where: Condition | None = None
    village: str | None = None


@dataclass(frozen=True, slots=True)
class EventQuery:
    """The events of these types in the ask's window, in `village` (None: the ask's)."""

    types: tuple[str, ...]
    village: str | None = None


@dataclass(frozen=True, slots=True)
class Basis:
    """What one figure counts."""

    count: float
    entities: tuple[Entity, ...] = ()
    events: tuple[LoggedEvent, ...] = ()
    query: EntityQuery | EventQuery | None = None
    sums: str | None = None

    @property
    def kinds(self) -> set[str]:
        """The kinds of entity or stream the basis lists (for the access check)."""
        if isinstance(self.query, EntityQuery):
            return set(self.query.kinds)
        return {e.kind for e in self.entities} | {e.kind for e in self.events}


def of_entities(entities: Iterable[Entity]) -> Basis:
    """A count of these entities."""
    found = tuple(entities)
    return Basis(len(found), entities=found)


def of_events(events: Iterable[LoggedEvent], *, sums: str | None = None) -> Basis:
    """A count of these events, or the sum of their payload's `sums` field."""
    found = tuple(events)
    if sums is None:
        return Basis(len(found), events=found)
    return Basis(sum(int(e.payload.get(sums) or 0) for e in found), events=found, sums=sums)


def of_query(count: float, query: EntityQuery | EventQuery) -> Basis:
    """A figure counted in SQL, and the query that lists what it counted."""
    return Basis(count, query=query)


def card_id(label: str) -> str:
    return f"card/{label}"


def cell_id(table: str, column: str, row_key: object) -> str:
    return f"cell/{table}/{column}/{row_key}"


def chart_id(chart: str, series: str, category: object) -> str:
    return f"chart/{chart}/{series}/{category}"
