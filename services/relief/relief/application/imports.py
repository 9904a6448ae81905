"""Bulk registration of households from a table (CSV or XLSX): every row is checked, every bad
row reported with its line and reason, and nothing is stored unless every row is good.

Columns (header row; English or Chinese names, any order; see the service README):

| column | 中文表头 | required | content |
|---|---|---|---|
| `village` | 村/社区 | yes | a village or community of the town |
| `head_name` | 户主姓名 | yes | |
| `head_id_number` | 户主身份证号 | yes | 18 characters, check character valid |
| `income_per_head` | 人均纯收入 | yes | CNY per head per year, ≥ 0, e.g. `2350.50` |
| `causes` | 致贫原因 | yes | one or more of the 致贫原因, separated by `、` `,` `;` |
| `members` | 家庭成员 | no | other members: `姓名/身份证号/关系` separated by `;` |
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from pydantic import ValidationError

from relief.application import households
from relief.application.commands import RegisterHousehold
from relief.application.ports import Work
from relief.domain.household_record import Person
from shared.kernel import DomainError, Refused
from shared.validation import message

MAX_ROWS = 5000

#: canonical column → the header names accepted for it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "village": ("village", "村/社区", "村社区", "村"),
    "head_name": ("head_name", "户主姓名", "户主"),
    "head_id_number": ("head_id_number", "户主身份证号", "身份证号"),
    "income_per_head": ("income_per_head", "人均纯收入", "人均收入"),
    "causes": ("causes", "致贫原因"),
    "members": ("members", "家庭成员"),
}
REQUIRED = ("village", "head_name", "head_id_number", "income_per_head", "causes")

_LIST_SEPARATORS = re.compile(r"[、,，;；]")
_MEMBER_SEPARATORS = re.compile(r"[;；\n]")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of one row: the line in the file, the column (if one), the reason."""

    line: int
    field: str | None
    message: str


class ImportRejected(DomainError):
    """The file has bad rows; none of it was stored."""

    title: ClassVar[str] = "导入被拒绝 (import rejected)"

    def __init__(self, errors: Sequence[RowError], detail: str = "") -> None:
        self.errors = list(errors)
        lines = sorted({e.line for e in self.errors})
        super().__init__(
            detail
            or f"{len(lines)} 行有误，未导入任何数据 ({len(lines)} bad rows; nothing was stored)"
        )


def column_map(header: Sequence[str]) -> dict[str, int]:
    """Which position holds each canonical column; a missing required one rejects the file."""
    aliases = {alias.lower(): key for key, names in COLUMNS.items() for alias in names}
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        key = aliases.get(str(name or "").strip().lower())
        if key is not None and key not in found:
            found[key] = position
    if missing := [k for k in REQUIRED if k not in found]:
        wanted = "、".join(f"{k}（{COLUMNS[k][1]}）" for k in missing)
        message = f"表头缺少列：{wanted}，未导入任何数据 (missing columns; nothing was stored)"
        raise ImportRejected([RowError(1, None, message)], message)
    return found


def _members(text: str, line: int, errors: list[RowError]) -> list[Person]:
    people = []
    for entry in filter(None, (e.strip() for e in _MEMBER_SEPARATORS.split(text))):
        parts = [p.strip() for p in entry.split("/")]
        if len(parts) != 3 or not all(parts):
            errors.append(
                RowError(
                    line, "members", f"成员“{entry}”应为 姓名/身份证号/关系 (name/id/relation)"
                )
            )
            continue
        people.append(Person(parts[0], parts[1], parts[2]))
    return people


def row_command(line: int, values: Mapping[str, str]) -> RegisterHousehold | list[RowError]:
    """The registration a row asks for, or what is wrong with the row's cells."""
    errors = [
        RowError(line, key, f"{COLUMNS[key][1]}不能为空 (required)")
        for key in REQUIRED
        if not values.get(key, "").strip()
    ]
    income = Decimal(0)
    raw_income = values.get("income_per_head", "").strip().replace(",", "")
    if raw_income:
        try:
            income = Decimal(raw_income)
            if not income.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                RowError(line, "income_per_head", f"“{raw_income}”不是金额 (not an amount)")
            )
        else:
            if income < 0:
                errors.append(RowError(line, "income_per_head", "人均纯收入不能为负数 (negative)"))
            elif income != income.quantize(Decimal("0.01")):
                errors.append(RowError(line, "income_per_head", "金额最多两位小数 (2 decimals)"))
    members = _members(values.get("members", ""), line, errors)
    if errors:
        return errors
    causes = [c.strip() for c in _LIST_SEPARATORS.split(values["causes"]) if c.strip()]
    try:
        return RegisterHousehold(
            village=values["village"].strip(),
            head_name=values["head_name"].strip(),
            head_id_number=values["head_id_number"].strip(),
            members=members,  # validated from the Person values (from_attributes)
            household_id=None,
            causes=causes,
            income_per_head=income,
        )
    except ValidationError as exc:
        return [
            RowError(line, str(err["loc"][0]) if err["loc"] else None, message(err))
            for err in exc.errors()
        ]


async def import_households(
    rows: list[tuple[int, RegisterHousehold]], bad: list[RowError], uow: Work
) -> list[tuple[int, str]]:
    """Register every row in ONE unit of work (the caller commits it); any bad row rejects
    the whole file."""
    errors = list(bad)
    registered: list[tuple[int, str]] = []
    for line, cmd in rows:
        try:
            household_id, _ = await households.register(cmd, uow)
        except DomainError as exc:
            errors.append(RowError(line, None, str(exc)))
        else:
            registered.append((line, household_id))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    if not registered:
        raise Refused("文件中没有数据行 (the file has no rows)")
    return registered


def rows_to_commands(
    header: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]]
) -> tuple[list[tuple[int, RegisterHousehold]], list[RowError]]:
    """Commands for the good rows and errors for the bad ones (empty rows are skipped)."""
    positions = column_map(header)
    commands: list[tuple[int, RegisterHousehold]] = []
    errors: list[RowError] = []
    for line, cells in rows:
        if not any(str(c or "").strip() for c in cells):
            continue
        values = {
            key: str(cells[pos] if pos < len(cells) and cells[pos] is not None else "")
            for key, pos in positions.items()
        }
        outcome = row_command(line, values)
        if isinstance(outcome, list):
            errors += outcome
        else:
            commands.append((line, outcome))
    if len(commands) + len({e.line for e in errors}) > MAX_ROWS:
        message = f"一次最多导入 {MAX_ROWS} 行 (too many rows)"
        raise ImportRejected([RowError(1, None, message)], message)
    return commands, errors
