"""Command handlers: load, let the aggregate decide, append — one transaction each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from shared.kernel import AlreadyExists, NotFound, check_version
from shared.unit_of_work import UnitOfWork
from supervision.domain.casework import Casework
from supervision.domain.clues import Clue
from supervision.domain.directives import Directive
from supervision.domain.items import ListItem
from supervision.domain.measures import Measure, measure_stream
from supervision.domain.petitions import Petition
from supervision.domain.plan import Plan

from . import commands as c

A = TypeVar("A", bound=Casework)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command did: the entity's id, its stream version and status afterwards."""

    id: str
    version: int
    status: str


@dataclass(frozen=True, slots=True)
class Registration:
    """One measure of a plan registration: registered now, or already before."""

    number: int
    stream_id: str
    registered_now: bool


def _outcome(aggregate: Casework) -> Outcome:
    return Outcome(aggregate.entity_id, aggregate.version, str(getattr(aggregate, "status", "")))


async def _new(uow: UnitOfWork, cls: type[A], entity_id: str) -> A:
    aggregate = await uow.load(cls, cls.stream_for(entity_id))
    if aggregate.exists:
        raise AlreadyExists(f"{cls.KIND} {entity_id} 已存在 (already exists)")
    return aggregate


async def _change(
    uow: UnitOfWork, cls: type[A], entity_id: str, cmd: c.Change, act: Callable[[A], Any]
) -> Outcome:
    async with uow:
        aggregate = await uow.get(cls, cls.stream_for(entity_id), cls.KIND)
        check_version(aggregate, cmd.expected_version)
        act(aggregate)
        await uow.commit()
    return _outcome(aggregate)


# --- the plan ---------------------------------------------------------------------------------


async def register_plan_measures(
    cmd: c.RegisterPlanMeasures, uow: UnitOfWork, plan: Plan
) -> list[Registration]:
    """Register each of the plan's measures that is not registered yet (idempotent)."""
    done: list[Registration] = []
    async with uow:
        for spec in plan.measures:
            stream_id = measure_stream(plan.plan_id, spec.number)
            measure = await uow.load(Measure, stream_id)
            fresh = not measure.exists
            if fresh:
                measure.register(plan, spec.number, cmd.on)
            done.append(Registration(spec.number, stream_id, fresh))
        await uow.commit()
    return done


# --- lists and ledger -------------------------------------------------------------------------


async def open_item(cmd: c.OpenItem, uow: UnitOfWork, plan: Plan) -> Outcome:
    async with uow:
        item = await _new(uow, ListItem, cmd.item_id)
        item.open(
            item_id=cmd.item_id,
            list_name=cmd.list_name,
            title=cmd.title,
            detail=cmd.detail,
            source=cmd.source,
            measure=cmd.measure,
            lead_post=cmd.lead_post,
            lead_unit=cmd.lead_unit,
            deadline=cmd.deadline,
            village=cmd.village,
            on=cmd.on,
            plan=plan,
        )
        await uow.commit()
    return _outcome(item)


async def start_item_work(cmd: c.StartItemWork, uow: UnitOfWork) -> Outcome:
    return await _change(uow, ListItem, cmd.item_id, cmd, lambda i: i.start_work(cmd.on, cmd.note))


async def rectify_item(cmd: c.RectifyItem, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, ListItem, cmd.item_id, cmd, lambda i: i.rectify(cmd.on, cmd.summary, cmd.evidence)
    )


async def close_item(cmd: c.CloseItem, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, ListItem, cmd.item_id, cmd, lambda i: i.close(cmd.on, cmd.evidence, cmd.note)
    )


async def reopen_item(cmd: c.ReopenItem, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, ListItem, cmd.item_id, cmd, lambda i: i.reopen(cmd.on, cmd.reason, cmd.new_deadline)
    )


async def note_item(cmd: c.NoteItem, uow: UnitOfWork) -> Outcome:
    return await _change(uow, ListItem, cmd.item_id, cmd, lambda i: i.note(cmd.on, cmd.note))


# --- petitions --------------------------------------------------------------------------------


async def receive_petition(cmd: c.ReceivePetition, uow: UnitOfWork) -> Outcome:
    """Register a petition; a repeat petition is linked to its earlier case in the same
    transaction."""
    async with uow:
        petition = await _new(uow, Petition, cmd.petition_id)
        if cmd.repeat_of is not None:
            earlier = await uow.load(Petition, Petition.stream_for(cmd.repeat_of))
            if not earlier.exists:
                raise NotFound(
                    f"重复信访所指的原信访件 {cmd.repeat_of} 不存在 (earlier case unknown)"
                )
            earlier.link_repeat(cmd.petition_id, cmd.on)
        petition.receive(
            petition_id=cmd.petition_id,
            channel=cmd.channel,
            petitioner_name=cmd.petitioner_name,
            petitioner_count=cmd.petitioner_count,
            village=cmd.village,
            subject=cmd.subject,
            on=cmd.on,
            repeat_of=cmd.repeat_of,
        )
        await uow.commit()
    return _outcome(petition)


