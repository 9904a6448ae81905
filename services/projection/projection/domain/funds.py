"""How funds' events (measures 4, 6, 13, 14) change the projection's entities.

Streams: `programme-<id>` (惠农涉农资金: allocations, disbursements, expenditure, changes,
公示), `beneficiary-<key>` (one person's payments and cadre relations), `redflag-<id>`,
`assets-<village code>` (三资 ledger), `collective-<village code>` (集体经济收入, 清零),
`disclosure-<village code>` (阳光村务); issue 15's village governance: `decision-<id>` (四议两公开:
proposed, consulted, reviewed, resolved or rejected, resolution and result disclosed),
`cproject-<id>` (集体经济项目 started under a decision), `books-<village code>-<year>` (村账乡代理:
the town agency's entries, totals per month). Money is summed as Decimal and kept as a string.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from projection.domain.folds import Fact, Rule, State, SumFn
from shared.kernel import payment_shortfall

PROGRAMME, BENEFICIARY, RED_FLAG, ASSETS, COLLECTIVE, DISCLOSURE = (
    "programme",
    "beneficiary",
    "redflag",
    "assets",
    "collective",
    "disclosure",
)

DECISION, COLLECTIVE_PROJECT, BOOKS = "decision", "cproject", "books"

#: Labels of the village governance kinds' statuses, per kind (a decision's "reviewed" is not
#: a party appeal's).
GOVERNANCE_LABELS: dict[str, dict[str, str]] = {
    DECISION: {
        "proposed": "① 党组织提议",
        "consulted": "② 两委会议商议",
        "reviewed": "③ 党员大会审议",
        "resolved": "④ 村民（代表）会议决议",
        "rejected": "未通过（终止）",
        "resolution_disclosed": "决议已公开",
        "result_disclosed": "实施结果已公开",
    },
    COLLECTIVE_PROJECT: {"started": "已开工"},
    BOOKS: {"keeping": "代理记账"},
}
DECISION_KINDS = {"collective_project": "集体经济项目", "asset_disposal": "资产处置"}

STATUS_LABELS = {
    "created": "已设立",
    "started": "已启动",
    "raised": "已预警",
    "acknowledged": "已签收",
    "explained": "已说明",
    "confirmed": "已确认",
    "accountability": "已问责",
    "dismissed": "已了结",
    "zero": "无集体收入（清零村）",
    "cleared": "已清零销号",
    "has_income": "有集体收入",
    "zero_reported": "申报无收入",
    "disclosing": "按期公开",
    "ledger": "三资台账",
}

#: Funds' labels of a programme's purpose (its `PURPOSE_LABELS`: funds names them).
PURPOSES = {
    "industry": "产业扶持",
    "housing": "危房改造",
    "relocation": "易地搬迁",
    "education": "教育资助",
    "medical": "医疗救助",
    "subsistence": "生活救助",
    "agriculture": "农业生产补贴",
    "employment": "就业扶持",
    "infrastructure": "基础设施建设",
    "administration": "行政办公",
    "other": "其他",
}


def money(value: Any) -> Decimal:
    """A money value from a payload or state (a decimal string), 0 when absent."""
    if value is None or value == "":
        return Decimal(0)
    return Decimal(str(value))


def _add(state: State, key: str, amount: Any) -> None:
    state[key] = str(money(state.get(key)) + money(amount))


def _add_in(state: State, key: str, sub: str, amount: Any) -> None:
    table = dict(state.get(key) or {})
    table[sub] = str(money(table.get(sub)) + money(amount))
    state[key] = table


def _allocated(state: State, fact: Fact) -> None:
    amount = fact.payload.get("amount")
    _add(state, "allocated", amount)
    _add_in(state, "allocated_by_village", str(fact.payload.get("village")), amount)
    state["allocations"] = int(state.get("allocations") or 0) + 1


def _started(state: State, fact: Fact) -> None:
    state["started_on"] = fact.date("started_on")


def _disbursed(state: State, fact: Fact) -> None:
    p = fact.payload
    amount = money(p.get("amount"))
    village = str(p.get("village"))
    _add(state, "disbursed", amount)
    _add_in(state, "disbursed_by_village", village, amount)
    state["disbursements"] = int(state.get("disbursements") or 0) + 1
    deadline = state.get("disbursement_deadline")
    paid_on = fact.date("paid_on")
    if deadline and paid_on > str(deadline):
        state["late"] = int(state.get("late") or 0) + 1
    else:
        state["on_time"] = int(state.get("on_time") or 0) + 1
    short = _shortfall(state, p)
    if short:
        state["short"] = int(state.get("short") or 0) + 1
        _add(state, "short_amount", short)
    state["last_paid_on"] = max(str(state.get("last_paid_on") or ""), paid_on)


def _shortfall(programme: Mapping[str, Any], payment: Mapping[str, Any]) -> Decimal:
    """What the payment fell short by, as funds judges it (`payment_shortfall`): against the
    voucher's entitled amount, else the programme's standard amount (from its creation)."""
    entitled, standard = payment.get("entitled_amount"), programme.get("standard_amount")
    return payment_shortfall(
        money(payment.get("amount")),
        None if entitled is None else money(entitled),
        None if standard is None else money(standard),
    )


def _spent(state: State, fact: Fact) -> None:
    _add(state, "spent", fact.payload.get("amount"))
    state["expenditures"] = int(state.get("expenditures") or 0) + 1


def _changed(state: State, fact: Fact) -> None:
    state["changes"] = int(state.get("changes") or 0) + 1
    if not fact.payload.get("approved"):
        state["unapproved_changes"] = int(state.get("unapproved_changes") or 0) + 1
    elif fact.payload.get("new_purpose_code"):  # an approved change of purpose moves it
        state["purpose_code"] = fact.payload["new_purpose_code"]


def _exclusive(state: State, fact: Fact) -> None:
    others = set(state.get("exclusive_with") or [])
    others.add(str(fact.payload.get("other_programme_id")))
    state["exclusive_with"] = sorted(others)


def _notice(state: State, fact: Fact) -> None:
    p = fact.payload
    notices = dict(state.get("notices") or {})
    key = str(p.get("notice_id"))
    notice = dict(notices.get(key) or {})
    if fact.event_type.endswith("Opened"):
        notice.update(
            title=p.get("title"),
            village=p.get("village"),
            opened_on=p.get("opened_on"),
            ends_on=p.get("ends_on"),
            status="open",
            objections=0,
        )
    elif fact.event_type.endswith("ObjectionRecorded"):
        notice["objections"] = int(notice.get("objections") or 0) + 1
    else:
        notice.update(
            closed_on=p.get("closed_on"),
            objections=p.get("objections"),
            outcome=p.get("outcome"),
            status="closed",
        )
    notices[key] = notice
    state["notices"] = notices


def _paid(state: State, fact: Fact) -> None:
    _add(state, "received_total", fact.payload.get("amount"))
    state["payments"] = int(state.get("payments") or 0) + 1
    programmes = set(state.get("programmes") or [])
    programmes.add(str(fact.payload.get("programme_id")))
    state["programmes"] = sorted(programmes)
    state["village"] = state.get("village") or fact.payload.get("village")


def _relation(state: State, fact: Fact) -> None:
    state["cadre_relative"] = True
    state["relations"] = int(state.get("relations") or 0) + 1


def _flag_outcome(state: State, fact: Fact) -> None:
    outcome = fact.payload.get("outcome")
    state["status"] = "accountability" if outcome == "accountability" else "dismissed"
    state["concluded_on"] = fact.date("concluded_on")


def _asset_registered(state: State, fact: Fact) -> None:
    p = fact.payload
    state["village"] = p.get("village")
    state["status"] = "ledger"
    assets = dict(state.get("assets") or {})
    assets[str(p.get("asset_id"))] = {
        "asset_code": p.get("asset_code"),
        "asset_name": p.get("name"),
        "category": p.get("category"),
        "value": p.get("value"),
        "government_funded": p.get("government_funded"),
        "status": "registered",
        "registered_on": p.get("registered_on"),
    }
    state["assets"] = assets
    _add(state, "ledger_value", p.get("value"))


def _asset_disposed(state: State, fact: Fact) -> None:
    p = fact.payload
    assets = dict(state.get("assets") or {})
    key = str(p.get("asset_id"))
    asset = dict(assets.get(key) or {})
    asset.update(
        status="disposed",
        method=p.get("method"),
        proceeds=p.get("proceeds"),
        disposed_on=p.get("disposed_on"),
    )
    assets[key] = asset
    state["assets"] = assets
    state["disposals"] = int(state.get("disposals") or 0) + 1
    _add(state, "disposal_proceeds", p.get("proceeds"))


def _proceeds_booked(state: State, fact: Fact) -> None:
    """Funds books a disposal's proceeds to the collective economy's development fund (its
    `collective-` stream), not to the 三资 ledger: the view shows them on the ledger's row by
    joining the two entities of a village."""
    p = fact.payload
    state["village"] = p.get("village")
    booked = dict(state.get("booked_assets") or {})
    booked[str(p.get("asset_id"))] = str(
        money(booked.get(str(p.get("asset_id")))) + money(p.get("amount"))
    )
    state["booked_assets"] = booked
    _add(state, "proceeds_booked", p.get("amount"))


def _income(state: State, fact: Fact) -> None:
    p = fact.payload
    state["village"] = p.get("village")
    _add_in(state, "income_by_year", str(p.get("year")), p.get("amount"))
    if state.get("status") != "zero":
        state["status"] = "has_income" if money(p.get("amount")) > 0 else "zero_reported"


def _zero(state: State, fact: Fact) -> None:
    state["village"] = fact.payload.get("village")
    state["status"] = "zero"
    state["zero_year"] = fact.payload.get("year")
    state["zero_listed_on"] = fact.date("listed_on")


def _leader(state: State, fact: Fact) -> None:
    state["leader_name"] = fact.payload.get("leader_name")
    state["leader_post"] = fact.payload.get("leader_post")


def _village_plan(state: State, fact: Fact) -> None:
    state["plan_title"] = fact.payload.get("title")
    state["plan_target_income"] = fact.payload.get("target_income")
    state["plan_recorded_on"] = fact.date("recorded_on")


def _cleared(state: State, fact: Fact) -> None:
    state["status"] = "cleared"
    state["cleared_on"] = fact.date("cleared_on")
    state["cleared_income"] = fact.payload.get("income")


def _disclosed(state: State, fact: Fact) -> None:
    state["village"] = fact.payload.get("village")
    state["status"] = "disclosing"
    periods = set(state.get("periods") or [])
    periods.add(str(fact.payload.get("period")))
    state["periods"] = sorted(periods)
    state["last_disclosed_on"] = fact.date("disclosed_on")


def _proposed(state: State, fact: Fact) -> None:
    state["proposed_on"] = fact.date("proposed_on")


def _meeting(state: State, fact: Fact) -> None:
    """商议 / 审议 / 决议: the meeting is kept under its step; a meeting that did not pass ends
    the decision (rejected), as funds records it."""
    p = fact.payload
    step = str(p.get("step"))
    meetings = dict(state.get("meetings") or {})
    meetings[step] = {
        key: p.get(key)
        for key in ("body", "members", "present", "votes_for", "votes_against", "passed")
    } | {"held_on": fact.date("held_on")}
    state["meetings"] = meetings
    state[f"{step}_on"] = fact.date("held_on")
    if p.get("passed"):
        state["status"] = step
    else:
        state["status"] = "rejected"
        state["rejected_on"] = fact.date("held_on")
        state["rejected_step"] = step


def _resolution_disclosed(state: State, fact: Fact) -> None:
    state["resolution_disclosed_on"] = fact.date("disclosed_on")
    state["resolution_channel"] = fact.payload.get("channel")
    state["result_due_on"] = fact.payload.get("result_due_on")


def _result_disclosed(state: State, fact: Fact) -> None:
    state["result_disclosed_on"] = fact.date("disclosed_on")
    state["result"] = fact.payload.get("result")


def _book_entry(state: State, fact: Fact) -> None:
    """村账乡代理: an entry of the village's books, summed per month (`months`) and in all."""
    p = fact.payload
    state["village"] = p.get("village")
    state["village_code"] = p.get("village_code")
    month = str(p.get("month") or fact.date("recorded_on")[:7])
    state["year"] = int(month[:4])
    side = "income" if p.get("kind") == "income" else "expense"
    months = dict(state.get("months") or {})
    sums = dict(months.get(month) or {"income": "0", "expense": "0", "entries": 0})
    sums[side] = str(money(sums.get(side)) + money(p.get("amount")))
    sums["entries"] = int(sums.get("entries") or 0) + 1
    months[month] = sums
    state["months"] = months
    _add(state, f"{side}_total", p.get("amount"))
    state["entries"] = int(state.get("entries") or 0) + 1
    state["last_recorded_on"] = fact.date("recorded_on")


