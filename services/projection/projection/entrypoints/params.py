"""The query parameters every view takes, checked and turned into an `Ask`."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Query, Request
from starlette.exceptions import HTTPException as StarletteHTTPException

from projection.adapters.area import load_area, towns_of
from projection.domain.access import (
    OutOfScope,
    held_area,
    sees_clues,
    town_scope,
    village_scope,
)
from projection.domain.timeframe import BadPeriod, Window
from projection.views.common import MAX_PAGE_SIZE, PAGE_SIZE, Ask, PageAsk
from shared.business_dates import AsOfDate
from shared.clock import china_today
from shared.kernel import Refused
from shared.roles import Principal
from shared.town import Town


class ViewQuery:
    """`village`, `period`, `from`, `to`, `as_of` (a FastAPI dependency class)."""

    def __init__(
        self,
        village: Annotated[str | None, Query(description="村/社区名称或代码")] = None,
        town: Annotated[
            str | None, Query(description="镇（县级驾驶舱）：镇的行政区划代码", max_length=12)
        ] = None,
        period: Annotated[
            str | None, Query(description="期间：2016、2016-07、2016-Q3 或 2016-H1")
        ] = None,
        start: Annotated[AsOfDate | None, Query(alias="from", description="期间起 (含)")] = None,
        end: Annotated[AsOfDate | None, Query(alias="to", description="期间止 (含)")] = None,
        as_of: Annotated[
            AsOfDate | None, Query(description="截至某日（上海时间当日结束时）的状态")
        ] = None,
        page: Annotated[int, Query(ge=1, le=1_000_000, description="长列表的页码（从 1 起）")] = 1,
        size: Annotated[
            int, Query(ge=1, le=MAX_PAGE_SIZE, description="长列表每页条数")
        ] = PAGE_SIZE,
        sort: Annotated[
            str | None, Query(max_length=64, description="长列表按哪一列排序（列的 key）")
        ] = None,
        desc: Annotated[bool, Query(description="倒序")] = False,
    ) -> None:
        self.village = village or None
        self.town = town or None
        self.period = period or None
        self.start = start
        self.end = end
        self.as_of = as_of
        self.page = PageAsk(number=page, size=size, sort=sort or None, desc=desc)

    def ask(self, request: Request, principal: Principal, *, every_row: bool = False) -> Ask:
        """The checked request: 422 for a bad period or village, 403 out of scope;
        `every_row` for exports (long lists whole, in the asked order)."""
        settings = request.app.state.settings
        area = settings.area_code
        try:
            shown = town_scope(
                held_area(principal, area), area, checked_town(area, self.town), towns_of(area)
            )
            town = load_area(shown or area)
            village = checked_village(town, self.village) if self.village is not None else None
            village = village_scope(principal, village)
            window = Window.build(
                as_of=self.as_of, period=self.period, start=self.start, end=self.end
            )
        except OutOfScope as exc:
            raise StarletteHTTPException(403, str(exc)) from exc
        except BadPeriod as exc:
            raise StarletteHTTPException(422, str(exc)) from exc
        return Ask(
            window=window,
            village=village,
            today=china_today(),
            clues=sees_clues(principal),
            town_code=shown or area,
            page=replace(self.page, number=1, size=None) if every_row else self.page,
        )

    def params(self) -> dict[str, str]:
        """The query as given (for links that keep the filters)."""
        out = {
            "town": self.town or "",
            "village": self.village or "",
            "period": self.period or "",
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
            "as_of": self.as_of.isoformat() if self.as_of else "",
            "sort": self.page.sort or "",
            "desc": "true" if self.page.desc and self.page.sort else "",
            "size": str(self.page.size) if self.page.size != PAGE_SIZE else "",
        }
        return {k: v for k, v in out.items() if v}


def checked_town(area: str, town: str | None) -> str | None:
    """One of the area's towns, by code (422 for any other); None when not asked."""
    if town is None or town == area:
        return None
    if town not in towns_of(area):
        raise StarletteHTTPException(422, f"本区域没有该镇 (no town {town} in area {area})")
    return town


def checked_village(town: Town, village: str) -> str:
    """The name of the town's village or community `village` (a name or code); 422 for any
    other (as `Town.known_village` refuses it)."""
    try:
        return town.known_village(village).name
    except Refused as exc:
        raise StarletteHTTPException(422, str(exc)) from exc
