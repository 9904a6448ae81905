"""How relief's events (measures 1–3) change the projection's entities.

Streams: `household-<id>` (建档立卡户: registration, income, 两不愁三保障, exit, return,
pairing, visits, measures of the five projects), `activity-<town>-<activity>` (the five
activities, each record naming its village), `project-<id>` (民生实事), `site-<id>` (社区服务场所),
`station-<village code>` (便民服务站), `agency-<id>` (代办事项), `erasure-<person ref>` (a
person's data erased, 个人信息删除: the views keep counting them; their fields show erased).

Names and ID numbers arrive encrypted (tokens, `shared.personal`): the folds copy them, never
read them (an ID number compared or grouped goes by `tokens.ref_of(value) or person_ref(value)`).
"""

from __future__ import annotations

from decimal import Decimal

from projection.domain.folds import Fact, Rule, State, count

HOUSEHOLD, ACTIVITY, PROJECT, SITE, STATION, AGENCY = (
    "household",
    "activity",
    "project",
    "site",
    "station",
    "agency",
)
ERASURE = "erasure"

#: Status labels by kind: relief's entities reuse status words ("registered" is a household in
#: poverty but a service site not yet certified), so a label is looked up by kind and status.
STATUS_LABELS: dict[str, dict[str, str]] = {
    HOUSEHOLD: {"registered": "在档贫困户", "exited": "已脱贫", "returned": "返贫"},
    PROJECT: {
        "listed": "已列入清单",
        "in_progress": "实施中",
        "accepted": "已验收",
        "after_care": "后续管理",
    },
    SITE: {"registered": "未达标", "compliant": "已达标"},
    STATION: {"designated": "已设立"},
    AGENCY: {"received": "已受理", "handled": "已办结", "signed_off": "已签收"},
}

FIVE_PROJECTS = {
    "income": "群众增收",
    "relocation": "易地搬迁",
    "skills": "素质提升",
    "safety_net": "兜底保障",
    "infrastructure": "基础扶贫",
}

PROJECT_CATEGORIES = {
    "jobs": "就业",
    "medical": "就医",
    "school": "上学",
    "transport": "出行",
    "housing": "住房",
    "water": "饮水",
    "power": "用电",
    "public_services": "社会公共服务",
    "culture_fitness": "文化健身",
    "environment": "环境保护",
}

FIVE_UNIFIED = ("signage", "facade", "door_plates", "service_windows", "publicity_boards")


def _registered(state: State, fact: Fact) -> None:
    state["registered_on"] = fact.date("registered_on")
    state["head_name"] = fact.payload.get("head_name")
    state["member_count"] = len(fact.payload.get("members") or [])


def _income(state: State, fact: Fact) -> None:
    incomes = dict(state.get("incomes") or {})
    incomes[str(fact.payload.get("year"))] = str(fact.payload.get("income_per_head"))
    state["incomes"] = incomes


def _guarantees(state: State, fact: Fact) -> None:
    keys = ("food", "clothing", "education", "medical", "housing")
    state["guarantees_met"] = all(bool(fact.payload.get(k)) for k in keys)
    state["guarantees_checked_on"] = fact.date("checked_on")


def _exited(state: State, fact: Fact) -> None:
    state["exited_on"] = fact.date("exited_on")
    state["exits"] = int(state.get("exits") or 0) + 1


def _returned(state: State, fact: Fact) -> None:
    state["returned_on"] = fact.date("returned_on")
    state["returns"] = int(state.get("returns") or 0) + 1


def _paired(state: State, fact: Fact) -> None:
    helper = fact.payload.get("helper") or {}
    state["paired"] = True
    state["paired_on"] = state.get("paired_on") or fact.date("paired_on", "repaired_on")
    state["helper_name"] = helper.get("name")
    state["helper_kind"] = helper.get("kind")
    state["helper_member_id"] = helper.get("member_id")


def _visited(state: State, fact: Fact) -> None:
    day = fact.date("visited_on")
    state["visits"] = int(state.get("visits") or 0) + 1
    state["first_visited_on"] = state.get("first_visited_on") or day
    state["last_visited_on"] = max(str(state.get("last_visited_on") or ""), day)


def _measure_planned(state: State, fact: Fact) -> None:
    projects = dict(state.get("measures_by_project") or {})
    project = str(fact.payload.get("project"))
    projects[project] = int(projects.get(project, 0)) + 1
    state["measures_by_project"] = projects
    state["measures_planned"] = int(state.get("measures_planned") or 0) + 1


def _project_accepted(state: State, fact: Fact) -> None:
    state["accepted_on"] = fact.date("accepted_on")