def _programme_of(payload: Mapping[str, Any]) -> str:
    return str(payload.get("programme_id"))


def _payment_sums(
    before: Mapping[str, Any], payload: Mapping[str, Any]
) -> tuple[str, dict[str, Decimal]]:
    """A payment counts towards its programme: its amount, whether it was late against the
    programme's deadline when it was paid (as the programme's own fold counts it), and any
    shortfall (克扣, against the entitled or the programme's standard amount)."""
    amount, short = money(payload.get("amount")), _shortfall(before, payload)
    deadline = before.get("disbursement_deadline")
    late = bool(deadline) and str(payload.get("paid_on"))[:10] > str(deadline)
    return _programme_of(payload), {
        "payments": Decimal(1),
        "late": Decimal(1 if late else 0),
        "amount": amount,
        "short": Decimal(1 if short else 0),
        "short_amount": short,
    }


def _amount_sums(
    before: Mapping[str, Any], payload: Mapping[str, Any]
) -> tuple[str, dict[str, Decimal]]:
    return _programme_of(payload), {"amount": money(payload.get("amount"))}


#: The money flows the views sum per programme, by business day (`flow_sums`).
SUMS: dict[str, SumFn] = {
    "funds.FundsAllocated": _amount_sums,
    "funds.DisbursementRecorded": _payment_sums,
    "funds.ExpenditureRecorded": _amount_sums,
}

