"""Command handlers (命令处理): load through the unit of work, let the aggregate decide, hand
back the entity written — the shared pipeline dates, commits and retries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import structlog

from shared.ids import uuid7
from shared.kernel import Aggregate, AlreadyExists, NotFound, check_version
from shared.pipeline import Change, Done, Work
from shared.readers import AsOf
from supervision.domain.casework import Casework
from supervision.domain.clues import Clue, red_flag_clue_id
from supervision.domain.directives import Directive
from supervision.domain.events import PowerItem
from supervision.domain.items import (
    WEAK_BRANCH_TASKS,
    ListItem,
    weak_branch_deadline,
    weak_branch_item_id,
)
from supervision.domain.measures import Measure, measure_stream
from supervision.domain.petitions import Petition
from supervision.domain.plan import Plan
from supervision.powers import load_default_powers

from . import commands as c

log = structlog.get_logger(__name__)

A = TypeVar("A", bound=Casework)
G = TypeVar("G", bound=Aggregate)

#: The measure whose rectification a weak-branch designation opens (软弱涣散基层组织整顿).
WEAK_BRANCH_MEASURE = 5


class Ledger(Protocol):
    """Every aggregate of a kind, as of a day, read in the unit of work's transaction
    (`shared.readers.AggregateReader` on PostgreSQL; a memory one in unit tests)."""

    async def load_all(
        self, cls: type[G], prefix: str = "", *, as_of: AsOf = None, conn: Any = None
    ) -> list[G]: ...


@dataclass(frozen=True, slots=True)
class Deps:
    """What supervision's handlers consult besides the unit of work: the plan (方案), the
    town's reference list of small powers (小微权力参考清单) and, for counts across entities
    (the appraisal's facts), the ledger."""

    plan: Plan
    default_powers: tuple[PowerItem, ...] = field(default_factory=load_default_powers)
    ledger: Ledger | None = None


@dataclass(frozen=True, slots=True)
class Registration:
    """One measure of a plan registration: registered now, or already before."""

    number: int
    stream_id: str
    registered_now: bool


def _village(uow: Work[Deps], name: str | None) -> str | None:
    """The village's name if the town has it (`Refused` for an unknown one), within the
    caller's scope (403 otherwise); None for a town-level entity."""
    if name is None or not name.strip():
        uow.scope.check(None)
        return None
    village = uow.town.known_village(name).name
    uow.scope.check(village)
    return village


async def _new(uow: Work[Deps], cls: type[A], entity_id: str) -> A:
    aggregate = await uow.load(cls, cls.stream_for(entity_id))
    if aggregate.exists:
        raise AlreadyExists(f"{cls.KIND} {entity_id} 已存在 (already exists)")
    return aggregate


async def _change(
    uow: Work[Deps], cls: type[A], entity_id: object, cmd: Change, act: Callable[[A], Any]
) -> Done:
    """Load an existing entity, check the version the caller read, let it decide."""
    ident = str(entity_id)
    aggregate = await uow.get(cls, cls.stream_for(ident), cls.KIND)
    check_version(aggregate, cmd.expected_version)
    act(aggregate)
    return ident, aggregate


# --- the plan ---------------------------------------------------------------------------------


async def register_plan_measures(
    cmd: c.RegisterPlanMeasures, uow: Work[Deps]
) -> list[Registration]:
    """Register each of the plan's measures that is not registered yet (idempotent)."""
    plan = uow.deps.plan
    done: list[Registration] = []
    for spec in plan.measures:
        stream_id = measure_stream(plan.plan_id, spec.number)
        measure = await uow.load(Measure, stream_id)
        fresh = not measure.exists
        if fresh:
            measure.register(plan, spec.number, uow.day)
        done.append(Registration(spec.number, stream_id, fresh))
    return done


# --- lists and ledger -------------------------------------------------------------------------


async def open_item(cmd: c.OpenItem, uow: Work[Deps]) -> Done:
    item_id = str(cmd.id or uuid7())
    village = _village(uow, cmd.village)
    item = await _new(uow, ListItem, item_id)
    item.open(
        item_id=item_id,
        list_name=cmd.list_name,
        title=cmd.title,
        detail=cmd.detail,
        source=cmd.source,
        measure=cmd.measure,
        lead_post=cmd.lead_post,
        lead_unit=cmd.lead_unit,
        deadline=cmd.deadline,
        village=village,
        on=uow.day,
        plan=uow.deps.plan,
    )
    return item_id, item


async def start_item_work(cmd: c.StartItemWork, uow: Work[Deps]) -> Done:
    return await _change(uow, ListItem, cmd.item_id, cmd, lambda i: i.start_work(uow.day, cmd.note))


async def rectify_item(cmd: c.RectifyItem, uow: Work[Deps]) -> Done:
    return await _change(
        uow,
        ListItem,
        cmd.item_id,
        cmd,
        lambda i: i.rectify(uow.day, cmd.summary, tuple(cmd.evidence)),
    )


async def close_item(cmd: c.CloseItem, uow: Work[Deps]) -> Done:
    return await _change(
        uow, ListItem, cmd.item_id, cmd, lambda i: i.close(uow.day, tuple(cmd.evidence), cmd.note)
    )


async def reopen_item(cmd: c.ReopenItem, uow: Work[Deps]) -> Done:
    return await _change(
        uow, ListItem, cmd.item_id, cmd, lambda i: i.reopen(uow.day, cmd.reason, cmd.new_deadline)
    )


async def note_item(cmd: c.NoteItem, uow: Work[Deps]) -> Done:
    return await _change(uow, ListItem, cmd.item_id, cmd, lambda i: i.note(uow.day, cmd.note))


# --- petitions --------------------------------------------------------------------------------


async def receive_petition(cmd: c.ReceivePetition, uow: Work[Deps]) -> Done:
    """Register a petition; a repeat petition is linked to its earlier case in the same
    transaction."""
    petition_id = str(cmd.id or uuid7())
    village = _village(uow, cmd.village)
    petition = await _new(uow, Petition, petition_id)
    repeat_of = str(cmd.repeat_of) if cmd.repeat_of else None
    if repeat_of is not None:
        earlier = await uow.load(Petition, Petition.stream_for(repeat_of))
        if not earlier.exists:
            raise NotFound(f"重复信访所指的原信访件 {repeat_of} 不存在 (earlier case unknown)")
        earlier.link_repeat(petition_id, uow.day)
    petition.receive(
        petition_id=petition_id,
        channel=cmd.channel,
        petitioner_name=cmd.petitioner_name,
        petitioner_count=cmd.petitioner_count,
        village=village,
        subject=cmd.subject,
        on=uow.day,
        repeat_of=repeat_of,
    )
    return petition_id, petition


async def classify_petition(cmd: c.ClassifyPetition, uow: Work[Deps]) -> Done:
    return await _change(
        uow,
        Petition,
        cmd.petition_id,
        cmd,
        lambda p: p.classify(cmd.focus_area, cmd.key_case, uow.day),
    )


async def form_petition_team(cmd: c.FormPetitionTeam, uow: Work[Deps]) -> Done:
    return await _change(
        uow,
        Petition,
        cmd.petition_id,
        cmd,
        lambda p: p.form_team(cmd.team_name, tuple(cmd.members), uow.day),
    )


async def assign_petition_leader(cmd: c.AssignPetitionLeader, uow: Work[Deps]) -> Done:
    return await _change(
        uow, Petition, cmd.petition_id, cmd, lambda p: p.assign_leader(cmd.leader, uow.day)
    )


async def note_petition_progress(cmd: c.NotePetitionProgress, uow: Work[Deps]) -> Done:
    return await _change(
        uow, Petition, cmd.petition_id, cmd, lambda p: p.note_progress(cmd.note, uow.day)
    )


async def resolve_petition(cmd: c.ResolvePetition, uow: Work[Deps]) -> Done:
    return await _change(
        uow, Petition, cmd.petition_id, cmd, lambda p: p.resolve(cmd.resolution, uow.day)
    )


async def close_petition(cmd: c.ClosePetition, uow: Work[Deps]) -> Done:
    return await _change(uow, Petition, cmd.petition_id, cmd, lambda p: p.close(uow.day, cmd.note))


async def reopen_petition(cmd: c.ReopenPetition, uow: Work[Deps]) -> Done:
    return await _change(
        uow, Petition, cmd.petition_id, cmd, lambda p: p.reopen(cmd.reason, uow.day)
    )


# --- directives -------------------------------------------------------------------------------


async def receive_directive(cmd: c.ReceiveDirective, uow: Work[Deps]) -> Done:
    directive_id = str(cmd.id or uuid7())
    directive = await _new(uow, Directive, directive_id)
    directive.receive(
        directive_id=directive_id,
        kind=cmd.kind,
        level=cmd.level,
        issued_by=cmd.issued_by,
        reference=cmd.reference,
        subject=cmd.subject,
        on=uow.day,
        due_on=cmd.due_on,
    )
    return directive_id, directive


async def assign_directive(cmd: c.AssignDirective, uow: Work[Deps]) -> Done:
    return await _change(
        uow,
        Directive,
        cmd.directive_id,
        cmd,
        lambda d: d.assign(cmd.lead_post, cmd.lead_unit, uow.day, uow.deps.plan, cmd.due_on),
    )


async def report_directive_progress(cmd: c.ReportDirectiveProgress, uow: Work[Deps]) -> Done:
    return await _change(
        uow, Directive, cmd.directive_id, cmd, lambda d: d.report_progress(cmd.report, uow.day)
    )


async def report_directive_back(cmd: c.ReportDirectiveBack, uow: Work[Deps]) -> Done:
    return await _change(
        uow, Directive, cmd.directive_id, cmd, lambda d: d.report_back(cmd.result, uow.day)
    )


async def complete_directive(cmd: c.CompleteDirective, uow: Work[Deps]) -> Done:
    return await _change(
        uow, Directive, cmd.directive_id, cmd, lambda d: d.complete(uow.day, cmd.note)
    )


# --- clues and accountability -----------------------------------------------------------------


async def receive_clue(cmd: c.ReceiveClue, uow: Work[Deps]) -> Done:
    clue_id = str(cmd.id or uuid7())
    village = _village(uow, cmd.village)
    clue = await _new(uow, Clue, clue_id)
    clue.receive(
        clue_id=clue_id,
        category=cmd.category,
        channel=cmd.channel,
        summary=cmd.summary,
        village=village,
        subject_name=cmd.subject_name,
        subject_post=cmd.subject_post,
        subject_member_id=cmd.subject_member_id,
        on=uow.day,
    )
    return clue_id, clue


async def verify_clue(cmd: c.VerifyClue, uow: Work[Deps]) -> Done:
    return await _change(uow, Clue, cmd.clue_id, cmd, lambda k: k.verify(cmd.findings, uow.day))


async def decide_accountability(cmd: c.DecideAccountability, uow: Work[Deps]) -> Done:
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
            on=uow.day,
        ),
    )


