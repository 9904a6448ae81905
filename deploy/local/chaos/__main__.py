"""`make chaos`: kill -9 under load, on a system of its own, and check that nothing was lost
or doubled.

    .venv/bin/python deploy/local/chaos --rounds 20

Starts Kafka, PostgreSQL and the five services on a state dir and ports of its own (default
.local/chaos, Kafka 39092/39093, PostgreSQL 35432, free ports for the services), each under
the local runner's supervisor. A steady load of creations with client-generated ids (relief
households, funds programmes, supervision petitions, party members), each retried until
acknowledged, runs while every round kills one process with SIGKILL, in turn: relief, the
broker, funds, the postmaster, supervision, the projection, party. The supervisors restart
them; the run only waits (bounded) until all is ready again. Afterwards: every acknowledged
command exactly once in its store, on Kafka and in the views; no dead letters; a replay equal
to the live views. Prints the figures, writes <state>/chaos-report.json, stops everything
(also on failure or Ctrl-C) and exits 1 on any loss, doubling or other failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from checks import dead_letters, replay, settle, tally
from load import KINDS, Load
from system import REPO, SERVICES, System, free_ports, say

VICTIMS = ("relief", "kafka", "funds", "postgres", "supervision", "projection", "party")


@dataclass
class Kill:
    round: int
    victim: str
    pid: int
    restarted_pid: int
    recovered_s: float


async def wait_new_pid(system: System, victim: str, old: int, timeout: float) -> int:
    """The pid of the victim's next process, started by its supervisor (not by this run)."""
    deadline = time.monotonic() + timeout
    while (pid := system.pid_of(victim)) is None or pid == old:
        if time.monotonic() > deadline:
            state = system.restarts(victim)
            raise TimeoutError(f"{victim} was not restarted within {timeout:.0f} s: {state}")
        await asyncio.sleep(0.2)
    return pid


