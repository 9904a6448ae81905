"""`make run`'s service runner on the real infrastructure: every service starts, its demo data
loads through its own API, the leaders' view shows it, and `stop` ends every process.

The runner under test gets free ports of its own (`LIANXIN_<SERVICE>_PORT`), so that it runs
beside a system started by `make run` on 8100–8104 and leaves that one alone."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from demo.client import demo_issuer
from demo.users import demo_user
from shared.testing import Infra, free_ports

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "deploy" / "local" / "services.sh"
SERVICES = ("projection", "relief", "funds", "supervision", "party", "county")
DEFAULT_PORTS = range(8100, 8106)


@pytest.fixture
def ports() -> Iterator[dict[str, int]]:
    """The runner's ports for this test, and whatever listened on the default ones before it
    (a `make run` system) still listening after it."""
    before = [port for port in DEFAULT_PORTS if _in_use(port)]
    yield dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
    assert [port for port in before if _in_use(port)] == before, "the test stopped `make run`"


def _in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _get(port: int, path: str, token: str | None = None) -> Any:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _registered_households(port: int, token: str) -> int:
    view = _get(port, "/api/v1/views/relief/villages", token)
    card = next(c for c in view["cards"] if c["label"] == "建档立卡户")
    return int(card["value"])


def test_the_services_start_load_their_demo_data_and_stop(
    infra: Infra, tmp_path: Path, ports: dict[str, int]
) -> None:
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap_servers,
        "DATABASE_URL": infra.database_url,
        "LIANXIN_STATE_DIR": str(tmp_path),
        **{f"LIANXIN_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    try:
        started = subprocess.run(
            [str(RUNNER), "start"], env=env, capture_output=True, text=True, timeout=900
        )
        assert started.returncode == 0, started.stderr[-4000:]
        assert f"http://127.0.0.1:{ports['projection']}/" in started.stdout
        for name, port in ports.items():
            if name != "county":
                assert f"http://127.0.0.1:{port}/docs" in started.stdout, name
            assert _get(port, "/health/ready")["status"] == "ok", name
        assert f"http://127.0.0.1:{ports['county']}/" in started.stdout  # 县级驾驶舱
        token = demo_issuer().issue(demo_user("secretary"))  # the runner's own key pair
        # relief's own store holds the demo's 150 households (the relief database has nothing
        # else: tests use fresh schemas in the `lianxin` database) ...
        demo = _get(ports["relief"], "/api/v1/households", token)["count"]
        assert demo == 150
        # ... and the leaders' view, built from Kafka, shows at least those.
        deadline = time.monotonic() + 120
        while _registered_households(ports["projection"], token) < demo:
            assert time.monotonic() < deadline, "the demo households never reached the view"
            time.sleep(0.5)
        # the county's dashboard rolls up both demo towns: Yisuhe's households and 花石镇's
        county = demo_issuer().issue(demo_user("county-secretary"))
        deadline = time.monotonic() + 120
        while _registered_households(ports["county"], county) <= demo:
            assert time.monotonic() < deadline, "the county view never showed both towns"
            time.sleep(0.5)
    finally:
        stopped = subprocess.run(
            [str(RUNNER), "stop"], env=env, capture_output=True, text=True, timeout=300
        )
    assert stopped.returncode == 0, stopped.stderr[-2000:]
    assert not [name for name, port in ports.items() if _in_use(port)]
