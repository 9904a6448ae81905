"""Keeps one process running: the local runner's supervisor (deploy/local/*.sh start it).

    supervise.py run --name relief --state RUN/relief.state.json [options] -- CMD ARGS...
    supervise.py show STATE_FILE...    one line per state file (what `status` prints)

`run` starts CMD and starts it again whenever it exits without having been asked to stop,
after a backoff that doubles from --backoff (0.5 s) up to --max-backoff (30 s) and falls back
once the process has stayed up for --window seconds. --limit exits within --window seconds
(5 in 60 s) are a crash loop: the supervisor logs it, writes "given up" and exits 1.
SIGTERM or SIGINT to the supervisor is a stop: it sends --stop-signal (TERM; PostgreSQL wants
INT, its fast shutdown) to the process, SIGKILLs it after --stop-timeout seconds, exits 0 and
does not restart it. The process gets --stop-signal as well if the supervisor itself dies.

The state file (JSON, replaced atomically) says: state (starting, running, restarting,
stopping, stopped, given up), the supervisor's and the process's pids, restarts so far, the
last exit and when. --pid-file also gets the process's pid at each start (kafka.pid). Log
lines (JSON, like the services' own) go to stderr, which the scripts send to the service log.
Standard library only: infra.sh runs it with the system's python3 before any venv exists.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from types import FrameType
from typing import Any

POLL = 0.1
PR_SET_PDEATHSIG = 1


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _log(event: str, **fields: Any) -> None:
    line = {"event": f"supervise.{event}", "level": "info", "timestamp": _now(), **fields}
    print(json.dumps(line, ensure_ascii=False), file=sys.stderr, flush=True)


def describe_exit(returncode: int) -> str:
    """`code 1` or `signal KILL` (Popen's negative return code)."""
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name.removeprefix('SIG')}"
        except ValueError:
            return f"signal {-returncode}"
    return f"code {returncode}"


