"""The events of the oracle's random histories for funds, supervision and party (see
`history_relief.py`)."""

from __future__ import annotations

from typing import Any

from projection.synthetic import CLERK, DISCIPLINE, ECONOMIC

from shared.envelope import Actor
from shared.town import Village

from .histories import HistoryMaker, Kind, Sim
from .history_relief import Made, choose, uid_named, village_named

SYSTEM = Actor("system", "system")
FLAG_CODES = (
    "FUNDS-SHORT-PAID",
    "FUNDS-LATE",
    "FUNDS-DUPLICATE",
    "FUNDS-NEW-CODE",
    "FUNDS-DISCLOSURE-MISMATCH",
)

# -- funds -------------------------------------------------------------------------------


def programme(m: HistoryMaker, s: Sim) -> Made:
    pid, on = s.entity_id, s.day.isoformat()
    p: dict[str, Any] = {"programme_id": pid}
    if s.steps == 0:
        return (
            "funds.ProgrammeCreated",
            p
            | {
                "code": f"HN-{pid[:4]}",
                "name": f"补助{pid[:4]}",
                "source_level": "county",
                "amount": m.money(10_000, 200_000),
                "purpose": "产业发展",
                "purpose_code": m.rng.choice(["industry", "housing", "custom"]),
                "beneficiary_rule": "registered_poor",
                "standard_amount": None,
                "min_age": None,
                "max_age": None,
                "planned_start": on,
                "disbursement_deadline": m.day_after(s.day).isoformat(),
                "village": m.rng.choice([None, None, s.village.name]),
                "exclusive_with": [],
                "created_on": on,
            },
            ECONOMIC,
        )
    village = m.village().name
    step = choose(
        m, {"allocated": 2, "paid": 4, "spent": 1, "started": 1, "notice": 1, "change": 1}
    )
    if step == "allocated":
        p |= {"allocation_id": m.uid(), "village": village, "amount": m.money(1000, 20_000)}
        return "funds.FundsAllocated", p | {"allocated_on": on}, ECONOMIC
    if step == "paid":
        entitled = m.money(500, 3000)
        return (
            "funds.DisbursementRecorded",
            p
            | {
                "disbursement_id": m.uid(),
                "voucher_no": f"V{m.rng.randrange(999)}",
                "village": village,
                "beneficiary_kind": "household",
                "beneficiary_name": "张大山",
                "beneficiary_id_number": "430321196001010005",
                "household_id": m.pick_id("household"),
                "amount": m.rng.choice([entitled, m.money(100, 3000)]),
                "entitled_amount": m.rng.choice([entitled, None]),
                "paid_on": on,
            },
            ECONOMIC,
        )
    if step == "spent":
        return (
            "funds.ExpenditureRecorded",
            p
            | {
                "expenditure_id": m.uid(),
                "amount": m.money(),
                "description": "购置",
                "payee": "某公司",
                "purpose_code": "industry",
                "village": m.rng.choice([None, village]),
                "spent_on": on,
            },
            ECONOMIC,
        )
    if step == "started":
        return "funds.ProgrammeStarted", p | {"started_on": on}, ECONOMIC
    if step == "change":
        approved = m.rng.random() < 0.5
        return (
            "funds.ProgrammeChangeRecorded",
            p
            | {
                "change_id": m.uid(),
                "aspect": "purpose",
                "description": "调整用途",
                "new_purpose_code": None,
                "approved": approved,
                "approved_by": "县财政局" if approved else None,
                "approved_on": on if approved else None,
                "approval_document": None,
                "changed_on": on,
            },
            ECONOMIC,
        )
    notice = f"n-{m.rng.randrange(3)}"
    p |= {"notice_id": notice}
    kind = choose(m, {"open": 2, "objection": 1, "close": 1})
    if kind == "open":
        p |= {"village": village, "title": "公示", "opened_on": on, "ends_on": on}
        return "funds.PublicNoticeOpened", p, ECONOMIC
    if kind == "objection":
        p |= {"objection_id": m.uid(), "summary": "有异议", "received_on": on}
        return "funds.PublicNoticeObjectionRecorded", p, ECONOMIC
    p |= {"closed_on": on, "objections": m.rng.randrange(3), "outcome": "无异议"}
    return "funds.PublicNoticeClosed", p, ECONOMIC


