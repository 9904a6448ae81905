"""The chaos run's own system: Kafka, PostgreSQL and the five services on a state dir and ports
of their own, started and stopped by the local runner's scripts (deploy/local/*.sh), and the
processes the run kills, found by that state dir's pid and state files only."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
from aiokafka.admin import AIOKafkaAdminClient

REPO = Path(__file__).resolve().parents[3]
LOCAL = REPO / "deploy" / "local"
SERVICES = ("projection", "relief", "funds", "supervision", "party")
INFRA = ("kafka", "postgres")


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on now, distinct (all held open until all are known)."""
    with ExitStack() as held:
        socks = [held.enter_context(socket.socket()) for _ in range(count)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in socks]


def say(message: str) -> None:
    print(f"[chaos] {time.strftime('%H:%M:%S')} {message}", flush=True)


@dataclass
class System:
    """One private instance of the whole system on loopback."""

    state_dir: Path
    kafka_port: int
    controller_port: int
    pg_port: int
    service_ports: dict[str, int] = field(default_factory=dict)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    def dsn(self, database: str) -> str:
        return f"postgresql://lianxin@127.0.0.1:{self.pg_port}/{database}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.service_ports[service]}"

    @property
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("LIANXIN_")
            and key not in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS")
        }
        env |= {
            "LIANXIN_STATE_DIR": str(self.state_dir),
            "LIANXIN_KAFKA_PORT": str(self.kafka_port),
            "LIANXIN_KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "LIANXIN_PG_PORT": str(self.pg_port),
            # synchronous_commit stays on (no LIANXIN_PG_FAST): a commit acknowledged to a
            # client must survive the kill -9 of the postmaster.
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "DATABASE_URL": f"postgresql+asyncpg://lianxin@127.0.0.1:{self.pg_port}/lianxin",
            "LIANXIN_DEMO": "0",
            # no county dashboard: the run kills and checks the town's processes
            "LIANXIN_COUNTY": "",
        }
        env |= {f"LIANXIN_{name.upper()}_PORT": str(p) for name, p in self.service_ports.items()}
        return env

    def script(self, name: str, command: str, timeout: float) -> None:
        """Run deploy/local/<name>.sh <command>; its messages go to the chaos log."""
        log = self.state_dir / "chaos-runner.log"
        with log.open("a", encoding="utf-8") as out:
            done = subprocess.run(
                [str(LOCAL / f"{name}.sh"), command],
                env=self.env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        if done.returncode != 0:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"{name}.sh {command} failed ({done.returncode}):\n{tail}")

    def up(self) -> None:
        """A fresh start: the previous chaos run's data goes (the Kafka jars stay)."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.script("infra", "clean", timeout=120)
        for stale in ("run", "logs"):
            shutil.rmtree(self.state_dir / stale, ignore_errors=True)
        (self.state_dir / "logs").mkdir()
        say(f"infrastructure: Kafka :{self.kafka_port}, PostgreSQL :{self.pg_port}")
        self.script("infra", "up", timeout=300)
        ports = ", ".join(f"{n} :{p}" for n, p in self.service_ports.items())
        say(f"services: {ports}")
        self.script("services", "start", timeout=600)

    def down(self) -> None:
        """Stop everything this run started (services first); never raises."""
        for name in ("services", "infra"):
            try:
                self.script(name, "stop" if name == "services" else "down", timeout=180)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                say(f"teardown: {error}")

    # The processes the run kills -------------------------------------------------------------
    def pid_of(self, victim: str) -> int | None:
        """The victim's pid from this state dir's files, checked against its command line."""
        if victim == "kafka":
            pid = _read_int(self.state_dir / "kafka" / "kafka.pid")
            needle = f"kafka.Kafka {self.state_dir}/kafka/server.properties"
        elif victim == "postgres":
            pid = _read_int(self.state_dir / "pg" / "data" / "postmaster.pid")
            needle = f"-D {self.state_dir}/pg/data"
        else:
            state = self.state_dir / "run" / f"{victim}.state.json"
            try:
                pid = json.loads(state.read_text(encoding="utf-8")).get("child_pid")
            except (OSError, ValueError):
                pid = None
            needle = f"-m {victim}.main"
        if pid is None:
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return None
        return int(pid) if needle in cmdline else None

    def kill(self, victim: str) -> int:
        pid = self.pid_of(victim)
        if pid is None:
            raise RuntimeError(f"{victim} has no live process to kill (state dir {self.state_dir})")
        os.kill(pid, signal.SIGKILL)
        return pid

    def restarts(self, victim: str) -> dict[str, object]:
        """The supervisor's state of a process (restarts, last exit, state)."""
        folder = {"kafka": "kafka", "postgres": "pg"}
        if victim in folder:
            path = self.state_dir / folder[victim] / "supervise.json"
        else:
            path = self.state_dir / "run" / f"{victim}.state.json"
        try:
            state: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
            return state
        except (OSError, ValueError):
            return {}

    async def healthy(self) -> list[str]:
        """What is not ready now: [] when Kafka, PostgreSQL and every service answer."""
        checks: dict[str, Callable[[], Awaitable[bool]]] = {
            "kafka": self._kafka_ready,
            "postgres": self._pg_ready,
            **{name: self._service_ready(name) for name in SERVICES},
        }
        results = await asyncio.gather(*(check() for check in checks.values()))
        return [name for name, ok in zip(checks, results, strict=True) if not ok]

    async def wait_healthy(self, timeout: float) -> float:
        """Seconds until everything is ready again; raises after `timeout`."""
        started = time.monotonic()
        while missing := await self.healthy():
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(missing)}")
            await asyncio.sleep(0.5)
        return time.monotonic() - started

    async def _kafka_ready(self) -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=3000)
        try:
            await asyncio.wait_for(admin.start(), 5)
            await asyncio.wait_for(admin.list_topics(), 5)
            return True
        except Exception:
            return False
        finally:
            await admin.close()

    async def _pg_ready(self) -> bool:
        try:
            conn = await asyncpg.connect(self.dsn("lianxin"), timeout=3)
        except Exception:
            return False
        await conn.close()
        return True

    def _service_ready(self, name: str) -> Callable[[], Awaitable[bool]]:
        async def ready() -> bool:
            try:
                async with httpx.AsyncClient(timeout=3) as client:
                    response = await client.get(f"{self.url(name)}/health/ready")
                return response.status_code == 200
            except httpx.HTTPError:
                return False

        return ready


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None
