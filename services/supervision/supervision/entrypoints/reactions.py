"""Reactions to other services' events (process managers), written through the shared
command pipeline with the source event as cause (`CommandContext.caused_by`), as the system.

- `funds.RedFlagConfirmed` opens a clue (stream `clue-redflag-<flag_id>`), once.
- `party.BranchDesignatedWeak` opens three rectification items for the branch and period
  (first secretary, linked leader's visits, household visits), once.
- `party.BranchDesignationLifted` notes the lifting on those items, once.
- funds' acts that exercise a village's small power (`funds.CollectiveProjectStarted`,
  `funds.CollectiveAssetDisposed` v2, `funds.VillageBookEntryRecorded`: `village`,
  `power_item`, `steps` and the act's date) are checked against the village's list in force;
  a skipped step → `PowerFlowBreached` and a problem-list item (stream
  `breach-<act event id>`), once per act. An act without `power_item` (an income, a v1
  disposal) exercises none.
- `party.InactionReferred` (`year`, `subject_kind`, `subject`, `subject_name`, `reason`,
  `referred_on`) opens one 为官不为 clue per referred subject (stream
  `clue-appraisal-<year>-<uuid5 of the subject>`).

Each command derives its stream id from the source event and does nothing when its work is
stored already, so a redelivered or replayed event (or a retry after a lost race) changes
nothing. Each runs in its own unit of work; the consumer's transaction stores the Kafka
offsets after it (a crash in between redelivers the event, which then does nothing). Only the
payload fields named in contracts/README.md are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.clock import china_date
from shared.envelope import Envelope
from shared.eventstore import CommandContext
from shared.pipeline import WHOLE_TOWN, Pipeline
from supervision.application import commands as c
from supervision.application import governance as g
from supervision.application import handlers as h
from supervision.application.handlers import Deps
from supervision.domain.items import WEAK_BRANCH_TASKS

log = structlog.get_logger(__name__)

RED_FLAG_CONFIRMED = "funds.RedFlagConfirmed"
BRANCH_DESIGNATED_WEAK = "party.BranchDesignatedWeak"
BRANCH_DESIGNATION_LIFTED = "party.BranchDesignationLifted"
INACTION_REFERRED = "party.InactionReferred"
#: funds' acts that exercise a small power, with the payload field that dates each (a book
#: entry by its month: the expense happened in it, by the day the agency booked it at the
#: latest — a December expense booked in January is judged by December's list).
POWER_ACTS = {
    "funds.CollectiveProjectStarted": "started_on",
    "funds.CollectiveAssetDisposed": "disposed_on",
    "funds.VillageBookEntryRecorded": "month",
}


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
    """The day a payload's field names: a date, or a month (`2016-12`: its last day)."""
    value = payload.get(name)
    if value is None:
        return china_date(env.occurred_at)
    try:
        text = str(value)
        if len(text) == 7:  # a month
            first = dt.date.fromisoformat(f"{text}-01")
            return (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise MalformedEvent(f"payload field {name!r} is not a date: {value!r}") from exc


class Reactions:
    """The consumer handler: dispatches the event types supervision reacts to."""

    def __init__(self, pipeline: Pipeline[Deps]) -> None:
        self.pipeline = pipeline

    async def __call__(self, conn: AsyncConnection, env: Envelope) -> None:
        if env.town != self.pipeline.town.code:
            return  # another town's event: its own supervision service reacts to it
        if env.event_type == RED_FLAG_CONFIRMED:
            await self.red_flag_confirmed(env)
        elif env.event_type == BRANCH_DESIGNATED_WEAK:
            await self.branch_designated_weak(env)
        elif env.event_type == BRANCH_DESIGNATION_LIFTED:
            await self.branch_designation_lifted(env)
        elif env.event_type in POWER_ACTS:
            await self.power_exercised(env, POWER_ACTS[env.event_type])
        elif env.event_type == INACTION_REFERRED:
            await self.inaction_referred(env)
        # every other event of those topics is none of supervision's business

    async def red_flag_confirmed(self, env: Envelope) -> None:
        p = env.payload
        cmd = c.OpenRedFlagClue(
            flag_id=_text(p, "flag_id"),
            code=_text(p, "code"),
            village=_optional(p, "village"),
            programme_id=_optional(p, "programme_id"),
            summary=_optional(p, "summary") or "",
            severity=_optional(p, "severity"),
            confirmed_on=_day(p, "confirmed_on", env),
        )
        written = await self.pipeline.run(
            h.open_red_flag_clue, cmd, CommandContext.caused_by(env), WHOLE_TOWN
        )
        log.info(
            "supervision.red_flag_clue" if written.events else "supervision.red_flag_clue_exists",
            flag_id=cmd.flag_id,
            clue_stream=written.stream_id,
            causation_id=str(env.event_id),
        )

    async def branch_designated_weak(self, env: Envelope) -> None:
        p = env.payload
        branch_id, period = _text(p, "branch_id"), _text(p, "period")
        for task in WEAK_BRANCH_TASKS:
            cmd = c.OpenWeakBranchItem(
                branch_id=branch_id,
                branch_name=_optional(p, "branch_name") or branch_id,
                period=period,
                task=task.key,
                village=_optional(p, "village"),
                assessed=f"得分 {p.get('score')}，排名 {p.get('rank')}",
                designated_on=_day(p, "designated_on", env),
            )
            written = await self.pipeline.run(
                h.open_weak_branch_item, cmd, CommandContext.caused_by(env), WHOLE_TOWN
            )
            log.info(
                "supervision.weak_branch_item"
                if written.events
                else "supervision.weak_branch_item_exists",
                branch_id=branch_id,
                period=period,
                task=task.key,
                item_id=written.id,
            )

    async def branch_designation_lifted(self, env: Envelope) -> None:
        p = env.payload
        branch_id, period = _text(p, "branch_id"), _text(p, "period")
        lifted_on = _day(p, "lifted_on", env)
        for task in WEAK_BRANCH_TASKS:
            cmd = c.NoteDesignationLifted(
                branch_id=branch_id, period=period, task=task.key, lifted_on=lifted_on
            )
            await self.pipeline.run(
                h.note_designation_lifted, cmd, CommandContext.caused_by(env), WHOLE_TOWN
            )

    async def power_exercised(self, env: Envelope, date_field: str) -> None:
        p = env.payload
        power_item = _optional(p, "power_item")
        if power_item is None:
            return  # the act exercises no small power (an income, a disposal before v2)
        steps = p.get("steps")
        if not isinstance(steps, list | tuple) or not all(isinstance(s, str) for s in steps):
            raise MalformedEvent("payload field 'steps' is not a list of step names")
        cmd = c.CheckPowerFlow(
            act_event_id=str(env.event_id),
            act_type=env.event_type,
            village=_text(p, "village"),
            power_item=power_item,
            steps=tuple(steps),
            acted_on=min(_day(p, date_field, env), _day(p, "recorded_on", env))
            if date_field == "month"
            else _day(p, date_field, env),
        )
        written = await self.pipeline.run(
            g.check_power_flow, cmd, CommandContext.caused_by(env), WHOLE_TOWN
        )
        log.info(
            "supervision.power_flow_breached" if written.events else "supervision.power_flow_ok",
            act_type=env.event_type,
            village=cmd.village,
            power_item=power_item,
            causation_id=str(env.event_id),
        )

    async def inaction_referred(self, env: Envelope) -> None:
        p = env.payload
        year = p.get("year")
        if not isinstance(year, int):
            raise MalformedEvent("payload field 'year' is missing or not a year")
        cmd = c.OpenInactionClue(
            year=year,
            subject_kind=_text(p, "subject_kind"),
            subject=_text(p, "subject"),
            subject_name=_optional(p, "subject_name") or "",
            reason=_optional(p, "reason") or "",
            referred_on=_day(p, "referred_on", env),
        )
        written = await self.pipeline.run(
            g.open_inaction_clue, cmd, CommandContext.caused_by(env), WHOLE_TOWN
        )
        log.info(
            "supervision.inaction_clue" if written.events else "supervision.inaction_clue_exists",
            year=year,
            subject=cmd.subject,
            clue_stream=written.stream_id,
        )
