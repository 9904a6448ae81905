"""Reactions to other services' events (process managers), run inside the consumer's
transaction that also stores the Kafka offsets.

- `funds.RedFlagConfirmed` opens a clue (stream `clue-redflag-<flag_id>`), once.
- `party.BranchDesignatedWeak` opens three rectification items for the branch and period
  (first secretary, linked leader's visits, household visits), once.
- `party.BranchDesignationLifted` notes the lifting on those items, once.

Each derives its stream ids from the source event and appends with the version it read, so
a redelivered or replayed event finds its work done and does nothing. Only the payload
fields named in contracts/README.md are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.clock import china_date
from shared.envelope import Envelope
from shared.eventstore import NO_STREAM, CommandContext, EventStore
from shared.kernel import Aggregate, ConcurrencyConflict
from supervision.domain.clues import Clue, red_flag_clue_id
from supervision.domain.items import (
    WEAK_BRANCH_TASKS,
    ListItem,
    weak_branch_deadline,
    weak_branch_item_id,
)
from supervision.domain.plan import Plan

log = structlog.get_logger(__name__)

RED_FLAG_CONFIRMED = "funds.RedFlagConfirmed"
BRANCH_DESIGNATED_WEAK = "party.BranchDesignatedWeak"
BRANCH_DESIGNATION_LIFTED = "party.BranchDesignationLifted"
#: The measure whose rectification a weak-branch designation opens (软弱涣散基层组织整顿).
WEAK_BRANCH_MEASURE = 5


class MalformedEvent(ValueError):
    """A source event without a field the contract promises (goes to the dead-letter topic)."""


def _text(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if value is None or not str(value).strip():
        raise MalformedEvent(f"payload field {name!r} is missing")
    return str(value).strip()


def _optional(payload: Mapping[str, Any], name: str) -> str | None:
    value = payload.get(name)
    return None if value is None or not str(value).strip() else str(value).strip()


def _day(payload: Mapping[str, Any], name: str, env: Envelope) -> dt.date:
    value = payload.get(name)
    if value is None:
        return china_date(env.occurred_at)
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise MalformedEvent(f"payload field {name!r} is not a date: {value!r}") from exc


class Reactions:
    """The consumer handler: dispatches the event types supervision reacts to."""

    def __init__(self, store: EventStore, plan: Plan, town_code: str) -> None:
        self.store = store
        self.plan = plan
        self.town_code = town_code

    async def __call__(self, conn: AsyncConnection, env: Envelope) -> None:
        if env.town != self.town_code:
            return  # another town's event: its own supervision service reacts to it
        if env.event_type == RED_FLAG_CONFIRMED:
            await self.red_flag_confirmed(conn, env)
        elif env.event_type == BRANCH_DESIGNATED_WEAK:
            await self.branch_designated_weak(conn, env)
        elif env.event_type == BRANCH_DESIGNATION_LIFTED:
            await self.branch_designation_lifted(conn, env)
        # every other event of those topics is none of supervision's business

    async def _append_new(self, conn: AsyncConnection, env: Envelope, agg: Aggregate) -> bool:
        """Append a new stream; False if it exists already (this event was handled before)."""
        try:
            await self.store.append(
                agg.stream_id,
                NO_STREAM,
                agg.take_pending(),
                CommandContext.caused_by(env),
                conn=conn,
            )
        except ConcurrencyConflict:
            return False
        return True

    async def red_flag_confirmed(self, conn: AsyncConnection, env: Envelope) -> None:
        p = env.payload
        flag_id = _text(p, "flag_id")
        code = _text(p, "code")
        clue = Clue(Clue.stream_for(red_flag_clue_id(flag_id)))
        clue.open_from_red_flag(
            flag_id=flag_id,
            code=code,
            village=_optional(p, "village"),
            programme_id=_optional(p, "programme_id"),
            summary=_optional(p, "summary") or "",
            severity=_optional(p, "severity"),
            confirmed_on=_day(p, "confirmed_on", env),
        )
        opened = await self._append_new(conn, env, clue)
        log.info(
            "supervision.red_flag_clue" if opened else "supervision.red_flag_clue_exists",
            flag_id=flag_id,
            clue_stream=clue.stream_id,
            causation_id=str(env.event_id),
        )

    async def branch_designated_weak(self, conn: AsyncConnection, env: Envelope) -> None:
        p = env.payload
        branch_id, period = _text(p, "branch_id"), _text(p, "period")
        branch_name = _optional(p, "branch_name") or branch_id
        designated_on = _day(p, "designated_on", env)
        measure = self.plan.measure(WEAK_BRANCH_MEASURE)
        assessed = f"得分 {p.get('score')}，排名 {p.get('rank')}"
        for task in WEAK_BRANCH_TASKS:
            item_id = weak_branch_item_id(branch_id, period, task.key)
            item = ListItem(ListItem.stream_for(item_id))
            item.open(
                item_id=item_id,
                list_name="整改清单",
                title=f"{branch_name}：{task.title}",
                detail=f"{task.detail}（{period} 考核确定的软弱涣散基层党组织，{assessed}）",
                source="自己找",
                measure=WEAK_BRANCH_MEASURE,
                lead_post=measure.lead_post,
                lead_unit=measure.lead_units[0],
                deadline=weak_branch_deadline(designated_on),
                village=_optional(p, "village"),
                on=designated_on,
                plan=self.plan,
                branch_id=branch_id,
                period=period,
            )
            opened = await self._append_new(conn, env, item)
            log.info(
                "supervision.weak_branch_item" if opened else "supervision.weak_branch_item_exists",
                branch_id=branch_id,
                period=period,
                task=task.key,
                item_id=item_id,
            )

    async def branch_designation_lifted(self, conn: AsyncConnection, env: Envelope) -> None:
        p = env.payload
        branch_id, period = _text(p, "branch_id"), _text(p, "period")
        lifted_on = _day(p, "lifted_on", env)
        for task in WEAK_BRANCH_TASKS:
            stream_id = ListItem.stream_for(weak_branch_item_id(branch_id, period, task.key))
            events, version = await self.store.load_events(stream_id, conn=conn)
            if not version:
                log.warning("supervision.lifted_without_items", branch_id=branch_id, period=period)
                continue
            item = ListItem(stream_id)
            item.replay(events)
            item.version = version
            if item.note_designation_lifted(branch_id, period, lifted_on):
                await self.store.append(
                    stream_id,
                    version,
                    item.take_pending(),
                    CommandContext.caused_by(env),
                    conn=conn,
                )
