"""Exports of a view: CSV (one table, UTF-8 with BOM so that spreadsheet programs read the
Chinese) and XLSX (openpyxl: a sheet describing the query, then one sheet per table)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from projection.domain.timeframe import local_text
from projection.views.model import Table, View
from shared.clock import utc_now

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def to_csv(table: Table) -> bytes:
    """One table as CSV (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header(table))
    for row in table.rows:
        writer.writerow(_row(table, row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(view: View, *, user: str, masked: bool) -> bytes:
    """The whole view as a workbook."""
    book = Workbook()
    about = book.active
    about.title = "说明"
    bold = Font(bold=True)
    now = local_text(utc_now())
    lines = [
        ("视图", view.title),
        ("村/社区", view.village or "全镇"),
        ("截至", view.window.as_of.isoformat() if view.window.as_of else "最新"),
        ("期间起", view.window.start.isoformat() if view.window.start else ""),
        ("期间止", view.window.end.isoformat() if view.window.end else ""),
        ("导出人", user),
        ("导出时间", now),
        ("个人信息", "已脱敏" if masked else "完整（有权限）"),
    ]
    lines += [(card.label, f"{card.value} {card.hint}".strip()) for card in view.cards]
    for key, value in lines:
        about.append([key, value])
        about.cell(row=about.max_row, column=1).font = bold
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 48
    fill = PatternFill("solid", fgColor="DCE6F1")
    for table in view.tables:
        sheet = book.create_sheet(_sheet_title(table.title))
        sheet.append(_header(table))
        for col in range(1, len(table.columns) + 2):
            sheet.cell(row=1, column=col).font = bold
            sheet.cell(row=1, column=col).fill = fill
        for row in table.rows:
            sheet.append(_row(table, row))
        for index, column in enumerate(table.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(10, min(40, len(column.title) * 2 + 4))
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "表"