async def conclude_clue(cmd: c.ConcludeClue, uow: Work[Deps]) -> Done:
    return await _change(uow, Clue, cmd.clue_id, cmd, lambda k: k.conclude(uow.day, cmd.summary))


async def dismiss_clue(cmd: c.DismissClue, uow: Work[Deps]) -> Done:
    return await _change(uow, Clue, cmd.clue_id, cmd, lambda k: k.dismiss(cmd.reason, uow.day))


# --- reactions to other services' events --------------------------------------------------------
# Each derives its stream id from the source event and does nothing if its work is stored
# already: a redelivered or replayed event (or a lost race, retried) changes nothing.


async def open_red_flag_clue(cmd: c.OpenRedFlagClue, uow: Work[Deps]) -> Done:
    """A confirmed red flag opens its clue (stream `clue-redflag-<flag_id>`), once."""
    clue_id = red_flag_clue_id(cmd.flag_id)
    clue = await uow.load(Clue, Clue.stream_for(clue_id))
    if not clue.exists:
        clue.open_from_red_flag(
            flag_id=cmd.flag_id,
            code=cmd.code,
            village=cmd.village,
            programme_id=cmd.programme_id,
            summary=cmd.summary,
            severity=cmd.severity,
            confirmed_on=cmd.confirmed_on,
        )
    return clue_id, clue