async def run(system: System, args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    await system.wait_healthy(args.recover_timeout)
    load = Load(system, rate=args.rate, limit=args.max_commands, patience=args.patience)
    await load.setup()
    stop = asyncio.Event()
    sending = asyncio.create_task(load.run(stop))
    kills: list[Kill] = []
    try:
        await asyncio.sleep(args.interval)
        for n in range(args.rounds):
            victim = VICTIMS[n % len(VICTIMS)]
            pid = system.kill(victim)
            killed = time.monotonic()
            new = await wait_new_pid(system, victim, pid, args.recover_timeout)
            await system.wait_healthy(args.recover_timeout)
            kills.append(Kill(n + 1, victim, pid, new, round(time.monotonic() - killed, 1)))
            say(
                f"round {n + 1}/{args.rounds}: kill -9 {victim} (pid {pid}) → restarted as"
                f" {new}, all ready again in {kills[-1].recovered_s} s;"
                f" {len(load.commands)} commands issued"
            )
            await asyncio.sleep(args.interval)
    finally:
        stop.set()
        commands = await sending
    load_s = time.monotonic() - started
    say(f"load done: {len(commands)} commands; waiting for the outboxes and the views")
    kinds = list(KINDS)
    acked = {k.name: [c.id for c in commands if c.kind is k and c.acked] for k in kinds}
    settled = await settle(system, kinds, acked, args.settle_timeout)
    tallies = await tally(system, kinds, commands)
    letters = await dead_letters(system)
    say("replaying the projection from offset zero (--no-swap)")
    comparison = await asyncio.to_thread(replay, system)
    return {
        "rounds": args.rounds,
        "kills": [asdict(k) for k in kills],
        "restarts": {
            v: system.restarts(v).get("restarts") for v in (*SERVICES, "kafka", "postgres")
        },
        "commands": len(commands),
        "unacknowledged": [c.id for c in commands if not c.acked and not c.refused],
        "refused": {c.id: c.refused for c in commands if c.refused},
        "answers": _answers(commands),
        "kinds": {name: asdict(t) for name, t in tallies.items()},
        "dead_letters": letters,
        "replay": {
            k: comparison.get(k) for k in ("equal", "common_events", "differences", "error")
        },
        "seconds": {"load": round(load_s, 1), "settle": round(settled, 1)},
    }


def _answers(commands: list[Any]) -> dict[str, int]:
    total: dict[str, int] = {}
    for c in commands:
        for answer, n in c.answers.items():
            total[answer] = total.get(answer, 0) + n
    return dict(sorted(total.items()))


def verdict(report: dict[str, Any]) -> list[str]:
    """What went wrong ([] when nothing did)."""
    problems = []
    lost = sum(len(t["lost"]) for t in report["kinds"].values())
    doubled = sum(len(t["doubled"]) for t in report["kinds"].values())
    if lost:
        problems.append(f"{lost} acknowledged commands lost")
    if doubled:
        problems.append(f"{doubled} commands doubled")
    if report["unacknowledged"]:
        problems.append(f"{len(report['unacknowledged'])} commands never acknowledged")
    if report["refused"]:
        problems.append(f"{len(report['refused'])} commands refused (the load's own error)")
    if any(report["dead_letters"].values()):
        problems.append(f"dead letters: {report['dead_letters']}")
    if not report["replay"].get("equal"):
        problems.append(f"replay differs from live: {report['replay']}")
    if len(report["kills"]) < report["rounds"]:
        problems.append("not every round's kill was recovered from")
    return problems


def show(report: dict[str, Any]) -> None:
    columns = ("acknowledged", "stored", "on_kafka", "in_views")
    print(
        f"\n{'kind':<12}"
        + "".join(f"{c.replace('_', ' '):>14}" for c in columns)
        + f"{'lost':>7}{'doubled':>9}"
    )
    totals = dict.fromkeys((*columns, "lost", "doubled"), 0)
    for name, t in report["kinds"].items():
        row = [t[c] for c in columns] + [len(t["lost"]), len(t["doubled"])]
        for key, value in zip(totals, row, strict=True):
            totals[key] += value
        print(f"{name:<12}" + "".join(f"{v:>14}" for v in row[:4]) + f"{row[4]:>7}{row[5]:>9}")
    row = list(totals.values())
    print(f"{'total':<12}" + "".join(f"{v:>14}" for v in row[:4]) + f"{row[4]:>7}{row[5]:>9}")
    kills: dict[str, int] = {}
    for k in report["kills"]:
        kills[k["victim"]] = kills.get(k["victim"], 0) + 1
    slowest = max((k["recovered_s"] for k in report["kills"]), default=0)
    print(
        f"\nkills: {len(report['kills'])} ({', '.join(f'{v} {n}' for v, n in kills.items())});"
        f" slowest recovery {slowest} s; supervisor restarts {report['restarts']}"
    )
    print(f"answers: {report['answers']}")
    redelivered = sum(t["redelivered"] for t in report["kinds"].values())
    print(
        f"unacknowledged {len(report['unacknowledged'])}, refused {len(report['refused'])},"
        f" Kafka redeliveries {redelivered} (at-least-once, allowed)"
    )
    print(f"dead letters: {sum(report['dead_letters'].values())} {report['dead_letters']}")
    print(
        f"replay equals live: {report['replay'].get('equal')}"
        f" ({report['replay'].get('common_events')} common events)"
    )
    print(
        f"time: load {report['seconds']['load']} s, settle {report['seconds']['settle']} s,"
        f" whole run {report['seconds'].get('total')} s"
    )


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="deploy/local/chaos", description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=7, help="kills, one process per round in turn")
    p.add_argument("--rate", type=float, default=10.0, help="new commands per second")
    p.add_argument("--max-commands", type=int, default=20000, help="upper bound on the load")
    p.add_argument("--interval", type=float, default=8.0, help="seconds of load between kills")
    p.add_argument("--state-dir", type=Path, default=REPO / ".local" / "chaos")
    p.add_argument("--kafka-port", type=int, default=39092)
    p.add_argument("--kafka-controller-port", type=int, default=39093)
    p.add_argument("--pg-port", type=int, default=35432)
    p.add_argument("--recover-timeout", type=float, default=180.0)
    p.add_argument("--settle-timeout", type=float, default=300.0)
    p.add_argument("--patience", type=float, default=300.0, help="seconds a command is retried")
    p.add_argument("--keep", action="store_true", help="leave the system running afterwards")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # aiokafka logs every refused connection while the broker is down: expected here.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    # SIGTERM ends the run like Ctrl-C: through the finally below, which stops everything.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    system = System(
        state_dir=args.state_dir.resolve(),
        kafka_port=args.kafka_port,
        controller_port=args.kafka_controller_port,
        pg_port=args.pg_port,
        service_ports=dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True)),
    )
    started = time.monotonic()
    try:
        system.up()
        say(f"up in {time.monotonic() - started:.0f} s; {args.rounds} rounds, {args.rate}/s load")
        report = asyncio.run(run(system, args))
    except (RuntimeError, TimeoutError, OSError) as error:
        say(f"FAILED: {error}")
        return 1
    finally:
        if not args.keep:
            say("stopping the chaos system")
            system.down()
    report["seconds"]["total"] = round(time.monotonic() - started, 1)
    (system.state_dir / "chaos-report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    show(report)
    problems = verdict(report)
    print(
        "\nresult: "
        + ("OK: 0 lost, 0 doubled" if not problems else "FAILED: " + "; ".join(problems))
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