def _site_registered(state: State, fact: Fact) -> None:
    state["village"] = fact.payload.get("community")


def _site_items(state: State, fact: Fact) -> None:
    done = set(state.get("unified_items") or [])
    done.update(str(i) for i in fact.payload.get("items") or [])
    state["unified_items"] = sorted(done)


def _activity(state: State, fact: Fact) -> None:
    state["records"] = int(state.get("records") or 0) + 1
    posts = fact.payload.get("posts")
    if posts:
        state["posts"] = int(state.get("posts") or 0) + int(posts)
    amount = fact.payload.get("amount")
    if amount:
        state["amount"] = str(Decimal(str(state.get("amount") or 0)) + Decimal(str(amount)))


RULES: dict[str, Rule] = {
    # a person's data erased (relief records it; every holder deletes the keys): the stream is
    # `erasure-<person_ref>`, named by the keyed reference only
    "person.ErasureRequested": Rule(ERASURE, label="个人信息删除"),
    "relief.HouseholdRegistered": Rule(HOUSEHOLD, "registered", _registered, label="建档立卡登记"),
    "relief.HeadIdNumberClaimed": Rule("household_index", label="户主身份证号登记索引"),
    "relief.HouseholdRecordCorrected": Rule(HOUSEHOLD, label="建档信息更正"),
    "relief.HouseholdIncomeAssessed": Rule(
        HOUSEHOLD, fold=_income, merge=False, label="人均纯收入核定"
    ),
    "relief.GuaranteesChecked": Rule(
        HOUSEHOLD, fold=_guarantees, merge=False, label="两不愁三保障核查"
    ),
    "relief.HouseholdExitedPoverty": Rule(HOUSEHOLD, "exited", _exited, label="脱贫"),
    "relief.HouseholdReturnedToPoverty": Rule(HOUSEHOLD, "returned", _returned, label="返贫"),
    "relief.HouseholdPaired": Rule(HOUSEHOLD, fold=_paired, merge=False, label="结对帮扶"),
    "relief.HouseholdRepaired": Rule(HOUSEHOLD, fold=_paired, merge=False, label="调整帮扶责任人"),
    "relief.HouseholdVisited": Rule(HOUSEHOLD, fold=_visited, merge=False, label="走访"),
    "relief.ReliefMeasurePlanned": Rule(
        HOUSEHOLD, fold=_measure_planned, merge=False, label="五大工程措施计划"
    ),
    "relief.ReliefMeasureCompleted": Rule(
        HOUSEHOLD, fold=count("measures_done"), merge=False, label="五大工程措施落实"
    ),
    "relief.EnterprisePairedWithVillage": Rule(
        ACTIVITY, fold=_activity, merge=False, label="企业联农村结对"
    ),
    "relief.PostsProvided": Rule(ACTIVITY, fold=_activity, merge=False, label="提供岗位"),
    "relief.StudentHelped": Rule(ACTIVITY, fold=_activity, merge=False, label="帮扶贫困生"),
    "relief.FreeClinicHeld": Rule(ACTIVITY, fold=_activity, merge=False, label="义诊"),
    "relief.LivelihoodProjectListed": Rule(PROJECT, "listed", label="列入民生实事清单"),
    "relief.LivelihoodProjectStarted": Rule(PROJECT, "in_progress", label="项目开工"),
    "relief.LivelihoodProjectAccepted": Rule(
        PROJECT, "accepted", _project_accepted, label="项目验收"
    ),
    "relief.AfterCareRecorded": Rule(
        PROJECT, "after_care", count("after_care_records"), label="后续管理记录"
    ),
    "relief.CommunityServiceSiteRegistered": Rule(
        SITE, "registered", _site_registered, label="社区服务场所登记"
    ),
    "relief.CommunityServiceSiteExpanded": Rule(SITE, label="服务场所扩建"),
    "relief.FiveUnifiedItemsCompleted": Rule(
        SITE, fold=_site_items, merge=False, label="五统一完成"
    ),
    "relief.CommunityServiceSiteCertifiedCompliant": Rule(SITE, "compliant", label="服务场所达标"),
    "relief.ServiceStationDesignated": Rule(STATION, "designated", label="设立便民服务站"),
    "relief.DutyRotaPublished": Rule(STATION, fold=count("rotas"), label="公布值班表"),
    "relief.AgencyRequestReceived": Rule(AGENCY, "received", label="代办受理"),
    "relief.AgencyRequestHandled": Rule(AGENCY, "handled", label="代办办结"),
    "relief.AgencyRequestSignedOff": Rule(AGENCY, "signed_off", label="代办签收"),
}