async def open_weak_branch_item(cmd: c.OpenWeakBranchItem, uow: Work[Deps]) -> Done:
    """One rectification item of a weak branch (整改清单, measure 5), once."""
    task = next(t for t in WEAK_BRANCH_TASKS if t.key == cmd.task)
    item_id = weak_branch_item_id(cmd.branch_id, cmd.period, task.key)
    item = await uow.load(ListItem, ListItem.stream_for(item_id))
    if not item.exists:
        plan = uow.deps.plan
        measure = plan.measure(WEAK_BRANCH_MEASURE)
        item.open(
            item_id=item_id,
            list_name="整改清单",
            title=f"{cmd.branch_name}：{task.title}",
            detail=f"{task.detail}（{cmd.period} 考核确定的软弱涣散基层党组织，{cmd.assessed}）",
            source="自己找",
            measure=WEAK_BRANCH_MEASURE,
            lead_post=measure.lead_post,
            lead_unit=measure.lead_units[0],
            deadline=weak_branch_deadline(cmd.designated_on),
            village=cmd.village,
            on=cmd.designated_on,
            plan=plan,
            branch_id=cmd.branch_id,
            period=cmd.period,
        )
    return item_id, item


async def note_designation_lifted(cmd: c.NoteDesignationLifted, uow: Work[Deps]) -> Done:
    """The lifting noted on a weak branch's item, once; nothing if the item is unknown."""
    item_id = weak_branch_item_id(cmd.branch_id, cmd.period, cmd.task)
    item = await uow.load(ListItem, ListItem.stream_for(item_id))
    if not item.exists:
        log.warning("supervision.lifted_without_items", branch_id=cmd.branch_id, period=cmd.period)
    else:
        item.note_designation_lifted(cmd.branch_id, cmd.period, cmd.lifted_on)
    return item_id, item
