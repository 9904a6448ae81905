"""What a view is: cards, charts and tables, the same shape for JSON, the dashboard and exports.

Every table row may carry `stream_id`: the dashboard links it to the entity's audit trail.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from projection.domain.timeframe import Window
from projection.views.basis import Basis, card_id, cell_id, chart_id

#: A long list's rows, read in chunks (for an export).
RowChunks = Callable[[], AsyncIterator[list[dict[str, Any]]]]


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its key in the rows, its zh-CN title, and how to show it
    (`text`, `note` (long text that wraps), `int`, `pct`, `money`, `date`, `status`, `bool`,
    `flag` (a number shown red when above zero))."""

    key: str
    title: str
    kind: str = "text"


@dataclass(frozen=True, slots=True)
class PageInfo:
    """Which page of a long list a table holds: its number, size (None: all rows), the total
    number of rows, the sort column and direction, and the columns it can be sorted by."""

    number: int
    size: int | None
    total: int
    sort: str | None
    desc: bool
    sortable: list[str]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size)) if self.size else 1

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "size": self.size,
            "total": self.total,
            "pages": self.pages,
            "sort": self.sort,
            "desc": self.desc,
            "sortable": self.sortable,
        }


@dataclass(slots=True)
class Table:
    """Rows of one kind (a village, a programme, a petition ...); a long list holds one page
    of its rows (`page`), read and sorted in SQL. For an export a long list holds no rows but
    `more`: its rows in chunks, read from the snapshot while the export is written."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    page: PageInfo | None = None
    more: RowChunks | None = field(default=None, repr=False)
    bases: dict[str, Basis] = field(default_factory=dict, repr=False)

    def based(self, row: dict[str, Any], column: str, basis: Basis) -> None:
        """Give a row's figure its basis (事实依据); the row is named by its first column."""
        figure = cell_id(self.name, column, row[self.columns[0].key])
        self.bases[figure] = basis
        row.setdefault("figures", {})[column] = figure

    def basis_of(self, column: str, row_key: object) -> Basis | None:
        """The basis given to a row's figure (None if it has none)."""
        return self.bases.get(cell_id(self.name, column, row_key))

    async def chunks(self) -> AsyncIterator[list[dict[str, Any]]]:
        """Every row: those held, then those `more` reads."""
        if self.rows:
            yield self.rows
        if self.more is not None:
            async for chunk in self.more():
                yield chunk

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "note": self.note,
            "columns": [{"key": c.key, "title": c.title, "kind": c.kind} for c in self.columns],
            "rows": self.rows,
            "page": self.page.to_json() if self.page else None,
        }


@dataclass(slots=True)
class Series:
    """One data series of a chart."""

    name: str
    data: list[float | int]
    stack: str | None = None
    #: Each bar's basis (事实依据), parallel to `data`, when the bars count entities or events.
    bases: list[Basis | None] | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class Chart:
    """A chart the dashboard draws with ECharts: `bar`, `hbar`, `pie`, `line` or `gauge`."""

    name: str
    title: str
    type: str
    categories: list[str]
    series: list[Series]
    unit: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "type": self.type,
            "unit": self.unit,
            "categories": self.categories,
            "series": [
                {"name": s.name, "data": s.data, "stack": s.stack}
                | ({"figures": self.figures(s)} if s.bases is not None else {})
                for s in self.series
            ],
        }

    def figures(self, series: Series) -> list[str | None]:
        """The figure id of each bar of a series that has bases (None: no basis)."""
        bases = series.bases or []
        return [
            chart_id(self.name, series.name, category) if i < len(bases) and bases[i] else None
            for i, category in enumerate(self.categories)
        ]

    def basis(self, figure: str) -> Basis | None:
        for series in self.series:
            for i, found in enumerate(self.figures(series)):
                if found == figure and series.bases is not None:
                    return series.bases[i]
        return None


@dataclass(frozen=True, slots=True)
class Card:
    """A headline figure, with its target when the plan sets one; `tone` is ok, warn or bad."""

    label: str
    value: str
    hint: str = ""
    tone: str = ""
    basis: Basis | None = field(default=None, compare=False, repr=False)

    @property
    def figure(self) -> str | None:
        """The card's figure id when it has a basis (事实依据)."""
        return card_id(self.label) if self.basis is not None else None


@dataclass(slots=True)
class View:
    """One leadership view, as of a time, for a village or the whole town."""

    name: str
    title: str
    window: Window
    village: str | None
    cards: list[Card] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, name: str | None) -> Table:
        """The named table (the first when no name is given); KeyError if absent."""
        if not self.tables:
            raise KeyError("this view has no table")
        if not name:
            return self.tables[0]
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)

    def basis(self, figure: str) -> Basis | None:
        """The basis of a figure by its id (None: no such figure, or it has none)."""
        for card in self.cards:
            if card.figure == figure:
                return card.basis
        for table in self.tables:
            if figure in table.bases:
                return table.bases[figure]
        for chart in self.charts:
            if figure.startswith(f"chart/{chart.name}/") and (found := chart.basis(figure)):
                return found
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "view": self.name,
            "title": self.title,
            "as_of": self.window.as_of.isoformat() if self.window.as_of else None,
            "from": self.window.start.isoformat() if self.window.start else None,
            "to": self.window.end.isoformat() if self.window.end else None,
            "village": self.village,
            "cards": [
                {"label": c.label, "value": c.value, "hint": c.hint, "tone": c.tone}
                | ({"figure": c.figure} if c.figure else {})
                for c in self.cards
            ],
            "charts": [c.to_json() for c in self.charts],
            "tables": [t.to_json() for t in self.tables],
            "notes": self.notes,
        }


def pct(part: float, whole: float) -> float:
    """A percentage with one decimal (0 when there is nothing to divide)."""
    return round(100.0 * part / whole, 1) if whole else 0.0


def ratio_text(done: float, target: float) -> str:
    """`37 / 50`."""
    return f"{_num(done)} / {_num(target)}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def tone_for(progress: float, *, overdue: bool = False) -> str:
    """ok at or above 100 %, bad when overdue, warn otherwise."""
    if progress >= 100:
        return "ok"
    return "bad" if overdue else "warn"
