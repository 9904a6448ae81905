"""The auditor's questions answered by brute force over the reference's log (the oracle of
`adapters/auditing.py`: every event looked at, no SQL, the domain's rules applied as written)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from projection.adapters.auditing import CHAIN_LIMIT, MAX_STORIES, ROUNDS
from projection.domain.auditing import (
    CLOSINGS,
    EXPECTED,
    Closing,
    Policy,
    Step,
    by_scope,
    newest_first,
    off_the_day,
    reasons_for,
)


class _Logged(Protocol):
    env: Any
    kind: str
    village: str | None
    payload: Any


def _step(row: _Logged, *, fields: bool = False) -> Step:
    env = row.env
    return Step(
        event_id=str(env.event_id),
        event_type=env.event_type,
        stream_id=env.stream_id,
        kind=row.kind,
        village=row.village,
        occurred_at=env.occurred_at,
        recorded_at=env.recorded_at,
        actor_id=env.actor.user_id,
        actor_role=env.actor.role,
        causation_id=str(env.causation_id) if env.causation_id else None,
        fields=frozenset(k for k, v in row.payload.items() if v is not None)
        if fields
        else frozenset(),
    )


class ReferenceAudit:
    """`AuditQueries` over `self._tables().log`."""

    def _tables(self) -> Any:
        raise NotImplementedError  # the reference snapshot's own

    def _log(self) -> list[_Logged]:
        return list(self._tables().log)

    async def chain(self, event_id: str) -> list[Step] | None:
        log = self._log()
        start = next((r for r in log if str(r.env.event_id) == event_id), None)
        if start is None:
            return None
        groups = {start.env.correlation_id}
        seen: set[str] = set()
        for _ in range(ROUNDS):
            fresh = {r.env.stream_id for r in log if r.env.correlation_id in groups} - seen
            seen |= fresh
            if not fresh:
                break
            firsts: dict[str, Any] = {}
            for r in sorted(log, key=lambda r: r.env.stream_version):
                if r.env.stream_id in fresh:
                    firsts.setdefault(r.env.stream_id, r.env)
            bridges = {
                sid
                for sid, env in firsts.items()
                if env.causation_id or env.correlation_id in groups
            }
            if not bridges:
                break
            more = {r.env.correlation_id for r in log if r.env.stream_id in bridges}
            if more <= groups or len(groups | more) > MAX_STORIES:
                break
            groups |= more
        rows = sorted(
            (r for r in log if r.env.correlation_id in groups),
            key=lambda r: (r.env.recorded_at, str(r.env.event_id)),
        )[:CHAIN_LIMIT]
        return [_step(r, fields=True) for r in rows] or None

    async def broken_chains(
        self, *, until: dt.datetime, grace: dt.timedelta
    ) -> list[tuple[Step, str]]:
        log = self._log()
        effects = {
            (str(r.env.causation_id), r.env.event_type)
            for r in log
            if r.env.causation_id and r.env.recorded_at <= until
        }
        found: list[tuple[Step, str]] = []
        for expected in EXPECTED:
            causes = sorted(
                (
                    r
                    for r in log
                    if r.env.event_type == expected.cause
                    and r.env.recorded_at <= until - grace
                    and (expected.needs is None or r.payload.get(expected.needs) is not None)
                    and not any((str(r.env.event_id), e) in effects for e in expected.effects)
                ),
                key=lambda r: (r.env.recorded_at, str(r.env.event_id)),
            )
            found += [(_step(r), expected.what) for r in causes]
        return found

    async def backdated(
        self, rules: Policy, *, until: dt.datetime | None
    ) -> list[tuple[Step, list[str]]]:
        log = self._log()
        closings = [
            Closing(
                r.env.event_type, r.village, str(r.payload.get("period") or ""), r.env.recorded_at
            )
            for r in log
            if r.env.event_type in CLOSINGS
        ]
        scoped = by_scope(closings)
        flagged = []
        for r in log:
            if until is not None and r.env.recorded_at > until:
                continue
            entry = _step(r)
            reasons = reasons_for(entry, scoped, rules)
            if reasons:
                flagged.append((entry, reasons))
        return newest_first(flagged)

    async def changed_after(
        self, *, day_end: dt.datetime, services: list[str], village: str | None
    ) -> tuple[int, dt.datetime | None]:
        later = [
            r.env.recorded_at
            for r in self._log()
            if r.env.occurred_at <= day_end < r.env.recorded_at
            and off_the_day(r.env.occurred_at, r.env.recorded_at)
            and r.env.event_type.partition(".")[0] in services
            and (village is None or r.village == village)
        ]
        return len(later), max(later, default=None)
