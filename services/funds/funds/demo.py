"""`python -m funds.demo [--base-url URL]`: the demo town's fund data, through the service's own
HTTP API, dated 2016–2017, with planted problems so that every red-flag code appears.

Idempotent: every entity has a fixed reference, so a second run finds it (409) and adds nothing.
Run it after relief's demo (`make run` order: relief, then funds): the poor-households programme
then pays relief's registered households correctly; without them it still runs, and only the
planted problems are paid in that programme.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

import httpx

from demo.client import DemoError, demo_issuer
from funds import demo_data as data
from funds.demo_client import Loader
from funds.demo_steps import (
    books,
    collective,
    disclosures,
    elders,
    handle_flags,
    industry,
    registered_households,
    subsistence,
    works,
)
from funds.domain.codes import CODES
from shared.cli import run_cli
from shared.progress import Progressing, counting
from shared.settings import Settings
from shared.town import load_town


def summary(loader: Loader) -> list[str]:
    """Print what the leadership sees; return the red-flag codes that did not appear."""
    flags = loader.get("/api/v1/red-flags")
    by_code = Counter(f["code"] for f in flags)
    print(f"预警 {len(flags)} 条：")
    for code, info in CODES.items():
        print(f"  {code:<28} {info.label:<20} {by_code.get(code, 0)}")
    zero = loader.get("/api/v1/collective-economy/zero-income-villages")
    print("清零名单：" + "、".join(f"{v['village']}（{v['leader']}）" for v in zero["villages"]))
    overdue = loader.get(
        "/api/v1/finance-disclosures/overdue", as_of=data.OVERDUE_AS_OF.isoformat()
    )
    print(
        f"截至 {data.OVERDUE_AS_OF} 财务公开逾期："
        + "、".join(
            f"{v['village']}（{'、'.join(v['overdue_periods'])}）" for v in overdue["villages"]
        )
    )
    late = [
        f"{d['village']}“{d['subject']}”（应于 {d['result_due_on']} 前公开）"
        for village in dict.fromkeys(d["village"] for d in data.DECISIONS)
        for d in loader.get(
            f"/api/v1/villages/{village}/decisions",
            as_of=data.OVERDUE_AS_OF.isoformat(),
            overdue="true",
        )["decisions"]
    ]
    print(f"截至 {data.OVERDUE_AS_OF} 实施结果逾期未公开：" + ("、".join(late) or "无"))
    return [code for code in CODES if code not in by_code]


def wait_ready(http: httpx.Client, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if http.get("/health/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise DemoError(f"the funds service is not ready at {http.base_url}")
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load the funds demo data (资金监管演示数据).")
    parser.add_argument("--base-url", default="http://127.0.0.1:8102")
    parser.add_argument(
        "--wait-relief", type=float, default=5.0, help="seconds to wait for relief's households"
    )
    args = parser.parse_args(argv)
    settings = Settings()
    issuer = demo_issuer(settings)
    started = time.monotonic()
    town = load_town(settings.town_code)
    with (
        Progressing("资金监管演示数据 (funds demo)", None) as progress,
        httpx.Client(base_url=args.base_url, timeout=30, event_hooks=counting(progress)) as http,
    ):
        wait_ready(http, 30)
        loader = Loader(http, town.code, issuer)
        households = registered_households(loader, args.wait_relief)
        print(f"资金监管演示数据 → {args.base_url}（扶贫建档立卡户 {len(households)} 户可见）")
        industry(loader, households, set(town.names))
        elders(loader)
        subsistence(loader)
        works(loader)
        handle_flags(loader)
        collective(loader)
        books(loader)
        disclosures(loader, list(town.names))
        missing = summary(loader)
    took = time.monotonic() - started
    written, existing = loader.counts["written"], loader.counts["already there"]
    print(f"完成：写入 {written}，已存在 {existing}，用时 {took:.1f} 秒")
    if missing:
        print("缺少预警代码：" + ", ".join(missing), file=sys.stderr)
        # a run that wrote nothing found a store an earlier demo (maybe an older version) had
        # loaded: what that one lacks is reported, not failed (`make clean` starts afresh)
        return 1 if written else 0
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, what="funds demo"))