RULES: dict[str, Rule] = {
    "funds.ProgrammeCreated": Rule(PROGRAMME, "created", label="设立资金项目"),
    "funds.ProgrammeExclusivityDeclared": Rule(
        PROGRAMME, fold=_exclusive, merge=False, label="声明互斥项目"
    ),
    "funds.FundsAllocated": Rule(PROGRAMME, fold=_allocated, merge=False, label="资金分配到村"),
    "funds.ProgrammeStarted": Rule(PROGRAMME, "started", _started, merge=False, label="项目启动"),
    "funds.DisbursementRecorded": Rule(PROGRAMME, fold=_disbursed, merge=False, label="资金发放"),
    "funds.ExpenditureRecorded": Rule(PROGRAMME, fold=_spent, merge=False, label="项目支出"),
    "funds.ProgrammeChangeRecorded": Rule(PROGRAMME, fold=_changed, merge=False, label="项目变更"),
    "funds.PublicNoticeOpened": Rule(PROGRAMME, fold=_notice, merge=False, label="公示开始"),
    "funds.PublicNoticeObjectionRecorded": Rule(
        PROGRAMME, fold=_notice, merge=False, label="公示异议"
    ),
    "funds.PublicNoticeClosed": Rule(PROGRAMME, fold=_notice, merge=False, label="公示结束"),
    "funds.BeneficiaryPaid": Rule(BENEFICIARY, fold=_paid, merge=False, label="领取资金"),
    "funds.CadreRelationRecorded": Rule(BENEFICIARY, fold=_relation, label="村干部亲属关系登记"),
    "funds.RedFlagRaised": Rule(RED_FLAG, "raised", label="问题预警"),
    "funds.RedFlagAcknowledged": Rule(RED_FLAG, "acknowledged", label="预警签收"),
    "funds.RedFlagExplained": Rule(RED_FLAG, "explained", label="情况说明"),
    "funds.RedFlagConfirmed": Rule(RED_FLAG, "confirmed", label="问题属实确认"),
    "funds.RedFlagOutcomeRecorded": Rule(
        RED_FLAG, fold=_flag_outcome, merge=False, label="线索办结结果"
    ),
    "funds.CollectiveAssetRegistered": Rule(
        ASSETS, fold=_asset_registered, merge=False, label="三资登记"
    ),
    "funds.CollectiveAssetDisposed": Rule(
        ASSETS, fold=_asset_disposed, merge=False, label="三资处置"
    ),
    "funds.DisposalProceedsBooked": Rule(
        COLLECTIVE, fold=_proceeds_booked, merge=False, label="处置收益入账"
    ),
    "funds.CollectiveIncomeRecorded": Rule(
        COLLECTIVE, fold=_income, merge=False, label="集体经济收入登记"
    ),
    "funds.ZeroIncomeVillageListed": Rule(COLLECTIVE, fold=_zero, merge=False, label="列入清零村"),
    "funds.ZeroIncomeLeaderAssigned": Rule(
        COLLECTIVE, fold=_leader, merge=False, label="安排联点负责人"
    ),
    "funds.VillagePlanRecorded": Rule(
        COLLECTIVE, fold=_village_plan, merge=False, label="一村一策"
    ),
    "funds.ZeroIncomeVillageCleared": Rule(
        COLLECTIVE, fold=_cleared, merge=False, label="清零销号"
    ),
    "funds.FinanceDisclosed": Rule(DISCLOSURE, fold=_disclosed, merge=False, label="村级财务公开"),
    # 四议两公开 (issue 15): every step on the decision's own stream
    "funds.DecisionProposed": Rule(DECISION, "proposed", _proposed, label="村党组织提议"),
    "funds.DecisionMeetingHeld": Rule(
        DECISION, fold=_meeting, merge=False, label="商议、审议、决议会议"
    ),
    "funds.DecisionResolutionDisclosed": Rule(
        DECISION, "resolution_disclosed", _resolution_disclosed, merge=False, label="决议公开"
    ),
    "funds.DecisionResultDisclosed": Rule(
        DECISION, "result_disclosed", _result_disclosed, merge=False, label="实施结果公开"
    ),
    "funds.CollectiveProjectStarted": Rule(COLLECTIVE_PROJECT, "started", label="集体经济项目开工"),
    # 村账乡代理
    "funds.VillageBookEntryRecorded": Rule(
        BOOKS, "keeping", _book_entry, merge=False, label="代理会计记账"
    ),
}
