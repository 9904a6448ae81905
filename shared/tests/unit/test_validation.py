"""Invalid input reads in Chinese first and names the field by its Chinese label; business
dates outside the programme's window are refused the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Annotated, Any, Literal

import httpx
import pytest
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from shared.business_dates import BusinessDate, Deadline, check_deadline, check_fact_date
from shared.clock import china_today
from shared.roles import Principal, Role
from shared.testing import bearer, router_client
from shared.web import PROBLEM, require

router = APIRouter()
WRITER = bearer(Role.AGRICULTURE_LEADER)


class Member(BaseModel):
    id_number: str = Field(min_length=18, max_length=18)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Decimal = Field(ge=0, description="拨付金额（元）")
    village: str = Field(min_length=1)
    kind: Literal["county", "town"] = Field("town", title="资金来源")
    members: list[Member] = Field(default=[], description="家庭成员")
    occurred_on: BusinessDate | None = None
    ends_on: Deadline | None = Field(None, description="公示截止日期（不少于7天）")


@router.post("/api/v1/things")
async def make_thing(
    body: Body,
    who: Annotated[Principal, Depends(require(Role.AGRICULTURE_LEADER))],
    page: Annotated[int, Query(ge=1, description="页码（从1开始）")] = 1,
) -> dict[str, str]:
    return {"by": who.user_id}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with router_client(router) as c:
        yield c


def body(**overrides: Any) -> dict[str, Any]:
    return {"amount": "2000", "village": "石壁村", **overrides}


async def when_posted(client: httpx.AsyncClient, json: Any, **params: Any) -> dict[str, Any]:
    r = await client.post("/api/v1/things", json=json, params=params, headers=WRITER)
    assert (r.status_code, r.headers["content-type"]) == (422, PROBLEM), r.text
    problem: dict[str, Any] = r.json()
    assert problem["title"] == "输入无效 (invalid input)"
    return problem


def then_the_field(problem: dict[str, Any], field: str, *says: str) -> None:
    error = next(e for e in problem["errors"] if e["field"] == field)
    for text in says:
        assert text in error["message"], error
        assert text in problem["detail"], problem


async def test_a_negative_amount_is_named_by_its_declared_label(
    client: httpx.AsyncClient,
) -> None:
    problem = await when_posted(client, body(amount="-5"))
    then_the_field(problem, "amount", "拨付金额：应不小于 0")


async def test_a_missing_field_is_named_from_the_glossary(client: httpx.AsyncClient) -> None:
    problem = await when_posted(client, {"amount": "1"})
    then_the_field(problem, "village", "村/社区：必须填写")


async def test_a_date_with_a_time_says_so_in_chinese(client: httpx.AsyncClient) -> None:
    problem = await when_posted(client, body(occurred_on="2016-05-01T10:00:00"))
    then_the_field(problem, "occurred_on", "业务日期：", "不能带时间")


async def test_a_malformed_date_and_number_say_what_is_expected(
    client: httpx.AsyncClient,
) -> None:
    problem = await when_posted(client, body(occurred_on="五月一日", amount="两千"))
    then_the_field(problem, "occurred_on", "业务日期：应为日期，格式 YYYY-MM-DD")
    then_the_field(problem, "amount", "拨付金额：应为数字")


async def test_an_unknown_choice_an_extra_field_and_a_nested_field(
    client: httpx.AsyncClient,
) -> None:
    problem = await when_posted(
        client, body(kind="city", colour="red", members=[{"id_number": "123"}])
    )
    then_the_field(problem, "kind", "资金来源：应为以下之一：'county' or 'town'")
    then_the_field(problem, "colour", "colour：不是可接受的字段")
    then_the_field(problem, "members.0.id_number", "家庭成员 第1项 身份证号：至少 18 个字符")


async def test_a_query_parameter_is_named_by_its_description(client: httpx.AsyncClient) -> None:
    problem = await when_posted(client, body(), page="0")
    then_the_field(problem, "page", "页码：应不小于 1")


async def test_a_body_that_is_not_json_is_named_as_the_body(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/things",
        content=b"{not json",
        headers={**WRITER, "content-type": "application/json"},
    )
    assert r.status_code == 422
    assert "请求体：不是有效的 JSON" in r.json()["detail"]


async def test_an_unknown_address_is_404_in_chinese(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/nothing-here", headers=WRITER)
    assert (r.status_code, r.json()["detail"]) == (404, "没有这个地址 (not found)")


# --- the window of business dates ------------------------------------------------------------


async def test_a_fact_before_the_programme_is_refused_naming_the_field(
    client: httpx.AsyncClient,
) -> None:
    problem = await when_posted(client, body(occurred_on="0150-01-01"))
    then_the_field(problem, "occurred_on", "业务日期：日期 0150-01-01 早于本项目开始（2016-01-01）")


async def test_a_fact_after_today_is_refused(client: httpx.AsyncClient) -> None:
    tomorrow = china_today() + dt.timedelta(days=1)
    problem = await when_posted(client, body(occurred_on=tomorrow.isoformat()))
    then_the_field(problem, "occurred_on", f"日期 {tomorrow} 晚于今天")


async def test_a_deadline_centuries_ahead_is_refused(client: httpx.AsyncClient) -> None:
    problem = await when_posted(client, body(ends_on="3581-01-01"))
    then_the_field(problem, "ends_on", "公示截止日期：日期 3581-01-01 晚于今后10年")


def test_the_plan_years_and_a_near_deadline_are_plausible() -> None:
    today = dt.date(2026, 6, 1)
    assert check_fact_date(dt.date(2016, 1, 1), today) == dt.date(2016, 1, 1)
    assert check_fact_date(today, today) == today
    assert check_deadline(dt.date(2036, 6, 1), today) == dt.date(2036, 6, 1)
    with pytest.raises(ValueError, match="晚于今后10年"):
        check_deadline(dt.date(2036, 6, 2), today)
    with pytest.raises(ValueError, match="早于本项目开始"):
        check_deadline(dt.date(2015, 12, 31), today)
