"""Reading an uploaded table (CSV or XLSX) into a header and numbered rows of text cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"

Rows = list[tuple[int, Sequence[str]]]


class UnreadableTable(ValueError):
    """The upload is not a CSV or XLSX file this service can read."""

    status = 422


class UnsupportedType(UnreadableTable):
    """The upload's content type is neither CSV nor XLSX."""

    status = 415


def read_table(data: bytes, content_type: str, max_rows: int = 5000) -> tuple[Sequence[str], Rows]:
    """The header and the data rows, each with its line (row) number in the file; more than
    `max_rows` data rows are refused (a small upload can unpack into a huge sheet)."""
    kind = content_type.split(";")[0].strip().lower()
    if not data:
        raise UnreadableTable("文件为空 (the file is empty)")
    if kind == XLSX or (kind == "application/octet-stream" and data[:2] == b"PK"):
        return _xlsx(data, max_rows)
    if kind in (CSV, "text/plain", "application/csv"):
        return _csv(data, max_rows)
    raise UnsupportedType(
        f"不支持的文件类型 {kind or '(none)'}：请上传 CSV（{CSV}）或 XLSX（{XLSX}）"
    )


def _decode(data: bytes) -> str:
    # Excel in China saves CSV as GB18030 (GBK) unless told otherwise; UTF-8 first.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableTable("CSV 编码无法识别：请用 UTF-8 或 GBK (unknown text encoding)")


def _too_many(max_rows: int) -> UnreadableTable:
    return UnreadableTable(f"一次最多导入 {max_rows} 行 (too many rows)")


def _csv(data: bytes, max_rows: int) -> tuple[Sequence[str], Rows]:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise UnreadableTable("CSV 没有表头 (no header row)") from exc
    rows: Rows = []
    try:
        start = reader.line_num + 1
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
            if len(rows) > max_rows:
                raise _too_many(max_rows)
    except csv.Error as exc:
        raise UnreadableTable(f"CSV 第 {reader.line_num} 行无法读取：{exc}") from exc
    return header, rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel keeps numbers as binary floats: 2350.5 → "2350.5", never "2350.4999…"
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _xlsx(data: bytes, max_rows: int) -> tuple[Sequence[str], Rows]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableTable(f"XLSX 文件无法读取 (not a readable workbook): {exc}") from exc
    numbered: Rows = []
    try:
        sheet = book.worksheets[0]
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            numbered.append((n, [_cell(v) for v in row]))
            if len(numbered) > max_rows + 1:
                raise _too_many(max_rows)
    except UnreadableTable:
        raise
    except Exception as exc:
        raise UnreadableTable(f"XLSX 文件无法读取 (not a readable workbook): {exc}") from exc
    finally:
        book.close()
    if not numbered:
        raise UnreadableTable("XLSX 没有表头 (no header row)")
    return numbered[0][1], numbered[1:]
