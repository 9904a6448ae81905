"""Exports open: CSV parses (UTF-8 with BOM), XLSX loads with openpyxl."""

import csv
import io

from openpyxl import load_workbook
from projection.domain.timeframe import Window
from projection.entrypoints.export import to_csv, to_xlsx
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


def test_csv_parses_with_chinese_headers() -> None:
    data = to_csv(a_view().tables[0])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["村/社区", "结对率", "逾期", "实体编号"], ["石壁村", "66.7", "是", "x-1"]]


def test_xlsx_has_a_sheet_per_table_after_the_description() -> None:
    book = load_workbook(io.BytesIO(to_xlsx(a_view(), user="审计员 (auditor)", masked=False)))
    assert book.sheetnames == ["说明", "分村统计"]
    sheet = book["分村统计"]
    assert [c.value for c in sheet[2]] == ["石壁村", 66.7, "是", "x-1"]
