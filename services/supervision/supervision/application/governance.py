"""Handlers of village governance (村级治理, measure 6) and of the appraisal's facts: the
lists of small powers and the check of funds' acts against them, the village affairs
supervision committees, the facts of the yearly appraisal, and the 为官不为 clue an
appraisal's referral opens. Load through the unit of work, let the aggregate decide, hand
back the entity written."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import structlog

from shared.ids import uuid7
from shared.kernel import Aggregate, Refused, check_version
from shared.pipeline import Done, Work
from supervision.domain.appraisal import (
    AppraisalFacts,
    appraisal_stream,
    count_facts,
    counted_as_of,
)
from supervision.domain.clues import Clue, appraisal_clue_id
from supervision.domain.committee import Committee, committee_stream, report_due_on
from supervision.domain.directives import Directive
from supervision.domain.events import PowerItem
from supervision.domain.items import ListItem
from supervision.domain.measures import Measure
from supervision.domain.petitions import Petition
from supervision.domain.powers import (
    PowerBreach,
    PowerList,
    breach_stream,
    power_items,
    power_list_stream,
    step_labels,
)

from . import commands as c
from .handlers import Deps

log = structlog.get_logger(__name__)

G = TypeVar("G", bound=Aggregate)

#: Measure 6 (完善乡村治理机制): the lists of small powers and the supervision committees.
GOVERNANCE_MEASURE = 6
#: Days to rectify a problem a breach or a finding puts on the problem list.
RECTIFY_DAYS = 30


async def _open_problem(
    uow: Work[Deps],
    *,
    item_id: str,
    title: str,
    detail: str,
    source: str,
    village: str,
    on: dt.date,
    deadline: dt.date | None = None,
) -> ListItem:
    """A problem-list item under measure 6, led by the measure's leader and unit."""
    plan = uow.deps.plan
    measure = plan.measure(GOVERNANCE_MEASURE)
    item = await uow.load(ListItem, ListItem.stream_for(item_id))
    item.open(
        item_id=item_id,
        list_name="问题清单",
        title=title,
        detail=detail,
        source=source,
        measure=GOVERNANCE_MEASURE,
        lead_post=measure.lead_post,
        lead_unit=measure.lead_units[0],
        deadline=deadline or on + dt.timedelta(days=RECTIFY_DAYS),
        village=village,
        on=on,
        plan=plan,
    )
    return item


# --- 小微权力清单 ---------------------------------------------------------------------------------


async def publish_power_list(cmd: c.PublishPowerList, uow: Work[Deps]) -> Done:
    """Publish a village's list for a year: the items given, or the town's reference list."""
    village = uow.village(cmd.village)
    items = (
        power_items([i.model_dump() for i in cmd.items])
        if cmd.items is not None
        else uow.deps.default_powers
    )
    stream_id = power_list_stream(village.code, cmd.year)
    powers = await uow.load(PowerList, stream_id)
    powers.publish(
        village=village.name, village_code=village.code, year=cmd.year, items=items, on=uow.day
    )
    return stream_id.removeprefix("powers-"), powers


def items_in_force(
    powers: PowerList, default: tuple[PowerItem, ...], day: dt.date
) -> tuple[PowerItem, ...]:
    """The items of the list in force on `day`: the latest version published by then, else the
    reference list."""
    current = powers.in_force_on(day)
    return current.items if current is not None else default


async def check_power_flow(cmd: c.CheckPowerFlow, uow: Work[Deps]) -> Done:
    """Check one act against its power item's flow in the village's list in force for the
    act's year; a step it skipped → `PowerFlowBreached` and a problem-list item, once per act
    (stream `breach-<act_event_id>`)."""
    breach = await uow.load(PowerBreach, breach_stream(cmd.act_event_id))
    if breach.exists:
        return cmd.act_event_id, breach
    village = uow.town.village(cmd.village)
    if village is None:
        log.warning("supervision.power_act_unknown_village", village=cmd.village)
        return cmd.act_event_id, breach
    powers = await uow.load(PowerList, power_list_stream(village.code, cmd.acted_on.year))
    listed = items_in_force(powers, uow.deps.default_powers, cmd.acted_on)
    item = next((i for i in listed if i.code == cmd.power_item), None)
    if item is None:
        log.warning(
            "supervision.power_item_not_listed", village=village.name, power_item=cmd.power_item
        )
        return cmd.act_event_id, breach
    missing = breach.record(
        act_event_id=cmd.act_event_id,
        act_type=cmd.act_type,
        village=village.name,
        item=item,
        done=cmd.steps,
        found_on=cmd.acted_on,
    )
    if missing:
        in_force = powers.in_force_on(cmd.acted_on)
        version = in_force.version if in_force else None
        listed_as = f"{cmd.acted_on.year} 年清单第 {version} 版" if version else "镇参考清单"
        assert breach.breached is not None
        await _open_problem(
            uow,
            item_id=breach.breached.item_id,
            title=f"小微权力运行缺少步骤：{item.name}（{step_labels(missing)}）",
            detail=(
                f"{village.name}{cmd.acted_on}的{item.name}事项未经{step_labels(missing)}"
                f"（依据{listed_as}；已履行：{step_labels(cmd.steps) or '无'}；"
                f"{cmd.act_type} {cmd.act_event_id}）"
            ),
            source="自己找",
            village=village.name,
            on=cmd.acted_on,
        )
    return cmd.act_event_id, breach


