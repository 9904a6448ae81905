"""Replay: every read model rebuilt from offset zero into a fresh schema equals the live one,
and is swapped in while the API keeps serving (the consumer follows it)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from typing import Any

import pytest
from projection.bootstrap import build_app
from projection.replay import replay
from projection.synthetic import EnvelopeFactory, household_registered

from shared.roles import Role
from shared.testing import Infra, app_client, bearer, eventually, unique

from .support import publish, settings_env, settings_for, town_story

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SECRETARY = bearer(Role.TOWN_SECRETARY)


async def test_replay_equals_live_and_is_swapped_in_without_stopping_the_api(
    infra: Infra,
) -> None:
    suffix = "." + unique("r")
    story = town_story()
    await publish(infra.kafka_bootstrap_servers, story.envelopes, suffix)
    settings = settings_for(infra, suffix)
    app = build_app(settings)
    async with app_client(app) as client:

        async def status() -> dict[str, Any]:
            return dict((await client.get("/api/v1/status", headers=SECRETARY)).json())

        async def logged(n: int) -> bool:
            return bool((await status())["events"] == n)

        await eventually(lambda: logged(len(story.envelopes)), what="the live projection")
        before = (await client.get("/api/v1/views/relief/villages", headers=SECRETARY)).json()
        live_schema = (await status())["schema"]

        report = await replay(settings, timeout=120)

        assert report["comparison"]["equal"] is True, report
        assert report["comparison"]["common_events"] == len(story.envelopes)
        assert report["rebuild"]["applied"] == len(story.envelopes)
        assert report["rebuild"]["per_second"] > 0
        assert report["swapped"] is True and report["previous_schema"] == live_schema
        # the API reads the new schema from the next request on
        assert (await status())["schema"] == report["schema"]
        after = (await client.get("/api/v1/views/relief/villages", headers=SECRETARY)).json()
        assert after["tables"] == before["tables"]

        # the running consumer followed the swap: a new event shows in the new schema
        f = EnvelopeFactory()
        late = household_registered(
            f, unique("h"), "五星村", "吴新来", "43032119700101999", dt.date(2017, 1, 5)
        )
        await publish(infra.kafka_bootstrap_servers, [late], suffix)
        await eventually(
            lambda: logged(len(story.envelopes) + 1),
            timeout=30,
            what="the consumer on the new schema",
        )
        assert app.state.worker.schema == report["schema"]

        # the CLI: a second rebuild from a subprocess, reported as JSON; awaited, not run
        # blocking, so that the projection in this process keeps consuming (and ends its
        # transactions) while the CLI swaps and drops the old schema
        cli = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "projection.replay",
            "--json",
            "--drop-old",
            env=settings_env(settings),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(cli.communicate(), timeout=180)
        assert cli.returncode == 0, err.decode()[-3000:]
        second = json.loads(out)
        assert second["comparison"]["equal"] is True
        assert second["rebuild"]["applied"] == len(story.envelopes) + 1
        assert second["dropped"] == [live_schema]
        replays = (await client.get("/api/v1/replays", headers=bearer(Role.AUDITOR))).json()
        assert [r["schema"] for r in replays] == [second["schema"], report["schema"]]
        assert (
            await client.get(
                "/api/v1/replays", headers=bearer(Role.VILLAGE_CLERK, village="石壁村")
            )
        ).status_code == 403