async def classify_petition(cmd: c.ClassifyPetition, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow,
        Petition,
        cmd.petition_id,
        cmd,
        lambda p: p.classify(cmd.focus_area, cmd.key_case, cmd.on),
    )


async def form_petition_team(cmd: c.FormPetitionTeam, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow,
        Petition,
        cmd.petition_id,
        cmd,
        lambda p: p.form_team(cmd.team_name, cmd.members, cmd.on),
    )


async def assign_petition_leader(cmd: c.AssignPetitionLeader, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, Petition, cmd.petition_id, cmd, lambda p: p.assign_leader(cmd.leader, cmd.on)
    )


async def note_petition_progress(cmd: c.NotePetitionProgress, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, Petition, cmd.petition_id, cmd, lambda p: p.note_progress(cmd.note, cmd.on)
    )


async def resolve_petition(cmd: c.ResolvePetition, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, Petition, cmd.petition_id, cmd, lambda p: p.resolve(cmd.resolution, cmd.on)
    )


async def close_petition(cmd: c.ClosePetition, uow: UnitOfWork) -> Outcome:
    return await _change(uow, Petition, cmd.petition_id, cmd, lambda p: p.close(cmd.on, cmd.note))


async def reopen_petition(cmd: c.ReopenPetition, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, Petition, cmd.petition_id, cmd, lambda p: p.reopen(cmd.reason, cmd.on)
    )


# --- directives -------------------------------------------------------------------------------


async def receive_directive(cmd: c.ReceiveDirective, uow: UnitOfWork) -> Outcome:
    async with uow:
        directive = await _new(uow, Directive, cmd.directive_id)
        directive.receive(
            directive_id=cmd.directive_id,
            kind=cmd.kind,
            level=cmd.level,
            issued_by=cmd.issued_by,
            reference=cmd.reference,
            subject=cmd.subject,
            on=cmd.on,
            due_on=cmd.due_on,
        )
        await uow.commit()
    return _outcome(directive)


async def assign_directive(cmd: c.AssignDirective, uow: UnitOfWork, plan: Plan) -> Outcome:
    return await _change(
        uow,
        Directive,
        cmd.directive_id,
        cmd,
        lambda d: d.assign(cmd.lead_post, cmd.lead_unit, cmd.on, plan, cmd.due_on),
    )


async def report_directive_progress(cmd: c.ReportDirectiveProgress, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, Directive, cmd.directive_id, cmd, lambda d: d.report_progress(cmd.report, cmd.on)
    )


async def report_directive_back(cmd: c.ReportDirectiveBack, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, Directive, cmd.directive_id, cmd, lambda d: d.report_back(cmd.result, cmd.on)
    )


async def complete_directive(cmd: c.CompleteDirective, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow, Directive, cmd.directive_id, cmd, lambda d: d.complete(cmd.on, cmd.note)
    )


# --- clues and accountability -----------------------------------------------------------------


async def receive_clue(cmd: c.ReceiveClue, uow: UnitOfWork) -> Outcome:
    async with uow:
        clue = await _new(uow, Clue, cmd.clue_id)
        clue.receive(
            clue_id=cmd.clue_id,
            category=cmd.category,
            channel=cmd.channel,
            summary=cmd.summary,
            village=cmd.village,
            subject_name=cmd.subject_name,
            subject_post=cmd.subject_post,
            subject_member_id=cmd.subject_member_id,
            on=cmd.on,
        )
        await uow.commit()
    return _outcome(clue)


async def verify_clue(cmd: c.VerifyClue, uow: UnitOfWork) -> Outcome:
    return await _change(uow, Clue, cmd.clue_id, cmd, lambda k: k.verify(cmd.findings, cmd.on))


async def decide_accountability(cmd: c.DecideAccountability, uow: UnitOfWork) -> Outcome:
    return await _change(
        uow,
        Clue,
        cmd.clue_id,
        cmd,
        lambda k: k.decide(
            subject_name=cmd.subject_name,
            subject_member_id=cmd.subject_member_id,
            subject_post=cmd.subject_post,
            kind=cmd.kind,
            reason=cmd.reason,
            on=cmd.on,
        ),
    )


async def conclude_clue(cmd: c.ConcludeClue, uow: UnitOfWork) -> Outcome:
    return await _change(uow, Clue, cmd.clue_id, cmd, lambda k: k.conclude(cmd.on, cmd.summary))


async def dismiss_clue(cmd: c.DismissClue, uow: UnitOfWork) -> Outcome:
    return await _change(uow, Clue, cmd.clue_id, cmd, lambda k: k.dismiss(cmd.reason, cmd.on))
