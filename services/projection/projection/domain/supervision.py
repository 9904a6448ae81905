"""How supervision's events (the plan's 14 measures, measures 7, 11, 12, 13) change the
projection's entities.

Streams: `measure-<plan>-<nn>` (the 14 measures), `item-<id>` (问题/责任/整改清单),
`petition-<id>` (信访), `directive-<id>` (批示件、交办事项), `clue-<id>` (为官不为、雁过拔毛);
issue 15's village governance: `powers-<village code>-<year>` (小微权力清单, its latest version),
`breach-<act event id>` (a small power exercised without a step of its flow),
`committee-<village code>` (村务监督委员会: members, yearly reports, overdue reports, findings),
`unitfacts-<year>` (the facts of the yearly appraisal as supervision counts them).
"""

from __future__ import annotations

from projection.domain.folds import Fact, Rule, State, count
from shared import village_affairs

MEASURE, ITEM, PETITION, DIRECTIVE, CLUE = "measure", "item", "petition", "directive", "clue"
POWERS, BREACH, COMMITTEE, UNIT_FACTS = "powers", "breach", "committee", "unitfacts"

#: Labels of the village governance kinds' statuses, per kind.
GOVERNANCE_LABELS: dict[str, dict[str, str]] = {
    POWERS: {"published": "已公布"},
    BREACH: {"found": "运行缺少步骤"},
    COMMITTEE: {"active": "已配备成员", "vacant": "无在任成员"},
    UNIT_FACTS: {"recorded": "已记录"},
}
#: The small powers (小微权力) of the default list, as supervision names them.
POWER_ITEMS = {
    "major_decision": "重大事项决策",
    "finance": "财务收支",
    "works": "工程项目",
    "asset_disposal": "资产资源处置",
    "assistance": "低保和救助对象评定",
    "homestead": "宅基地",
}
#: The steps of a small power's flow: the vocabulary funds and supervision share.
STEP_LABELS = village_affairs.STEP_LABELS

STATUS_LABELS = {
    "registered": "已登记",
    "open": "待整改",
    "in_progress": "整改中",
    "rectified": "已整改",
    "closed": "已销号",
    "received": "已受理",
    "classified": "已分类",
    "handling": "化解中",
    "resolved": "已化解",
    "assigned": "已交办",
    "reported_back": "已反馈",
    "completed": "已办结",
    "verified": "已核实",
    "deciding": "问责中",
    "concluded": "已问责办结",
    "dismissed": "已了结",
}

#: Statuses in which a piece of casework is done (not counted as backlog or overdue).
DONE = {
    ITEM: {"rectified", "closed"},
    PETITION: {"resolved", "closed"},
    DIRECTIVE: {"reported_back", "completed"},
    CLUE: {"concluded", "dismissed"},
}


def _measure(state: State, fact: Fact) -> None:
    state["due_on"] = fact.payload.get("due_on")


def _item_listed(state: State, fact: Fact) -> None:
    state["listed_on"] = fact.date("listed_on")


def _item_rectified(state: State, fact: Fact) -> None:
    state["rectified_on"] = fact.date("rectified_on")


def _item_closed(state: State, fact: Fact) -> None:
    state["closed_on"] = fact.date("closed_on")


def _item_reopened(state: State, fact: Fact) -> None:
    state["reopened"] = int(state.get("reopened") or 0) + 1
    state["rectified_on"] = None
    state["closed_on"] = None
    if fact.payload.get("new_deadline"):
        state["deadline"] = fact.payload.get("new_deadline")


def _classified(state: State, fact: Fact) -> None:
    state["focus_area"] = fact.payload.get("focus_area")
    state["key_case"] = bool(fact.payload.get("key_case"))
    if state.get("status") == "received":
        state["status"] = "classified"


def _team(state: State, fact: Fact) -> None:
    state["team_name"] = fact.payload.get("team_name")
    state["team_size"] = len(fact.payload.get("members") or [])


def _resolved(state: State, fact: Fact) -> None:
    state["resolved_on"] = fact.date("resolved_on")


def _petition_closed(state: State, fact: Fact) -> None:
    state["closed_on"] = fact.date("closed_on")


def _petition_reopened(state: State, fact: Fact) -> None:
    state["reopened"] = int(state.get("reopened") or 0) + 1
    state["resolved_on"] = None
    state["closed_on"] = None