def redflag(m: HistoryMaker, s: Sim) -> Made:
    fid, on = s.entity_id, s.day.isoformat()
    village = m.rng.choice([s.village.name, None])
    common = {"flag_id": fid, "code": m.rng.choice(FLAG_CODES), "village": village}
    common |= {"programme_id": m.pick_id("programme"), "severity": m.rng.choice(["high", "low"])}
    quarter = f"{s.day.year}-Q{(s.day.month - 1) // 3 + 1}"
    if s.steps == 0:
        return (
            "funds.RedFlagRaised",
            common
            | {
                "label": "预警",
                "subject_id": f"disclosure:{s.village.code}:{quarter}"
                if common["code"] == "FUNDS-DISCLOSURE-MISMATCH"
                else "V1",
                "summary": "实发不足",
                "evidence": [{"kind": "disbursement", "ref": "V1", "note": ""}],
                "raised_on": on,
            },
            SYSTEM,
        )
    step = choose(m, {"ack": 1, "explained": 1, "confirmed": 1, "outcome": 1})
    if step == "ack":
        p = {"flag_id": fid, "note": "已签收", "acknowledged_on": on}
        return "funds.RedFlagAcknowledged", p, CLERK
    if step == "explained":
        p = {"flag_id": fid, "explanation": "情况说明", "explained_on": on}
        return "funds.RedFlagExplained", p, CLERK
    if step == "confirmed":
        p = common | {"summary": "属实", "note": "核实", "confirmed_on": on}
        return "funds.RedFlagConfirmed", p, DISCIPLINE
    outcome = m.rng.choice(["accountability", "dismissed"])
    p = {"flag_id": fid, "clue_id": m.uid(), "outcome": outcome, "concluded_on": on}
    return "funds.RedFlagOutcomeRecorded", p, SYSTEM


def assets(m: HistoryMaker, s: Sim) -> Made:
    on, village = s.day.isoformat(), s.village.name
    asset = f"a-{m.rng.randrange(4)}"
    p: dict[str, Any] = {"village": village, "asset_id": asset}
    step = (
        "registered" if s.steps == 0 else choose(m, {"registered": 1, "disposed": 1, "booked": 1})
    )
    if step == "registered":
        return (
            "funds.CollectiveAssetRegistered",
            p
            | {
                "asset_code": f"SB-{asset}",
                "category": "asset",
                "name": "仓库",
                "description": "砖混",
                "value": m.money(1000, 90_000),
                "government_funded": m.rng.random() < 0.3,
                "registered_on": on,
            },
            CLERK,
        )
    if step == "disposed":
        vote = {"held_on": on, "representatives": 35, "present": 30}
        vote |= {"votes_for": 26, "votes_against": 4}
        return (
            "funds.CollectiveAssetDisposed",
            p
            | {
                "asset_code": f"SB-{asset}",
                "method": m.rng.choice(["sale", "transfer", "lease"]),
                "counterparty": "某公司",
                "proceeds": m.money(),
                "vote": vote,
                "filing": {"filed_on": on, "reference": "易财备3号"},
                "disposed_on": on,
            },
            CLERK,
        )
    return "funds.DisposalProceedsBooked", p | {"amount": m.money(), "booked_on": on}, CLERK


def collective(m: HistoryMaker, s: Sim) -> Made:
    on, v = s.day.isoformat(), s.village.name
    step = choose(m, {"income": 2, "zero": 1, "leader": 1, "plan": 1, "cleared": 1})
    if step == "income":
        p = {"village": v, "income_id": m.uid(), "year": s.day.year, "source": "租金"}
        p |= {"amount": m.rng.choice(["0.00", m.money()]), "note": "", "recorded_on": on}
        return "funds.CollectiveIncomeRecorded", p, CLERK
    if step == "zero":
        return (
            "funds.ZeroIncomeVillageListed",
            {"village": v, "year": 2016, "listed_on": on},
            ECONOMIC,
        )
    if step == "leader":
        p = {"village": v, "leader_name": "周敏", "leader_post": "分管", "assigned_on": on}
        return "funds.ZeroIncomeLeaderAssigned", p, ECONOMIC
    if step == "plan":
        p = {"village": v, "plan_id": m.uid(), "title": "一村一策", "measures": ["合作社"]}
        p |= {"target_income": m.rng.choice([None, "50000.00"]), "recorded_on": on}
        return "funds.VillagePlanRecorded", p, ECONOMIC
    p = {"village": v, "year": s.day.year, "income": m.money(), "cleared_on": on}
    return "funds.ZeroIncomeVillageCleared", p, ECONOMIC


