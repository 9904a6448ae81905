"""What every view is given, and small helpers the views share."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from projection.adapters.area import load_area
from projection.adapters.queries import Condition, Page, Sort
from projection.adapters.reader import Entity, Snapshot
from projection.domain.catalogue import status_label
from projection.domain.timeframe import Window, parse_deadline
from projection.views.model import PageInfo, Table, View
from shared.town import Town

#: Rows of a long list on one page unless the caller asks for another size.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class PageAsk:
    """Which page of a view's long lists (households, members, …), sorted by which column;
    `size` None asks for every row (exports)."""

    number: int = 1
    size: int | None = PAGE_SIZE
    sort: str | None = None
    desc: bool = False


@dataclass(frozen=True, slots=True)
class Ask:
    """One request for a view: when, where, and what the caller may see in detail."""

    window: Window
    village: str | None
    today: dt.date
    clues: bool = False
    town_code: str = "430321100"
    page: PageAsk = PageAsk()

    @property
    def reference_day(self) -> dt.date:
        """The day deadlines are judged against (as_of or period end, else today)."""
        return self.window.reference_day(self.today)

    @property
    def town(self) -> Town:
        """The area shown: a town, or a county as one town of all its towns' villages."""
        return load_area(self.town_code)

    def villages(self) -> list[str]:
        """The villages a village-by-village table lists."""
        return [self.village] if self.village else list(self.town.names)

    async def entities(self, snap: Snapshot, kinds: str | list[str]) -> list[Entity]:
        return await snap.entities(kinds, cutoff=self.window.cutoff, village=self.village)

    async def facts(self, snap: Snapshot, types: list[str]) -> list[Any]:
        return await snap.facts(
            types, start=self.window.flow_start, cutoff=self.window.cutoff, village=self.village
        )


Builder = Callable[[Snapshot, Ask], Awaitable[View]]


def day_of(value: Any) -> dt.date | None:
    """A date from an ISO text (or a plan deadline such as `2016-12`)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return parse_deadline(str(value))


def overdue_days(deadline: Any, reference: dt.date, *, done: bool) -> int:
    """Days past the deadline when not done (0 otherwise; no deadline is never overdue)."""
    due = day_of(deadline)
    if done or due is None or reference <= due:
        return 0
    return (reference - due).days


def entity_row(entity: Entity, **fields: Any) -> dict[str, Any]:
    """A table row of an entity: its stream (for the drill-down), village and status."""
    return {
        "stream_id": entity.stream_id,
        "village": entity.village or "",
        "status": status_label(entity.kind, entity.status),
        **fields,
    }


def by_status(entities: Iterable[Entity]) -> Counter[str]:
    return Counter(e.status or "" for e in entities)


def in_window(day_text: Any, ask: Ask) -> bool:
    """Whether a business date falls in the asked period (and not after the state day)."""
    day = day_of(day_text)
    if day is None:
        return False
    w = ask.window
    if w.start and day < w.start:
        return False
    return not (w.state_day and day > w.state_day)


async def entity_table(
    snap: Snapshot,
    ask: Ask,
    table: Table,
    kinds: str | list[str],
    sorts: dict[str, Sort],
    row: Callable[[Entity], dict[str, Any]],
    *,
    where: Condition | None = None,
) -> Table:
    """Fill a long list with the page of entities the ask names, sorted in SQL by one of
    `sorts` (column key → order); the table records the page and the total."""
    asked = ask.page
    sort = sorts.get(asked.sort or "")
    if sort is not None and asked.desc:
        sort = Sort(sort.key, sort.numeric, desc=True)
    offset = (asked.number - 1) * asked.size if asked.size else 0
    total, found = await snap.entity_page(
        kinds,
        cutoff=ask.window.cutoff,
        village=ask.village,
        page=Page(offset=offset, limit=asked.size if asked.size else 0, sort=sort),
        where=where,
    )
    table.rows = [row(e) for e in found]
    if asked.size is None:  # an export: every row, read in chunks as it is written

        async def more() -> AsyncIterator[list[dict[str, Any]]]:
            async for chunk in snap.entity_chunks(
                kinds, cutoff=ask.window.cutoff, village=ask.village, sort=sort, where=where
            ):
                yield [row(e) for e in chunk]

        table.more = more
    table.page = PageInfo(
        number=asked.number,
        size=asked.size,
        total=total,
        sort=asked.sort if sort is not None else None,
        desc=asked.desc if sort is not None else False,
        sortable=list(sorts),
    )
    return table


def page_of(ask: Ask, rows: list[Any]) -> list[Any]:
    """The asked page of a list already read for the view's figures (in its own order)."""
    asked = ask.page
    if asked.size is None:
        return rows
    start = (asked.number - 1) * asked.size
    return rows[start : start + asked.size]


def page_info(ask: Ask, total: int) -> PageInfo:
    """The page a list paged by `page_of` holds (it has no other order to sort by)."""
    return PageInfo(
        number=ask.page.number,
        size=ask.page.size,
        total=total,
        sort=None,
        desc=False,
        sortable=[],
    )
