"""Handlers of village collective decisions (四议两公开) and the collective projects they allow.
Each acts on one village, within the caller's scope; a decision is named by its village in the
URL and its id."""

from __future__ import annotations

from funds.application import commands as c
from funds.application.ports import Deps
from funds.domain import events as ev
from funds.domain.collective import CollectiveLedger
from funds.domain.decision import CollectiveProject, VillageDecision
from funds.domain.identity import (
    child_id,
    decision_stream,
    ledger_stream,
    project_id_for,
    project_stream,
)
from funds.domain.values import DecisionKind
from shared.kernel import NotFound, check_version
from shared.pipeline import Done, Work
from shared.town import Village

DECISION = "决策事项"


async def load_decision(
    uow: Work[Deps], village: Village, decision_id: str, expected: int | None = None
) -> VillageDecision:
    """The village's decision (404 if none, or another village's), at the expected version."""
    decision = await uow.get(VillageDecision, decision_stream(decision_id), DECISION)
    if decision.facts.village_code != village.code:
        raise NotFound(f"{village.name}没有决策事项 {decision_id} (no such decision here)")
    check_version(decision, expected)
    return decision


async def propose(cmd: c.ProposeDecision, uow: Work[Deps]) -> Done:
    """村党组织提议; a given reference names the decision (a repeat is 409)."""
    village = uow.village(cmd.village)
    decision_id = child_id(village.code, "decision", cmd.reference)
    decision = await uow.load(VillageDecision, decision_stream(decision_id))
    decision.propose(
        ev.DecisionProposed(
            decision_id=decision_id,
            village=village.name,
            village_code=village.code,
            kind=cmd.kind,
            subject=cmd.subject.strip(),
            description=cmd.description,
            proposed_on=uow.day,
        )
    )
    return decision_id, decision


async def hold_meeting(cmd: c.HoldDecisionMeeting, uow: Work[Deps]) -> Done:
    """商议 / 审议 / 决议, held on the business day."""
    village = uow.village(cmd.village)
    decision = await load_decision(uow, village, cmd.decision_id, cmd.expected_version)
    decision.hold_meeting(
        step=cmd.step,
        body=cmd.body,
        members=cmd.members,
        present=cmd.present,
        votes_for=cmd.votes_for,
        votes_against=cmd.votes_against,
        held_on=uow.day,
    )
    return cmd.decision_id, decision


async def disclose_resolution(cmd: c.DiscloseResolution, uow: Work[Deps]) -> Done:
    """决议公开."""
    village = uow.village(cmd.village)
    decision = await load_decision(uow, village, cmd.decision_id, cmd.expected_version)
    decision.disclose_resolution(cmd.channel, uow.day)
    return cmd.decision_id, decision


async def disclose_result(cmd: c.DiscloseResult, uow: Work[Deps]) -> Done:
    """实施结果公开, once the act happened: the decision's project started, or its asset
    disposed of under it."""
    village = uow.village(cmd.village)
    decision = await load_decision(uow, village, cmd.decision_id, cmd.expected_version)
    facts = decision.facts
    if facts.kind == DecisionKind.COLLECTIVE_PROJECT:
        project = await uow.load(
            CollectiveProject, project_stream(project_id_for(facts.decision_id))
        )
        acted_on = project.started.started_on if project.started else None
    else:
        ledger = await uow.load(CollectiveLedger, ledger_stream(village.code))
        holding = ledger.holdings.get(facts.subject)
        disposal = holding.disposal if holding else None
        ok = disposal is not None and disposal.decision_id == facts.decision_id
        acted_on = disposal.disposed_on if disposal is not None and ok else None
    decision.disclose_result(cmd.result, uow.day, acted_on)
    return cmd.decision_id, decision


async def start_project(cmd: c.StartCollectiveProject, uow: Work[Deps]) -> Done:
    """Start the collective project its decision is about, once the resolution is disclosed."""
    village = uow.village(cmd.village)
    decision = await load_decision(uow, village, cmd.decision_id)
    project_id = project_id_for(decision.facts.decision_id)
    project = await uow.load(CollectiveProject, project_stream(project_id))
    project.start(
        project_id=project_id,
        village=village.name,
        village_code=village.code,
        investment=cmd.investment,
        decision=decision,
        on=uow.day,
    )
    return project_id, project
