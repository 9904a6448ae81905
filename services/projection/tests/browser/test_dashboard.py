"""The dashboard in a real headless Chromium (Debian's, driven by Playwright): log in as a demo
user, the overview loads, a chart renders, a drill-down reaches an audit trail.

Needs `deploy/local/browser.sh` (chromium + a CJK font) and the ECharts build
(`services/projection/build_static.sh`). Screenshots go to `LIANXIN_SCREENSHOTS` (default: the
test's tmp dir)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import uvicorn
from playwright.async_api import Page, async_playwright
from projection.bootstrap import build_app

from shared.testing import Infra, eventually, unique

from ..integration.support import publish, settings_for, town_story

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
]

CHROMIUM = os.environ.get("LIANXIN_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
BUILD = HERE.parent.parent / "build_static.sh"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: run deploy/local/browser.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # under CI a missing browser fails, never skips
        pytest.skip(reason)
    if subprocess.run([str(BUILD), "check"], capture_output=True).returncode != 0:
        done = subprocess.run([str(BUILD)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"build_static.sh failed: {done.stderr[-1000:]}")
    return CHROMIUM


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def server(infra: Infra, chromium: str) -> AsyncIterator[str]:
    """The projection on a real port, fed with the town story."""
    suffix = "." + unique("b")
    story = town_story()
    await publish(infra.kafka_bootstrap_servers, story.envelopes, suffix)
    app = build_app(settings_for(infra, suffix))
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    instance = uvicorn.Server(config)
    task = asyncio.create_task(instance.serve())
    base = f"http://127.0.0.1:{port}"

    async def ready() -> bool:
        if not instance.started:
            return False
        async with app.state.reader.snapshot() as snap:
            return bool((await snap.stats())["events"] == len(story.envelopes))

    await eventually(ready, timeout=60, what="the projection serving every event")
    try:
        yield base
    finally:
        instance.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 20)


@pytest_asyncio.fixture(loop_scope="session")
async def page(chromium: str) -> AsyncIterator[Page]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        try:
            yield await context.new_page()
        finally:
            await browser.close()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LIANXIN_SCREENSHOTS", str(tmp_path)))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def test_overview_chart_and_drill_down_to_the_audit_trail(
    server: str, page: Page, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    await page.goto(f"{server}/dashboard")
    assert "/login" in page.url  # not signed in yet
    await page.click("button[data-user='secretary']")
    await page.wait_for_url(f"{server}/dashboard")
    await page.wait_for_selector("h1:has-text('十四项主要措施')")
    assert await page.locator("table tbody tr").count() >= 14

    chart = page.locator("#chart-progress")
    await chart.locator("canvas, svg").first.wait_for(state="attached", timeout=15_000)
    box = await chart.locator("canvas, svg").first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    await page.screenshot(path=str(shots / "overview.png"), full_page=True)

    await page.goto(f"{server}/dashboard/relief/villages?as_of=2016-12-31")
    await page.locator("#chart-by_village canvas").wait_for(timeout=15_000)
    await page.screenshot(path=str(shots / "relief.png"), full_page=True)
    await page.locator("tr:has-text('张大山') a.drill").click()
    await page.wait_for_selector("#audit-trail li")
    assert await page.locator("#chain-status").inner_text() >= "哈希链校验"
    assert "完整" in await page.locator("#chain-status .value").inner_text()
    assert await page.locator("#audit-trail li").count() == 5
    await page.screenshot(path=str(shots / "audit.png"), full_page=True)

    # one event opens its cause chain (因果链): the timeline across services, this step marked
    await page.locator("#audit-trail li a.chain").first.click()
    await page.wait_for_selector("#chain li")
    assert await page.locator("#chain li.asked").count() == 1
    assert "审计追溯" in await page.locator("#chain").inner_text()
    await page.screenshot(path=str(shots / "chain.png"), full_page=True)


async def test_a_tablet_sees_the_dashboard_and_the_public_page(
    server: str, chromium: str, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        context = await browser.new_context(
            viewport={"width": 820, "height": 1180}, locale="zh-CN", has_touch=True
        )
        tab = await context.new_page()
        await tab.goto(f"{server}/public")
        assert "惠农涉农资金公示" in await tab.content()
        await tab.goto(f"{server}/login?next=/dashboard/funds/red-flags")
        await tab.click("button[data-user='clerk-shibi']")
        await tab.wait_for_selector("h1:has-text('资金问题预警')")
        await tab.locator(".chart canvas").first.wait_for(timeout=15_000)
        width = await tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 820  # nothing overflows the tablet's width
        await tab.screenshot(path=str(shots / "tablet.png"), full_page=True)
        await browser.close()


async def test_a_figure_on_the_overview_opens_its_events_and_one_its_cause_chain(
    server: str, page: Page, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    await page.goto(f"{server}/login?next=/dashboard")
    await page.click("button[data-user='auditor']")
    await page.wait_for_selector("h1:has-text('十四项主要措施')")
    # 事实依据: the done figure of "1. 脱贫户" opens the households that make it
    figure = page.locator("tr:has-text('1. 脱贫户') a.basis")
    shown = (await figure.inner_text()).strip()
    await figure.click()
    await page.wait_for_selector("h1:has-text('事实依据')")
    assert (await page.locator("#basis-figure .value").inner_text()).strip() == shown
    rows = page.locator("#basis-items tbody tr")
    assert await rows.count() == int(shown)
    assert "脱贫" in await rows.first.inner_text()  # each household by its exit event
    await page.screenshot(path=str(shots / "basis.png"), full_page=True)
    # one event opens its cause chain
    await rows.first.locator("a.chain").click()
    await page.wait_for_selector("#chain li")
    assert await page.locator("#chain li.asked").count() == 1
    await page.screenshot(path=str(shots / "basis-chain.png"), full_page=True)
