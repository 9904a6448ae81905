"""Exports open: CSV parses (UTF-8 with BOM), XLSX loads with openpyxl."""

import csv
import io
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from projection.domain.timeframe import Window
from projection.entrypoints.export import cell, inert, write_csv, write_xlsx
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


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]


def free_text_view() -> View:
    """Petitions whose free text a petitioner typed as formulas, next to a real negative number
    and an amount."""
    table = Table(
        "petitions",
        "信访件",
        [
            Column("petitioner_name", "信访人"),
            Column("subject", "事由", "note"),
            Column("delta", "变化", "int"),
            Column("amount", "金额", "money"),
        ],
        [
            {"petitioner_name": text, "subject": text, "delta": -3, "amount": "-12.50"}
            for text in FORMULAS
        ],
    )
    cards = [Card("=1+1", "-5", "@x")]
    return View("supervision/petitions", "信访积案化解", Window(), None, cards, [], [table])


def test_text_a_spreadsheet_would_run_gets_a_quote() -> None:
    for text in [*FORMULAS, "\t=1+1", "\r=1+1", " =1+1", "\u3000＝1+1", "－1"]:
        assert inert(text) == "'" + text
    for harmless in ["石壁村", "张大山", "a-b", "", "'=1+1", "1-2", "#N/A"]:
        assert inert(harmless) == harmless
    for number in [-2, -2.5, Decimal("-12.50"), 0]:
        assert inert(number) == number and type(inert(number)) is type(number)


async def test_the_csv_holds_formulas_as_quoted_text_and_numbers_as_numbers() -> None:
    data = await to_csv(free_text_view().tables[0])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r[:2] for r in rows[1:]] == [["'" + t, "'" + t] for t in FORMULAS]
    assert {(r[2], r[3]) for r in rows[1:]} == {("-3", "-12.50")}  # no quote on a number


async def test_the_xlsx_has_no_formula_and_keeps_numbers_numeric() -> None:
    book = load_workbook(io.BytesIO(await to_xlsx(free_text_view())))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    sheet = book["信访件"]
    assert [c.value for c in sheet[2]][:2] == ["'" + FORMULAS[0]] * 2
    assert (sheet["C2"].value, sheet["C2"].data_type) == (-3, "n")
    assert (sheet["D2"].value, sheet["D2"].data_type) == (-12.5, "n")
    about = {row[0].value: row[1].value for row in book["说明"].iter_rows()}
    assert about["'=1+1"] == "'-5 @x"


async def test_the_xlsx_keeps_text_that_looks_like_an_error_or_holds_control_characters() -> None:
    table = Table(
        "t", "信访件", [Column("subject", "事由")], [{"subject": "#N/A"}, {"subject": "a\x01b"}]
    )
    view = View("supervision/petitions", "信访", Window(), None, [], [], [table])
    sheet = load_workbook(io.BytesIO(await to_xlsx(view)))["信访件"]
    assert [(c.value, c.data_type) for (c, _) in sheet.iter_rows(min_row=2)] == [
        ("#N/A", "s"),
        ("ab", "s"),
    ]