def _directive_assigned(state: State, fact: Fact) -> None:
    """Not merged: an assignment without a due date keeps the one the directive came with,
    as supervision's `Directive` does (merging its `due_on: null` dropped it, and with it
    the directive's lateness)."""
    p = fact.payload
    state["directive_id"] = p.get("directive_id")
    state["lead_post"], state["lead_unit"] = p.get("lead_post"), p.get("lead_unit")
    if p.get("due_on"):
        state["due_on"] = p.get("due_on")
    state["assigned_on"] = fact.date("assigned_on")


def _reported_back(state: State, fact: Fact) -> None:
    state["reported_back_on"] = fact.date("reported_on")
    state["result"] = fact.payload.get("result")


def _directive_completed(state: State, fact: Fact) -> None:
    state["completed_on"] = fact.date("completed_on")


def _verified(state: State, fact: Fact) -> None:
    state["verified_on"] = fact.date("verified_on")


def _decided(state: State, fact: Fact) -> None:
    decisions = list(state.get("decisions") or [])
    p = fact.payload
    decisions.append(
        {
            "case_id": p.get("case_id"),
            "subject_name": p.get("subject_name"),
            "subject_post": p.get("subject_post"),
            "kind": p.get("kind"),
            "decided_on": p.get("decided_on"),
        }
    )
    state["decisions"] = decisions


def _concluded(state: State, fact: Fact) -> None:
    outcome = fact.payload.get("outcome")
    state["status"] = "concluded" if outcome == "accountability" else "dismissed"
    state["outcome"] = outcome
    state["concluded_on"] = fact.date("concluded_on")
    state["kinds"] = list(fact.payload.get("kinds") or [])


def _power_list(state: State, fact: Fact) -> None:
    state["versions"] = int(state.get("versions") or 0) + 1
    state["items_count"] = len(fact.payload.get("items") or [])
    state["published_on"] = fact.date("published_on")


def _committee_status(state: State) -> None:
    members = state.get("committee_members") or {}
    state["status"] = "active" if any(not m.get("left_on") for m in members.values()) else "vacant"


def _member_appointed(state: State, fact: Fact) -> None:
    p = fact.payload
    state["village"], state["village_code"] = p.get("village"), p.get("village_code")
    members = dict(state.get("committee_members") or {})
    members[str(p.get("member_id"))] = {
        "name": p.get("name"),
        "position": p.get("position"),
        "appointed_on": fact.date("appointed_on"),
        "left_on": None,
    }
    state["committee_members"] = members
    _committee_status(state)


def _member_left(state: State, fact: Fact) -> None:
    p = fact.payload
    state["village"] = p.get("village")
    members = dict(state.get("committee_members") or {})
    key = str(p.get("member_id"))
    members[key] = dict(members.get(key) or {}) | {"left_on": fact.date("left_on")}
    state["committee_members"] = members
    _committee_status(state)


def _report_made(state: State, fact: Fact) -> None:
    p = fact.payload
    state["village"] = p.get("village")
    reports = dict(state.get("reports_by_year") or {})
    reports[str(p.get("year"))] = {
        "reported_on": fact.date("reported_on"),
        "to_party_organisation": p.get("to_party_organisation"),
        "to_representatives": p.get("to_representatives"),
        "summary": p.get("summary"),
    }
    state["reports_by_year"] = reports
    state.setdefault("status", "vacant")


def _report_overdue(state: State, fact: Fact) -> None:
    p = fact.payload
    state["village"] = p.get("village")
    overdue = dict(state.get("overdue_reports") or {})
    overdue[str(p.get("year"))] = {"due_on": p.get("due_on"), "found_on": fact.date("found_on")}
    state["overdue_reports"] = overdue
    state.setdefault("status", "vacant")


def _finding(state: State, fact: Fact) -> None:
    p = fact.payload
    state["village"] = p.get("village")
    findings = list(state.get("findings") or [])
    findings.append(
        {key: p.get(key) for key in ("finding_id", "title", "item_id")}
        | {"found_on": fact.date("found_on")}
    )
    state["findings"] = findings[-200:]
    state.setdefault("status", "vacant")


def _facts_recorded(state: State, fact: Fact) -> None:
    state["versions"] = int(state.get("versions") or 0) + 1


