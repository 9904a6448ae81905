"""Handlers of oversight: cadre relations, the deadline check, and handling red flags."""

from __future__ import annotations

from funds.application import commands as c
from funds.application.base import (
    Deps,
    Recorded,
    attempt,
    flush,
    raise_flags,
)
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
from shared.clock import business_day, noon
from shared.eventstore import CommandContext
from shared.kernel import Refused, ResidentId, check_version, mask_name
from shared.unit_of_work import UnitOfWork

FLAG_ACTIONS = ("acknowledge", "explain", "confirm")


class OversightHandlers:
    """Red flags and what feeds the rules besides payments."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def record_relation(self, cmd: c.RecordCadreRelation, ctx: CommandContext) -> Recorded:
        """Record that a person is a cadre's relative; their earlier payments are flagged."""
        id_number = ResidentId(cmd.relative_id_number).value
        cadre_village = self.deps.town.known_village(cmd.cadre_village).name
        on = business_day(cmd.occurred_on, self.deps.clock())
        relation_id = name_id("relation", person_key(id_number), cadre_village, cmd.cadre_name)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
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
                        recorded_on=on,
                    )
                )
                (recorded,) = await flush(uow, person)
                names = {}
                for payment in person.payments:
                    programme = await uow.load(Programme, programme_stream(payment.programme_id))
                    names[payment.programme_id] = programme.name
                kin = (
                    f"系{cadre_village}{cmd.cadre_post}{mask_name(cmd.cadre_name)}的{cmd.relation}"
                )
                findings = rules.assess_relation(person, relation_id, kin, names)
                flags = await raise_flags(uow, findings, on, recorded.event_id)
                await uow.commit()
            return Recorded(relation_id, person.stream_id, person.version, flags)

        return await attempt(run, retry=True)

    async def check_deadlines(self, cmd: c.CheckDeadlines, ctx: CommandContext) -> Recorded:
        """Apply the clock-driven rules to every programme (a scheduler or the demo calls
        this); flags already raised are not raised again."""
        today = cmd.today or self.deps.clock()

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx.at(noon(today))) as uow:
                raised: list[ev.RedFlagRaised] = []
                for stream_id in await self.deps.streams.stream_ids("programme-", conn=uow.conn):
                    programme = await uow.load(Programme, stream_id)
                    findings = rules.assess_deadlines(programme, today)
                    raised += await raise_flags(uow, findings, today, None)
                await uow.commit()
            return Recorded(str(today), "", 0, raised)

        return await attempt(run, retry=True)

    async def handle_flag(self, cmd: c.HandleRedFlag, ctx: CommandContext) -> Recorded:
        """Acknowledge, explain or confirm a red flag (never delete it)."""
        if cmd.action not in FLAG_ACTIONS:
            raise Refused(f"未知操作 (unknown action): {cmd.action}")
        on = business_day(cmd.occurred_on, self.deps.clock())

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                flag = await uow.get(RedFlag, red_flag_stream(cmd.flag_id), "预警")
                check_version(flag, cmd.expected_version)
                if cmd.action == "acknowledge":
                    flag.acknowledge(cmd.text, on)
                elif cmd.action == "explain":
                    flag.explain(cmd.text, on)
                else:
                    flag.confirm(cmd.text, on)
                await uow.commit()
            return Recorded(cmd.flag_id, flag.stream_id, flag.version)

        return await attempt(run, retry=cmd.expected_version is None)