# --- 村务监督委员会 -------------------------------------------------------------------------------


async def _committee(uow: Work[Deps], name_or_code: str, expected: int | None) -> Committee:
    village = uow.village(name_or_code)
    committee = await uow.get(Committee, committee_stream(village.code), Committee.KIND)
    check_version(committee, expected)
    return committee


async def appoint_committee_member(cmd: c.AppointCommitteeMember, uow: Work[Deps]) -> Done:
    village = uow.village(cmd.village)
    committee = await uow.load(Committee, committee_stream(village.code))
    check_version(committee, cmd.expected_version)
    committee.appoint(
        village=village.name,
        village_code=village.code,
        member_id=cmd.member_id or str(uuid7()),
        name=cmd.name,
        position=cmd.position,
        on=uow.day,
    )
    return village.code, committee


async def committee_member_leaves(cmd: c.CommitteeMemberLeaves, uow: Work[Deps]) -> Done:
    committee = await _committee(uow, cmd.village, cmd.expected_version)
    committee.leave(cmd.member_id, uow.day)
    return committee.village_code, committee


async def make_committee_report(cmd: c.MakeCommitteeReport, uow: Work[Deps]) -> Done:
    committee = await _committee(uow, cmd.village, cmd.expected_version)
    committee.report(
        year=cmd.year,
        to_party_organisation=cmd.to_party_organisation,
        to_representatives=cmd.to_representatives,
        summary=cmd.summary,
        on=uow.day,
    )
    return committee.village_code, committee


def years_due(cmd: c.CheckCommitteeReports, day: dt.date, since: dt.date) -> list[int]:
    """The years whose reports are due by `day`: the one asked, or every one since `since`."""
    if cmd.year is not None:
        if day <= report_due_on(cmd.year):
            raise Refused(
                f"{cmd.year} 年度报告的期限为 {report_due_on(cmd.year)}，尚未届满 (not yet due)"
            )
        return [cmd.year]
    return [y for y in range(since.year, day.year) if day > report_due_on(y)]


async def check_committee_reports(cmd: c.CheckCommitteeReports, uow: Work[Deps]) -> int:
    """Every village's committee, every year due: a report not made in time is overdue,
    raised once. Not one entity's command (a route runs it through `pipeline.attempt`). How
    many were raised."""
    years = years_due(cmd, uow.day, uow.town.programme_since)
    raised = 0
    for village in uow.town.villages:
        committee = await uow.load(Committee, committee_stream(village.code))
        for year in years:
            raised += committee.check_report(year, uow.day)
    return raised


async def record_committee_finding(cmd: c.RecordCommitteeFinding, uow: Work[Deps]) -> Done:
    """The committee's finding, and the problem-list item it opens (source 群众提)."""
    committee = await _committee(uow, cmd.village, cmd.expected_version)
    finding_id = str(cmd.id or uuid7())
    item_id = committee.record_finding(
        finding_id=finding_id, title=cmd.title, detail=cmd.detail, on=uow.day
    )
    await _open_problem(
        uow,
        item_id=item_id,
        title=f"{committee.village}村务监督委员会发现：{cmd.title}",
        detail=cmd.detail,
        source="群众提",
        village=committee.village,
        on=uow.day,
        deadline=cmd.deadline,
    )
    return finding_id, committee


# --- the appraisal's facts --------------------------------------------------------------------


async def record_appraisal_facts(cmd: c.RecordAppraisalFacts, uow: Work[Deps]) -> Done:
    """Count the year's facts from supervision's own entities as they stood at the year's end
    (or today, if earlier) and record them (`unitfacts-<year>`)."""
    ledger = uow.deps.ledger
    if ledger is None:
        raise RuntimeError("the appraisal's facts need the ledger (Deps.ledger)")
    as_of = counted_as_of(cmd.year, uow.day)
    plan = uow.deps.plan

    async def every(cls: type[G], prefix: str) -> list[G]:
        return await ledger.load_all(cls, prefix, as_of=as_of, conn=uow.conn)

    units = count_facts(
        year=cmd.year,
        as_of=as_of,
        plan=plan,
        villages=uow.town.names,
        measures=await every(Measure, f"measure-{plan.plan_id}-"),
        items=await every(ListItem, f"{ListItem.PREFIX}-"),
        directives=await every(Directive, f"{Directive.PREFIX}-"),
        petitions=await every(Petition, f"{Petition.PREFIX}-"),
    )
    facts = await uow.load(AppraisalFacts, appraisal_stream(cmd.year))
    facts.record(cmd.year, as_of, units)
    return str(cmd.year), facts


# --- the appraisal's referrals (为官不为) ---------------------------------------------------------


async def open_inaction_clue(cmd: c.OpenInactionClue, uow: Work[Deps]) -> Done:
    """A subject the appraisal referred gets one 为官不为 clue, once."""
    clue_id = appraisal_clue_id(cmd.year, cmd.subject_kind, cmd.subject)
    clue = await uow.load(Clue, Clue.stream_for(clue_id))
    if not clue.exists:
        clue.open_from_appraisal(
            year=cmd.year,
            subject_kind=cmd.subject_kind,
            subject=cmd.subject,
            subject_name=cmd.subject_name,
            reason=cmd.reason,
            referred_on=cmd.referred_on,
        )
    return clue_id, clue
