"""Bulk registration from CSV or XLSX: rows checked one by one, every bad row reported with its
line and reason, nothing stored from a rejected file; and the policy file."""

import asyncio
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook
from relief.adapters.policy_file import load_policy
from relief.adapters.tabular import XLSX, UnreadableTable, UnsupportedType, read_table
from relief.application.imports import ImportRejected, import_households, rows_to_commands
from relief.application.ports import Work
from relief.domain.events import HeadIdNumberClaimed, HouseholdRegistered

from shared.pipeline import Scope

from .scenario import CTX, HEAD_ID, Scenario, resident

HEADER = "village,head_name,head_id_number,income_per_head,causes,members"


def csv_file(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode(encoding)


def run_import(
    s: Scenario, data: bytes, content_type: str = "text/csv", scope: Scope | None = None
) -> list[tuple[int, str]]:
    header, rows = read_table(data, content_type)
    commands, bad = rows_to_commands(header, rows)

    async def register_all(uow: Work) -> list[tuple[int, str]]:
        return await import_households(commands, bad, uow)

    run = s.pipeline.attempt(register_all, CTX, scope or Scope(), dt.date(2016, 3, 1))
    return asyncio.run(run)[0]


GOOD_1 = f"石壁村,张建国,{HEAD_ID},1800.50,因病、缺技术,李秀英/{resident(12, '19720305')}/配偶"
GOOD_2 = f"金霞村,刘桂兰,{resident(21, '19560910')},2100,缺劳力,"


def test_a_good_file_registers_every_household_in_one_go() -> None:
    s = Scenario()
    registered = run_import(s, csv_file(GOOD_1, GOOD_2))
    assert [line for line, _ in registered] == [2, 3]
    types = [type(e) for _, e in s.stored()]
    assert types.count(HouseholdRegistered) == 2 and types.count(HeadIdNumberClaimed) == 2
    first = next(e for _, e in s.stored() if isinstance(e, HouseholdRegistered))
    assert first.income_per_head == Decimal("1800.50") and first.causes == ["因病", "缺技术"]
    assert [m.relation for m in first.members] == ["户主", "配偶"]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_stored() -> None:
    s = Scenario()
    bad_checksum = HEAD_ID[:17] + ("1" if HEAD_ID[17] != "1" else "2")
    data = csv_file(
        GOOD_1,
        f"石壁村,王五,{bad_checksum},1500,因病,",
        f"火星村,赵六,{resident(31)},1500,因病,",
        f"石壁村,钱七,{resident(32)},-3,因病,",
        f"石壁村,孙八,{resident(33)},abc,因病,",
        f",周九,{resident(34)},1200,因病,",
        f"石壁村,吴十,{resident(35)},1200,因懒,",
        f"石壁村,郑十一,{resident(36)},1200,因病,成员甲",
        f"梅林村,张建国,{HEAD_ID},1900,因病,",
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(s, data)
    errors = {(e.line, e.field): e.message for e in caught.value.errors}
    assert "校验位错误" in errors[(3, "head_id_number")]  # the body names the column
    assert "未知村/社区" in errors[(4, None)]
    assert "不能为负数" in errors[(5, "income_per_head")]
    assert "不是金额" in errors[(6, "income_per_head")]
    assert "不能为空" in errors[(7, "village")]
    assert "致贫原因“因懒”无效" in errors[(8, None)]
    assert "姓名/身份证号/关系" in errors[(9, "members")]
    assert "已建档" in errors[(10, None)]
    assert 2 not in {e.line for e in caught.value.errors}
    assert "8 行有误" in str(caught.value)
    assert s.stored() == []


def test_a_head_already_registered_rejects_the_file() -> None:
    s = Scenario()
    run_import(s, csv_file(GOOD_1))
    before = s.stored()
    with pytest.raises(ImportRejected) as caught:
        run_import(s, csv_file(GOOD_2, GOOD_1))
    assert [(e.line, "已建档" in e.message) for e in caught.value.errors] == [(3, True)]
    assert s.stored() == before


def test_a_clerk_imports_rows_of_their_own_village_only() -> None:
    with pytest.raises(ImportRejected) as caught:
        run_import(Scenario(), csv_file(GOOD_1, GOOD_2), scope=Scope("石壁村"))
    assert [(e.line, "只能操作本村" in e.message) for e in caught.value.errors] == [(3, True)]


def test_chinese_headers_and_gbk_csv_from_excel_are_read() -> None:
    header = "村/社区,户主姓名,户主身份证号,人均纯收入,致贫原因"
    data = f"{header}\n金霞村,刘桂兰,{resident(21, '19560910')},2100,缺劳力\n".encode("gb18030")
    header_cells, rows = read_table(data, "text/csv; charset=gbk")
    commands, bad = rows_to_commands(header_cells, rows)
    assert not bad and commands[0][1].village == "金霞村"


def test_missing_columns_reject_the_file() -> None:
    header, rows = read_table(b"village,head_name\n", "text/csv")
    with pytest.raises(ImportRejected, match="表头缺少列"):
        rows_to_commands(header, rows)


def test_an_xlsx_file_is_read_with_its_row_numbers() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["石壁村", "张建国", HEAD_ID, 1800.5, "因病", ""])
    sheet.append([None] * 6)
    sheet.append(["石壁村", "李四", "123", 1800, "因病", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportRejected) as caught:
        run_import(Scenario(), buffer.getvalue(), XLSX)
    assert [e.line for e in caught.value.errors] == [4]
    _, rows = read_table(buffer.getvalue(), XLSX)
    assert rows[0] == (2, ["石壁村", "张建国", HEAD_ID, "1800.5", "因病", ""])


def test_other_uploads_are_refused() -> None:
    with pytest.raises(UnsupportedType):
        read_table(b"{}", "application/json")
    with pytest.raises(UnreadableTable):
        read_table(b"PK not really a zip", XLSX)
    with pytest.raises(UnreadableTable):
        read_table(b"", "text/csv")


def test_the_policy_file_holds_the_2016_line_and_the_targets() -> None:
    policy = load_policy()
    assert policy.lines.line_for(2016) == Decimal("2952")
    targets = policy.targets
    assert (targets.posts, targets.students, targets.clinics, targets.clinic_staff) == (
        50,
        10,
        4,
        10,
    )
    assert targets.community_site_min_area_m2 == Decimal(600)


def test_a_file_with_too_many_rows_is_refused_while_reading() -> None:
    with pytest.raises(UnreadableTable, match="最多导入 2 行"):
        read_table(csv_file(GOOD_1, GOOD_2, GOOD_1), "text/csv", max_rows=2)
