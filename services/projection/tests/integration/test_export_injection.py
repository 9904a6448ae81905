"""Formula injection through the export endpoint: petitions whose petitioner and subject were
typed as spreadsheet formulas, published to (scratch) Kafka topics, exported as CSV and XLSX
for a role that sees names and for one that sees them masked. Every such cell comes out as
text with a leading quote; no XLSX cell is a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from openpyxl import load_workbook
from projection.bootstrap import build_app
from projection.synthetic import EnvelopeFactory
from projection.synthetic import supervision as su

from shared.roles import Role
from shared.testing import Infra, app_client, bearer, eventually, unique

from .support import Story, publish, settings_for

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SECRETARY = bearer(Role.TOWN_SECRETARY)  # sees names
AGRICULTURE = bearer(Role.AGRICULTURE_LEADER)  # sees them masked
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]
TRIGGERS = ("=", "+", "-", "@")
PETITIONS = "/api/v1/views/supervision/petitions"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def client(infra: Infra) -> AsyncIterator[httpx.AsyncClient]:
    suffix = "." + unique("x")
    f, story = EnvelopeFactory(), Story()
    for n, text in enumerate(FORMULAS):
        received = dt.date(2016, 5, 3 + n)
        story.add(su.petition_received(f, str(uuid.uuid4()), "石壁村", text, text, received))
    await publish(infra.kafka_bootstrap_servers, story.envelopes, suffix)
    async with app_client(build_app(settings_for(infra, suffix))) as client:

        async def all_logged() -> bool:
            status = (await client.get("/api/v1/status", headers=SECRETARY)).json()
            return bool(status["events"] == len(story.envelopes))

        await eventually(all_logged, timeout=60, what="every published event in the log")
        yield client


async def export(client: httpx.AsyncClient, kind: str, headers: dict[str, str]) -> bytes:
    params = {"format": kind, "table": "petitions", "as_of": "2016-12-31"}
    response = await client.get(PETITIONS, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.content


@pytest.mark.parametrize("headers", [SECRETARY, AGRICULTURE], ids=["names", "masked"])
async def test_the_csv_export_holds_formulas_as_quoted_text(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    rows = list(csv.reader(io.StringIO((await export(client, "csv", headers)).decode("utf-8-sig"))))
    assert rows[0][:2] == ["事由", "信访人"]
    assert sorted(r[0] for r in rows[1:]) == sorted("'" + t for t in FORMULAS)
    for row in rows[1:]:
        assert row[1].startswith("'") and row[1][1:2] in TRIGGERS  # the name, masked or not
        assert not [value for value in row if value.startswith(TRIGGERS)]
    if headers is SECRETARY:
        assert sorted(r[1] for r in rows[1:]) == sorted("'" + t for t in FORMULAS)


@pytest.mark.parametrize("headers", [SECRETARY, AGRICULTURE], ids=["names", "masked"])
async def test_the_xlsx_export_has_no_formula(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    book = load_workbook(io.BytesIO(await export(client, "xlsx", headers)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(TRIGGERS)]
    sheet = book["信访件"]
    subjects = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(subjects) == sorted("'" + t for t in FORMULAS)
    days_open = [row[8] for row in sheet.iter_rows(min_row=2)]  # 在办天数: numbers stay numbers
    assert all(isinstance(c.value, int) and c.data_type == "n" for c in days_open)