class Supervisor:
    """Runs the command, restarts it after an unrequested exit, stops it when told to."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.stop_signal = signal.Signals[f"SIG{args.stop_signal.upper().removeprefix('SIG')}"]
        self.state_file = Path(args.state)
        self.stopping = False
        self.child: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self.exits: deque[float] = deque()
        self.state: dict[str, Any] = {
            "name": args.name,
            "supervisor_pid": os.getpid(),
            "command": args.command,
            "restarts": 0,
            "last_exit": None,
            "last_exit_at": None,
        }

    def write(self, state: str, **fields: Any) -> None:
        self.state.update(state=state, updated_at=_now(), **fields)
        tmp = self.state_file.with_name(self.state_file.name + ".tmp")
        tmp.write_text(json.dumps(self.state, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(self.state_file)

    def on_stop(self, signum: int, _frame: FrameType | None) -> None:
        if self.stopping:
            return
        self.stopping = True
        _log("stop_requested", name=self.args.name, signal=signal.Signals(signum).name)
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(self.stop_signal)

    def _child_setup(self) -> None:
        # The process must not outlive a supervisor that was SIGKILLed (a stop past its
        # deadline): it gets the stop signal then. Runs after Popen's setuid, which clears it.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(self.stop_signal), 0, 0, 0)
        # SIGTERM/SIGINT handlers are reset by exec; ignored signals would not be.
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    def spawn(self) -> subprocess.Popen[bytes]:
        extra: dict[str, Any] = {}
        if self.args.user:
            extra = {"user": self.args.user, "group": _primary_group(self.args.user)}
            extra["extra_groups"] = []
        child = subprocess.Popen(
            self.args.command,
            cwd=self.args.cwd or None,
            stdin=subprocess.DEVNULL,
            preexec_fn=self._child_setup,  # single-threaded: safe; prctl needs it
            **extra,
        )
        if self.args.pid_file:
            Path(self.args.pid_file).write_text(f"{child.pid}\n", encoding="utf-8")
        self.write("running", child_pid=child.pid, started_at=_now())
        _log("started", name=self.args.name, pid=child.pid, restarts=self.restarts)
        return child

    def wait_child(self, child: subprocess.Popen[bytes]) -> int:
        """Wait for the process; once a stop was asked for, SIGKILL it past the deadline."""
        deadline: float | None = None
        while (code := child.poll()) is None:
            if self.stopping:
                if deadline is None:
                    deadline = time.monotonic() + self.args.stop_timeout
                    self.write("stopping")
                elif time.monotonic() > deadline:
                    _log("stop_timeout", name=self.args.name, pid=child.pid, action="SIGKILL")
                    child.kill()
            time.sleep(POLL)
        return code

    def pause(self, seconds: float) -> None:
        """Sleep before a restart; a stop asked for meanwhile ends the wait at once."""
        until = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < until:
            time.sleep(POLL)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.on_stop)
        signal.signal(signal.SIGINT, self.on_stop)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # nohup's job, in case it was not used
        backoff = self.args.backoff
        self.write("starting")
        while not self.stopping:
            started = time.monotonic()
            self.child = self.spawn()
            if self.stopping:  # the stop arrived between the check and the spawn
                self.child.send_signal(self.stop_signal)
            code = self.wait_child(self.child)
            exited = describe_exit(code)
            self.write(self.state["state"], last_exit=exited, last_exit_at=_now(), child_pid=None)
            if self.stopping:
                break
            now = time.monotonic()
            if now - started >= self.args.window:
                backoff = self.args.backoff  # it had been up for a while: not a loop
            self.exits.append(now)
            while self.exits and now - self.exits[0] > self.args.window:
                self.exits.popleft()
            if len(self.exits) >= self.args.limit:
                _log(
                    "crash_loop",
                    name=self.args.name,
                    exits=len(self.exits),
                    window_s=self.args.window,
                    last_exit=exited,
                    action="given up",
                    level="error",
                )
                self.write("given up")
                return 1
            _log("exited", name=self.args.name, exit=exited, restart_in_s=backoff, level="warning")
            self.write("restarting", next_start_in_s=backoff)
            self.pause(backoff)
            backoff = min(backoff * 2, self.args.max_backoff)
            if not self.stopping:
                self.restarts += 1
                self.state["restarts"] = self.restarts
        self.write("stopped", child_pid=None)
        _log("stopped", name=self.args.name, restarts=self.restarts)
        return 0


def _primary_group(user: str) -> int:
    import pwd

    return pwd.getpwnam(user).pw_gid


def summary(path: Path) -> str:
    """One line about a supervised process, from its state file."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{path.name}: no supervisor state"
    name, what = state.get("name", path.stem), state.get("state", "?")
    supervisor = state.get("supervisor_pid")
    alive = bool(supervisor) and _alive(int(supervisor))
    if what not in ("stopped", "given up") and not alive:
        what = "supervisor gone"
    parts = [f"{name}: {what}"]
    if alive and state.get("child_pid"):
        parts.append(f"pid {state['child_pid']} under supervisor {supervisor}")
    parts.append(f"restarts {state.get('restarts', 0)}")
    if state.get("last_exit"):
        parts.append(f"last exit {state['last_exit']} at {state.get('last_exit_at')}")
    return ", ".join(parts)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="supervise.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="run and supervise a command")
    run.add_argument("--name", required=True)
    run.add_argument("--state", required=True, help="the state file (JSON)")
    run.add_argument("--pid-file", help="gets the process's pid at each start")
    run.add_argument("--stop-signal", default="TERM")
    run.add_argument("--stop-timeout", type=float, default=20.0)
    run.add_argument("--backoff", type=float, default=0.5)
    run.add_argument("--max-backoff", type=float, default=30.0)
    run.add_argument("--window", type=float, default=60.0)
    run.add_argument("--limit", type=int, default=5)
    run.add_argument("--user", help="run the command as this user (the supervisor is root)")
    run.add_argument("--cwd")
    run.add_argument("command", nargs="+")
    show = sub.add_parser("show", help="print the state files, one line each")
    show.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.action == "show":
        for path in args.files:
            print(summary(path))
        return 0
    return Supervisor(args).run()


if __name__ == "__main__":
    sys.exit(main())