def disclosure(m: HistoryMaker, s: Sim) -> Made:
    return (
        "funds.FinanceDisclosed",
        {
            "village": s.village.name,
            "period": f"{s.day.year}-Q{(s.day.month - 1) // 3 + 1}",
            "income_total": m.money(),
            "expenditure_total": m.money(),
            "channel": "公开栏",
            "disclosed_on": s.day.isoformat(),
        },
        CLERK,
    )


def beneficiary(m: HistoryMaker, s: Sim) -> Made:
    return (
        "funds.BeneficiaryPaid",
        {
            "programme_id": m.pick_id("programme") or m.uid(),
            "disbursement_id": m.uid(),
            "disbursement_event_id": m.uid(),
            "village": s.village.name,
            "amount": m.money(100, 3000),
            "paid_on": s.day.isoformat(),
        },
        SYSTEM,
    )


FUNDS = {
    "programme": Kind(uid_named("programme"), programme, 4, most=5),
    "redflag": Kind(uid_named("redflag"), redflag, 1.5),
    "assets": Kind(village_named("assets"), assets, 1),
    "collective": Kind(village_named("collective"), collective, 1),
    "disclosure": Kind(village_named("disclosure"), disclosure, 0.7),
    "beneficiary": Kind(uid_named("beneficiary"), beneficiary, 0.5, most=3),
}

# -- supervision -------------------------------------------------------------------------


def _measure_named(m: HistoryMaker, _: Village) -> tuple[str, str]:
    number = m.rng.randrange(1, 15)
    return f"measure-2016-{number:02d}", f"2016-{number:02d}"


def measure(m: HistoryMaker, s: Sim) -> Made:
    number = int(s.stream_id.rsplit("-", 1)[1])
    due = m.day_after(s.day).isoformat()
    return (
        "supervision.MeasureRegistered",
        {
            "plan_id": "2016",
            "plan_version": 1,
            "number": number,
            "title": f"措施{number}",
            "group": 1,
            "group_title": "抓民生实事",
            "lead_post": m.rng.choice(["分管农业的负责人", "组织委员"]),
            "lead_units": ["扶贫办"],
            "deadline": m.rng.choice([due[:7], "长期"]),
            "due_on": m.rng.choice([due, None]),
            "tasks": [],
            "targets": [],
            "problems": [],
            "registered_on": s.day.isoformat(),
        },
        DISCIPLINE,
    )


def item(m: HistoryMaker, s: Sim) -> Made:
    iid, on = s.entity_id, s.day.isoformat()
    if s.steps == 0:
        return (
            "supervision.ItemListed",
            {
                "item_id": iid,
                "list_name": m.rng.choice(["问题清单", "责任清单", "整改清单"]),
                "title": "事项",
                "detail": "详情",
                "source": "上级点",
                "measure": m.rng.randrange(1, 15),
                "lead_post": m.rng.choice(["分管农业的负责人", "组织委员", "纪委书记"]),
                "lead_unit": "扶贫办",
                "deadline": m.day_after(s.day).isoformat(),
                "village": m.rng.choice([s.village.name, None]),
                "listed_on": on,
                "branch_id": None,
                "period": None,
            },
            DISCIPLINE,
        )
    step = choose(m, {"started": 1, "rectified": 1, "closed": 1, "reopened": 0.5, "noted": 1})
    p: dict[str, Any] = {"item_id": iid}
    if step == "started":
        return "supervision.ItemWorkStarted", p | {"note": "开始", "started_on": on}, DISCIPLINE
    if step == "rectified":
        p |= {"evidence": ["照片"], "summary": "已整改", "rectified_on": on}
        return "supervision.ItemRectified", p, DISCIPLINE
    if step == "closed":
        p |= {"evidence": ["验收"], "note": "销号", "closed_on": on}
        return "supervision.ItemClosed", p, DISCIPLINE
    if step == "reopened":
        new = m.rng.choice([None, m.day_after(s.day).isoformat()])
        p |= {"reason": "反弹", "new_deadline": new, "reopened_on": on}
        return "supervision.ItemReopened", p, DISCIPLINE
    return "supervision.ItemNoted", p | {"note": "台帐", "noted_on": on}, DISCIPLINE
