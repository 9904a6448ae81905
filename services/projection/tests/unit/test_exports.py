"""Exports open: CSV parses (UTF-8 with BOM), XLSX loads with openpyxl."""

import csv
import io
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from projection.domain.timeframe import Window
from projection.entrypoints.export import cell, write_csv, write_xlsx
from projection.views.model import Card, Column, Table, View


def a_view() -> View:
    table = Table(
        "villages",
        "分村统计",
        [
            Column("village", "村/社区"),
            Column("paired_pct", "结对率", "pct"),
            Column("late", "逾期", "bool"),
        ],
        [{"village": "石壁村", "paired_pct": 66.7, "late": True, "stream_id": "x-1"}],
    )
    return View("relief/villages", "精准扶贫", Window(), None, [Card("户", "3")], [], [table])


async def to_csv(table: Table) -> bytes:
    out = io.BytesIO()
    await write_csv(table, out)
    return out.getvalue()


async def to_xlsx(view: View) -> bytes:
    out = io.BytesIO()
    await write_xlsx(view, out, user="审计员 (auditor)", masked=False)
    return out.getvalue()


async def test_csv_parses_with_chinese_headers() -> None:
    data = await to_csv(a_view().tables[0])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["村/社区", "结对率", "逾期", "实体编号"], ["石壁村", "66.7", "是", "x-1"]]


async def test_xlsx_has_a_sheet_per_table_after_the_description() -> None:
    book = load_workbook(io.BytesIO(await to_xlsx(a_view())))
    assert book.sheetnames == ["说明", "分村统计"]
    sheet = book["分村统计"]
    assert [c.value for c in sheet[2]] == ["石壁村", 66.7, "是", "x-1"]


def test_money_is_an_exact_decimal() -> None:
    assert cell("100.00", "money") == Decimal("100.00")
    assert cell("12345678901234.57", "money") == Decimal("12345678901234.57")
    assert cell("n/a", "money") == "n/a"


async def test_the_csv_keeps_the_recorded_amount() -> None:
    table = Table("t", "资金", [Column("amount", "金额", "money")], [{"amount": "2000.10"}])
    rows = list(csv.reader(io.StringIO((await to_csv(table)).decode("utf-8-sig"))))
    assert rows[1][0] == "2000.10"


def a_long_list(chunks: int, size: int) -> Table:
    """A list held as no rows but chunks read while the export is written."""

    async def more() -> AsyncIterator[list[dict[str, Any]]]:
        for c in range(chunks):
            yield [{"name": f"户主{c}-{i}", "stream_id": f"h-{c}-{i}"} for i in range(size)]

    return Table("households", "贫困户明细", [Column("name", "户主")], more=more)


async def test_an_export_writes_the_rows_read_in_chunks_in_their_order() -> None:
    rows = list(csv.reader(io.StringIO((await to_csv(a_long_list(3, 4))).decode("utf-8-sig"))))
    assert rows[0] == ["户主", "实体编号"]
    assert [r[1] for r in rows[1:]] == [f"h-{c}-{i}" for c in range(3) for i in range(4)]
    view = View("relief/villages", "精准扶贫", Window(), None, [], [], [a_long_list(2, 3)])
    sheet = load_workbook(io.BytesIO(await to_xlsx(view)))["贫困户明细"]
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [
        f"h-{c}-{i}" for c in range(2) for i in range(3)
    ]
