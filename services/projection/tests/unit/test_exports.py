"""Exports open: CSV parses (UTF-8 with BOM), XLSX loads with openpyxl."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook
from projection.domain.timeframe import Window
from projection.entrypoints.export import cell, to_csv, to_xlsx
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


def test_money_is_an_exact_decimal() -> None:
    assert cell("100.00", "money") == Decimal("100.00")
    assert cell("12345678901234.57", "money") == Decimal("12345678901234.57")
    assert cell("n/a", "money") == "n/a"


def test_the_csv_keeps_the_recorded_amount() -> None:
    table = Table("t", "资金", [Column("amount", "金额", "money")], [{"amount": "2000.10"}])
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows[1][0] == "2000.10"