RULES: dict[str, Rule] = {
    "supervision.MeasureRegistered": Rule(MEASURE, "registered", _measure, label="措施登记督办"),
    "supervision.ItemListed": Rule(ITEM, "open", _item_listed, label="列入清单"),
    "supervision.ItemWorkStarted": Rule(ITEM, "in_progress", merge=False, label="开始整改"),
    "supervision.ItemRectified": Rule(ITEM, "rectified", _item_rectified, label="整改到位"),
    "supervision.ItemClosed": Rule(ITEM, "closed", _item_closed, label="销号"),
    "supervision.ItemReopened": Rule(
        ITEM, "in_progress", _item_reopened, merge=False, label="重新整改"
    ),
    "supervision.ItemNoted": Rule(ITEM, fold=count("notes"), merge=False, label="台帐记录"),
    "supervision.BranchDesignationLiftNoted": Rule(
        ITEM, fold=lambda s, f: s.update(branch_lifted_on=f.date("lifted_on")), label="摘帽记录"
    ),
    "supervision.PetitionReceived": Rule(PETITION, "received", label="信访受理"),
    "supervision.RepeatPetitionLinked": Rule(
        PETITION, fold=count("repeats"), merge=False, label="重复信访关联"
    ),
    "supervision.PetitionClassified": Rule(
        PETITION, fold=_classified, merge=False, label="梳理归类"
    ),
    "supervision.PetitionTeamFormed": Rule(
        PETITION, "handling", _team, merge=False, label="成立工作专班"
    ),
    "supervision.PetitionLeaderAssigned": Rule(PETITION, label="领导包案"),
    "supervision.PetitionProgressNoted": Rule(
        PETITION, fold=count("notes"), merge=False, label="跟踪督办"
    ),
    "supervision.PetitionResolved": Rule(PETITION, "resolved", _resolved, label="化解办结"),
    "supervision.PetitionClosed": Rule(PETITION, "closed", _petition_closed, label="销号"),
    "supervision.PetitionReopened": Rule(
        PETITION, "handling", _petition_reopened, merge=False, label="重新办理"
    ),
    "supervision.DirectiveReceived": Rule(DIRECTIVE, "received", label="收到批示交办件"),
    "supervision.DirectiveAssigned": Rule(
        DIRECTIVE, "assigned", _directive_assigned, merge=False, label="交办"
    ),
    "supervision.DirectiveProgressReported": Rule(
        DIRECTIVE, fold=count("reports"), merge=False, label="办理进展报告"
    ),
    "supervision.DirectiveReportedBack": Rule(
        DIRECTIVE, "reported_back", _reported_back, merge=False, label="办理情况反馈"
    ),
    "supervision.DirectiveCompleted": Rule(
        DIRECTIVE, "completed", _directive_completed, merge=False, label="办结"
    ),
    "supervision.ClueReceived": Rule(CLUE, "received", label="受理线索"),
    "supervision.ClueVerified": Rule(CLUE, "verified", _verified, label="初步核实"),
    "supervision.AccountabilityDecided": Rule(
        CLUE, "deciding", _decided, merge=False, label="作出问责决定"
    ),
    "supervision.ClueConcluded": Rule(CLUE, fold=_concluded, merge=False, label="线索办结"),
    # 小微权力清单 (issue 15)
    "supervision.PowerListPublished": Rule(
        POWERS, "published", _power_list, label="公布小微权力清单"
    ),
    "supervision.PowerFlowBreached": Rule(BREACH, "found", label="小微权力运行缺少步骤"),
    # 村务监督委员会
    "supervision.CommitteeMemberAppointed": Rule(
        COMMITTEE, fold=_member_appointed, merge=False, label="监委会成员任职"
    ),
    "supervision.CommitteeMemberLeft": Rule(
        COMMITTEE, fold=_member_left, merge=False, label="监委会成员离任"
    ),
    "supervision.CommitteeReportMade": Rule(
        COMMITTEE, fold=_report_made, merge=False, label="监委会年度报告"
    ),
    "supervision.CommitteeReportOverdue": Rule(
        COMMITTEE, fold=_report_overdue, merge=False, label="监委会年度报告逾期"
    ),
    "supervision.CommitteeFindingRecorded": Rule(
        COMMITTEE, fold=_finding, merge=False, label="监委会发现问题"
    ),
    # 年度绩效考核的事实
    "supervision.AppraisalFactsRecorded": Rule(
        UNIT_FACTS, "recorded", _facts_recorded, label="记录年度考核事实"
    ),
}
