"""Handlers of oversight (预警与监督): cadre relations, the deadline check, handling red flags,
and supervision's conclusion of a clue opened from a flag."""

from __future__ import annotations

import structlog

from funds.application import commands as c
from funds.application.flags import raise_flags
from funds.application.ports import Deps
from funds.domain import events as ev
from funds.domain import rules
from funds.domain.beneficiary import Beneficiary
from funds.domain.identity import (
    beneficiary_stream,
    name_id,
    person_key,
    programme_stream,
    red_flag_stream,
)
from funds.domain.programme import Programme
from funds.domain.red_flag import RedFlag
from shared.kernel import check_version, mask_name
from shared.pipeline import Done, Work

log = structlog.get_logger(__name__)

RED_FLAG = "预警"


async def record_relation(cmd: c.RecordCadreRelation, uow: Work[Deps]) -> Done:
    """Record that a person is a cadre's relative; their earlier payments are flagged."""
    id_number = cmd.relative_id_number
    cadre_village = uow.town.known_village(cmd.cadre_village).name
    uow.scope.check(cadre_village)
    relation_id = name_id("relation", person_key(id_number), cadre_village, cmd.cadre_name)
    person = await uow.load(Beneficiary, beneficiary_stream(id_number))
    person.record_relation(
        ev.CadreRelationRecorded(
            relation_id=relation_id,
            relative_name=cmd.relative_name,
            relative_id_number=id_number,
            relation=cmd.relation,
            cadre_name=cmd.cadre_name,
            cadre_post=cmd.cadre_post,
            cadre_village=cadre_village,
            recorded_on=uow.day,
        )
    )
    (recorded,) = await uow.flush(person)
    names = {}
    for payment in person.payments:
        programme = await uow.load(Programme, programme_stream(payment.programme_id))
        names[payment.programme_id] = programme.name
    kin = f"系{cadre_village}{cmd.cadre_post}{mask_name(cmd.cadre_name)}的{cmd.relation}"
    findings = rules.assess_relation(person, relation_id, kin, names)
    await raise_flags(uow, findings, recorded.event_id)
    return relation_id, person


async def check_deadlines(cmd: c.CheckDeadlines, uow: Work[Deps]) -> int:
    """Apply the clock-driven rules to every programme as of the business day (a scheduler or
    the demo runs this); flags already raised are not raised again, and the new ones are
    raised by the person who ran the check. Not one entity's command: the route opens the
    unit of work (`pipeline.work`) and commits it. How many flags were raised."""
    raised = 0
    for stream_id in await uow.deps.streams.stream_ids("programme-", conn=uow.conn):
        programme = await uow.load(Programme, stream_id)
        raised += await raise_flags(uow, rules.assess_deadlines(programme, uow.day), None)
    return raised


async def _flag(uow: Work[Deps], flag_id: str, expected: int | None) -> RedFlag:
    flag = await uow.get(RedFlag, red_flag_stream(flag_id), RED_FLAG)
    check_version(flag, expected)
    return flag


async def acknowledge_flag(cmd: c.AcknowledgeRedFlag, uow: Work[Deps]) -> Done:
    """Acknowledge a red flag (签收; never delete it)."""
    flag = await _flag(uow, cmd.flag_id, cmd.expected_version)
    flag.acknowledge(cmd.note, uow.day)
    return cmd.flag_id, flag


async def explain_flag(cmd: c.ExplainRedFlag, uow: Work[Deps]) -> Done:
    """Explain a red flag (情况说明)."""
    flag = await _flag(uow, cmd.flag_id, cmd.expected_version)
    flag.explain(cmd.explanation, uow.day)
    return cmd.flag_id, flag


async def confirm_flag(cmd: c.ConfirmRedFlag, uow: Work[Deps]) -> Done:
    """Confirm the problem a red flag found (问题属实; the discipline secretary)."""
    flag = await _flag(uow, cmd.flag_id, cmd.expected_version)
    flag.confirm(cmd.note, uow.day)
    return cmd.flag_id, flag


async def record_clue_outcome(cmd: c.RecordClueOutcome, uow: Work[Deps]) -> Done:
    """Record supervision's conclusion of a clue on the red flag it came from; once per clue
    (a redelivery records nothing), and nothing for a flag funds does not know."""
    flag = await uow.load(RedFlag, red_flag_stream(cmd.flag_id))
    if not flag.exists:
        log.warning("funds.clue_for_unknown_flag", flag_id=cmd.flag_id, clue_id=cmd.clue_id)
    elif flag.record_outcome(cmd.clue_id, cmd.outcome, cmd.concluded_on):
        log.info("funds.red_flag_outcome_recorded", flag_id=cmd.flag_id, outcome=cmd.outcome)
    return cmd.flag_id, flag
