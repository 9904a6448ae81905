"""Self-healing, tried as an operator would: the local runner's supervisor restarts what dies
and gives up on a crash loop; the short chaos run (kill -9 of every service, the broker and the
postmaster in turn, under load) loses and doubles nothing; compose restarts its containers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.testing import free_ports

REPO = Path(__file__).resolve().parents[2]
SUPERVISE = REPO / "deploy" / "local" / "supervise.py"
CHAOS = REPO / "deploy" / "local" / "chaos"


def _eventually(check: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"{what} within {timeout} s"
        time.sleep(0.05)
    return found


def _gone(pid: int) -> bool:
    """Exited (a zombie not yet reaped counts as gone: its command line is empty)."""
    try:
        return not Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


def _state(path: Path) -> dict[str, Any]:
    try:
        state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return state
    except (OSError, ValueError):
        return {}


def _supervise(tmp_path: Path, *command: str, **options: str) -> subprocess.Popen[bytes]:
    flags = [f"--{key.replace('_', '-')}={value}" for key, value in options.items()]
    return subprocess.Popen(
        [
            sys.executable,
            str(SUPERVISE),
            "run",
            "--name",
            "t",
            "--state",
            str(tmp_path / "t.json"),
            *flags,
            "--",
            *command,
        ],
        stderr=(tmp_path / "t.log").open("wb"),
    )


def test_a_killed_process_is_restarted_and_a_stop_is_final(tmp_path: Path) -> None:
    supervisor = _supervise(tmp_path, "sleep", "600", backoff="0.1")
    state = tmp_path / "t.json"
    try:
        first = _eventually(lambda: _state(state).get("child_pid"), "the process runs")
        os.kill(first, signal.SIGKILL)
        second = _eventually(
            lambda: (p := _state(state).get("child_pid")) not in (None, first) and p,
            "the process runs again",
        )
        assert _state(state)["restarts"] == 1
        assert _state(state)["last_exit"] == "signal KILL"
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=10) == 0
        assert _state(state)["state"] == "stopped"
        _eventually(lambda: _gone(second), "the process stopped with its supervisor")
    finally:
        supervisor.kill()
        supervisor.wait(timeout=10)


def test_a_crash_loop_is_given_up_and_reported(tmp_path: Path) -> None:
    supervisor = _supervise(tmp_path, "false", backoff="0.05", limit="4", window="30")
    assert supervisor.wait(timeout=20) == 1
    state = _state(tmp_path / "t.json")
    assert state["state"] == "given up"
    assert state["restarts"] == 3
    assert state["last_exit"] == "code 1"
    assert "supervise.crash_loop" in (tmp_path / "t.log").read_text(encoding="utf-8")
    shown = subprocess.run(
        [sys.executable, str(SUPERVISE), "show", str(tmp_path / "t.json")],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert shown.startswith("t: given up, restarts 3, last exit code 1")


def test_compose_restarts_every_container() -> None:
    document = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    without = [name for name, s in document["services"].items() if not s.get("restart")]
    assert not without, f"no restart policy: {without}"


@pytest.mark.integration
def test_kill_minus_nine_under_load_loses_and_doubles_nothing() -> None:
    """The short chaos run: one kill of each process (7 rounds), a small load; ~3 minutes.
    Its own state dir and free ports: never the test infrastructure nor `make run`'s."""
    kafka, controller, pg = free_ports(3)
    state_dir = REPO / ".local" / "chaos-test"
    run = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "python"),
            str(CHAOS),
            "--rounds",
            "7",
            "--interval",
            "3",
            "--rate",
            "6",
            "--state-dir",
            str(state_dir),
            "--kafka-port",
            str(kafka),
            "--kafka-controller-port",
            str(controller),
            "--pg-port",
            str(pg),
            "--recover-timeout",
            "120",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    report = json.loads((state_dir / "chaos-report.json").read_text(encoding="utf-8"))
    assert {k["victim"] for k in report["kills"]} == {
        "relief",
        "funds",
        "supervision",
        "party",
        "projection",
        "kafka",
        "postgres",
    }
    for name, tally in report["kinds"].items():
        assert tally["acknowledged"] > 0, name
        assert tally["acknowledged"] == tally["stored"] == tally["on_kafka"] == tally["in_views"]
        assert tally["lost"] == tally["doubled"] == [], name
    assert not any(report["dead_letters"].values())
    assert report["replay"]["equal"] is True
