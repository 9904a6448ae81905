"""Exports of a view: CSV (one table, UTF-8 with BOM so that spreadsheet programs read the
Chinese) and XLSX (openpyxl: a sheet describing the query, then one sheet per table).

A long list is written as it is read (`Table.chunks`), into a file the response then streams;
neither the rows nor the document are held in memory whole.

Every exported cell passes `inert` (CSV and formula injection, OWASP): free text such as a
petitioner's name or a note is recorded as typed, and a spreadsheet must show it, not run it."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from projection.domain.timeframe import local_text
from projection.views.model import Table, View
from shared.clock import utc_now

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: A text cell starting with one of these is read as a formula (or splits into one) by Excel,
#: LibreOffice or Google Sheets: = + - @, TAB, CR (OWASP), LF and NUL (ASVS 1.2.10).
_LEADING_CONTROLS = ("\t", "\r", "\n", "\0")
#: The same, after leading whitespace, and in the full-width forms a Chinese input method types.
_FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def inert(value: Any) -> Any:
    """A cell value as an export writes it: text that a spreadsheet would take for a formula
    gets a leading single quote (`=HYPERLINK(...)` -> `'=HYPERLINK(...)`), so it stays text.
    Numbers (int, float, Decimal, a negative one too) and other text are returned unchanged."""
    if isinstance(value, str) and (
        value.startswith(_LEADING_CONTROLS) or value.lstrip().startswith(_FORMULA_STARTS)
    ):
        return "'" + value
    return value


def cell(value: Any, kind: str) -> Any:
    """A value as a spreadsheet shows it."""
    if value is None:
        return ""
    if kind == "bool" or isinstance(value, bool):
        return "是" if value else "否"
    if kind in ("money", "pct") and value != "":
        try:  # exact decimals: CSV keeps the text as recorded, XLSX stores a number
            return Decimal(str(value))
        except (InvalidOperation, ValueError):
            return value
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {v}" for k, v in value.items())
    return value


def _header(table: Table) -> list[str]:
    return [c.title for c in table.columns] + ["实体编号"]


def _row(table: Table, row: dict[str, Any]) -> list[Any]:
    return [cell(row.get(c.key), c.kind) for c in table.columns] + [row.get("stream_id", "")]


async def write_csv(table: Table, out: IO[bytes]) -> None:
    """One table as CSV (UTF-8 with BOM) into `out`, chunk by chunk as its rows are read."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(inert(title) for title in _header(table))
    out.write(("\ufeff" + text.getvalue()).encode("utf-8"))
    async for chunk in table.chunks():
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerows([inert(value) for value in _row(table, row)] for row in chunk)
        out.write(text.getvalue().encode("utf-8"))


async def write_xlsx(view: View, out: IO[bytes], *, user: str, masked: bool) -> None:
    """The whole view as a workbook into `out`: a sheet describing the query, then one sheet per
    table. Write-only sheets: rows go to the file as they are read, not kept in memory."""
    book = Workbook(write_only=True)
    about = book.create_sheet("说明")
    bold = Font(bold=True)
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 48
    lines = [
        ("视图", view.title),
        ("村/社区", view.village or "全镇"),
        ("截至", view.window.as_of.isoformat() if view.window.as_of else "最新"),
        ("期间起", view.window.start.isoformat() if view.window.start else ""),
        ("期间止", view.window.end.isoformat() if view.window.end else ""),
        ("导出人", user),
        ("导出时间", local_text(utc_now())),
        ("个人信息", "已脱敏" if masked else "完整（有权限）"),
    ]
    lines += [(card.label, f"{card.value} {card.hint}".strip()) for card in view.cards]
    for key, value in lines:
        about.append([_styled(about, key, bold), _xlsx(about, value)])
    fill = PatternFill("solid", fgColor="DCE6F1")
    for table in view.tables:
        sheet = book.create_sheet(_sheet_title(table.title))
        for index, column in enumerate(table.columns, start=1):
            width = max(10, min(40, len(column.title) * 2 + 4))
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_styled(sheet, title, bold, fill) for title in _header(table)])
        async for chunk in table.chunks():
            for row in chunk:
                sheet.append([_xlsx(sheet, value) for value in _row(table, row)])
    book.save(out)


def _xlsx(sheet: Any, value: Any) -> Any:
    """A value for a worksheet: text without the control characters a workbook cannot hold
    (openpyxl refuses them), made inert, so that openpyxl stores it as a string, never as a
    formula; anything else as it is."""
    if not isinstance(value, str):
        return value
    text = inert(ILLEGAL_CHARACTERS_RE.sub("", value))
    # Inert text does not start with "=" (openpyxl's formula); only "#N/A" and the other error
    # codes would still be taken for something else than text.
    return _string_cell(sheet, text) if text in ERROR_CODES else text


def _string_cell(sheet: Any, text: str) -> Cell:
    out = WriteOnlyCell(sheet, value=text)
    out.data_type = "s"
    return out


def _styled(sheet: Any, value: str, font: Font, fill: PatternFill | None = None) -> Cell:
    out = _string_cell(sheet, inert(ILLEGAL_CHARACTERS_RE.sub("", value)))
    out.font = font
    if fill is not None:
        out.fill = fill
    return out


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "表"
