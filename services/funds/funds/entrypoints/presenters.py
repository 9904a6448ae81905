"""JSON views of the aggregates, masked and scoped by the caller's `Access` (its village
`scope`, and masking)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from funds.domain.books import VillageBooks
from funds.domain.codes import CODES, EIGHT_BEHAVIOURS, NINE_CATEGORIES, RedFlagCode
from funds.domain.collective import CollectiveEconomy, CollectiveLedger
from funds.domain.decision import CollectiveProject, VillageDecision
from funds.domain.disclosure import FinanceDisclosures
from funds.domain.programme import Disbursement, Programme
from funds.domain.red_flag import RedFlag
from funds.domain.values import (
    ASSET_CATEGORY_LABELS,
    BENEFICIARY_RULE_LABELS,
    DECISION_KIND_LABELS,
    DECISION_STATUS_LABELS,
    FLAG_STATUS_LABELS,
    PURPOSE_LABELS,
    SOURCE_LEVEL_LABELS,
    STEP_LABELS,
    AssetCategory,
    BeneficiaryRule,
    DecisionKind,
    Purpose,
    Quarter,
    ReliefRecord,
    SourceLevel,
    Step,
)
from funds.entrypoints.access import Access
from shared.envelope import Envelope

Json = dict[str, Any]


def code_view(info: RedFlagCode) -> Json:
    return {
        "code": info.code,
        "label": info.label,
        "severity": info.severity.value,
        "rule": info.rule,
        "categories": [{"index": i, "label": NINE_CATEGORIES[i - 1]} for i in info.categories],
        "behaviours": [{"index": i, "label": EIGHT_BEHAVIOURS[i - 1]} for i in info.behaviours],
    }


def disbursement_view(d: Disbursement, access: Access) -> Json:
    return {
        "disbursement_id": d.disbursement_id,
        "voucher_no": d.voucher_no,
        "village": d.village,
        "beneficiary_kind": d.kind,
        "beneficiary_name": access.name(d.name, of=d.id_number),
        "beneficiary_id_number": access.id_number(d.id_number),
        "household_id": d.household_id,
        "amount": d.amount,
        "entitled_amount": d.entitled_amount,
        "paid_on": d.paid_on,
    }


def programme_summary(p: Programme, access: Access) -> Json:
    allocations = {v: a for v, a in p.allocations.items() if access.scope.allows(v)}
    return {
        "programme_id": p.programme_id,
        "code": p.code,
        "name": p.name,
        "source_level": p.source_level,
        "source_level_label": SOURCE_LEVEL_LABELS[SourceLevel(p.source_level)],
        "amount": p.amount,
        "purpose": p.purpose,
        "purpose_code": p.purpose_code,
        "purpose_label": PURPOSE_LABELS[Purpose(p.purpose_code)],
        "beneficiary_rule": p.beneficiary_rule,
        "beneficiary_rule_label": BENEFICIARY_RULE_LABELS[BeneficiaryRule(p.beneficiary_rule)],
        "standard_amount": p.standard_amount,
        "min_age": p.min_age,
        "max_age": p.max_age,
        "planned_start": p.planned_start,
        "disbursement_deadline": p.deadline,
        "village": p.village,
        "created_on": p.created_on,
        "started_on": p.started_on,
        "start_date": p.start_date,
        "exclusive_with": sorted(p.exclusive_with),
        "allocated": sum(allocations.values(), Decimal(0)),
        "used": sum((p.used_by_village.get(v, Decimal(0)) for v in allocations), Decimal(0)),
        "version": p.version,
    }


def programme_view(p: Programme, access: Access) -> Json:
    sees = access.scope.allows
    return {
        **programme_summary(p, access),
        "allocations": [
            {"village": v, "amount": a, "used": p.used_by_village.get(v, Decimal(0))}
            for v, a in sorted(p.allocations.items())
            if sees(v)
        ],
        "disbursements": [
            disbursement_view(d, access) for d in p.disbursements.values() if sees(d.village)
        ],
        "expenditures": [
            {
                "expenditure_id": e.expenditure_id,
                "village": e.village,
                "amount": e.amount,
                "purpose_code": e.purpose_code,
                "payee": e.payee,
                "description": e.description,
                "spent_on": e.spent_on,
            }
            for e in p.expenditures.values()
            if e.village is None or sees(e.village)
        ],
        "changes": [
            {
                "change_id": ch.change_id,
                "aspect": ch.aspect,
                "description": ch.description,
                "approved": ch.approved,
                "approval_document": ch.approval_document,
                "approved_by": ch.approved_by,
                "approved_on": ch.approved_on,
                "changed_on": ch.changed_on,
            }
            for ch in p.changes
        ],
        "notices": [
            {
                "notice_id": n.notice_id,
                "village": n.village,
                "title": n.title,
                "opened_on": n.opened_on,
                "ends_on": n.ends_on,
                "closed_on": n.closed_on,
                "outcome": n.outcome,
                "objections": [
                    {
                        "objection_id": o.objection_id,
                        "summary": o.summary,
                        "received_on": o.received_on,
                    }
                    for o in n.objections
                ],
            }
            for n in p.notices.values()
            if n.village is None or sees(n.village)
        ],
    }


def trail_view(envelopes: list[Envelope]) -> list[Json]:
    """Who recorded each fact, when (business and recording time), and its hash."""
    return [
        {
            "event_id": str(e.event_id),
            "event_type": e.event_type,
            "occurred_at": e.occurred_at,
            "recorded_at": e.recorded_at,
            "actor": e.actor.as_dict(),
            "causation_id": str(e.causation_id) if e.causation_id else None,
            "hash": e.hash,
        }
        for e in envelopes
    ]


def red_flag_view(flag: RedFlag) -> Json:
    facts = flag.facts
    info = CODES.get(facts.code)
    return {
        "flag_id": facts.flag_id,
        "code": facts.code,
        "label": facts.label,
        "severity": facts.severity,
        "status": flag.status.value,
        "status_label": FLAG_STATUS_LABELS[flag.status],
        "village": facts.village,
        "programme_id": facts.programme_id,
        "subject_id": facts.subject_id,
        "summary": facts.summary,
        "evidence": [{"kind": e.kind, "ref": e.ref, "note": e.note} for e in facts.evidence],
        "raised_on": facts.raised_on,
        "handling": [{"event_type": e.event_type, **_handling(e)} for e in flag.history[1:]],
        "outcomes": [
            {"clue_id": o.clue_id, "outcome": o.outcome, "concluded_on": o.concluded_on}
            for o in flag.outcomes
        ],
        "categories": list(info.categories) if info else [],
        "behaviours": list(info.behaviours) if info else [],
        "version": flag.version,
    }


def _handling(event: Any) -> Json:
    return {k: v for k, v in _fields(event).items() if k not in ("flag_id", "summary", "code")}


def relief_household_view(row: Json, access: Access, today: dt.date) -> Json:
    record: ReliefRecord = row["record"]
    return {
        "household_id": row["household_id"],
        "village": row["village"],
        "head_name": access.name(row["head_name"], of=row["head_id_number"]),
        "head_id_number": access.id_number(row["head_id_number"]),
        "registered_on": row["registered_on"],
        "members": [
            {
                "name": access.name(m["name"], of=m["id_number"]),
                "id_number": access.id_number(m["id_number"]),
                "relation": m["relation"],
            }
            for m in row["members"]
        ],
        "changes": [{"on": on, "kind": kind} for on, kind in record.changes],
        "in_poverty": record.in_poverty_on(today),
        "as_of": today,
    }


def ledger_view(ledger: CollectiveLedger, village: str) -> Json:
    holdings = []
    for h in ledger.holdings.values():
        r, d = h.registered, h.disposal
        holdings.append(
            {
                "asset_id": r.asset_id,
                "asset_code": r.asset_code,
                "category": r.category,
                "category_label": ASSET_CATEGORY_LABELS[AssetCategory(r.category)],
                "name": r.name,
                "description": r.description,
                "value": r.value,
                "government_funded": r.government_funded,
                "registered_on": r.registered_on,
                "disposed": d is not None,
                "disposal": None
                if d is None
                else {
                    "method": d.method,
                    "counterparty": d.counterparty,
                    "proceeds": d.proceeds,
                    "disposed_on": d.disposed_on,
                    "vote": _fields(d.vote),
                    "filing": _fields(d.filing),
                    "decision_id": d.decision_id,
                    "power_item": d.power_item,
                    "steps": list(d.steps),
                },
            }
        )
    held = [h for h in ledger.holdings.values() if h.disposal is None]
    totals = {
        c.value: sum((h.registered.value for h in held if h.registered.category == c), Decimal(0))
        for c in AssetCategory
    }
    return {"village": village, "holdings": holdings, "totals": totals, "version": ledger.version}


def _fields(value: Any) -> Json:
    """A dataclass's fields (not its class variables such as `schema_version`)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def economy_view(economy: CollectiveEconomy, village: str) -> Json:
    years = sorted({i.year for i in economy.income})
    listing = economy.listing
    return {
        "village": village,
        "income_by_year": [{"year": y, "income": economy.income_in(y)} for y in years],
        "income": [_fields(i) for i in economy.income],
        "development_fund": economy.development_fund,
        "proceeds": [_fields(p) for p in economy.proceeds],
        "zero_income": listing is not None,
        "listings": [
            {
                "year": item.year,
                "listed_on": item.listed_on,
                "leader": _fields(item.leader) if item.leader else None,
                "plans": [_fields(p) for p in item.plans],
                "cleared": _fields(item.cleared) if item.cleared else None,
            }
            for item in economy.listings
        ],
        "version": economy.version,
    }


def disclosures_view(disclosures: FinanceDisclosures, village: str, as_of: dt.date) -> Json:
    return {
        "village": village,
        "as_of": as_of,
        "disclosures": [_fields(d) for _, d in sorted(disclosures.disclosed.items())],
        "overdue_periods": [str(q) for q in disclosures.overdue(as_of)],
        "late_periods": [str(q) for q in disclosures.late()],
        "version": disclosures.version,
    }


def decision_view(decision: VillageDecision, as_of: dt.date) -> Json:
    """A village decision (四议两公开): its steps, meetings, disclosures and whether its result
    disclosure is overdue as of a day."""
    facts = decision.facts
    resolution, result = decision.resolution, decision.result
    return {
        "decision_id": facts.decision_id,
        "village": facts.village,
        "village_code": facts.village_code,
        "kind": facts.kind,
        "kind_label": DECISION_KIND_LABELS[DecisionKind(facts.kind)],
        "subject": facts.subject,
        "description": facts.description,
        "proposed_on": facts.proposed_on,
        "status": decision.status.value,
        "status_label": DECISION_STATUS_LABELS[decision.status],
        "steps": list(decision.steps),
        "step_labels": [STEP_LABELS[Step(s)] for s in decision.steps],
        "meetings": [
            {**_fields(m), "step_label": STEP_LABELS[Step(m.step)]}
            for m in decision.meetings.values()
        ],
        "resolution_disclosed": _fields(resolution) if resolution else None,
        "result_disclosed": _fields(result) if result else None,
        "result_due_on": resolution.result_due_on if resolution else None,
        "overdue": decision.overdue(as_of),
        "late": decision.late,
        "as_of": as_of,
        "version": decision.version,
    }


def project_view(project: CollectiveProject) -> Json:
    return {**_fields(project.started), "version": project.version} if project.started else {}


def books_view(books: VillageBooks, village: str, year: int, as_of: dt.date) -> Json:
    """A village's books for a year (村账乡代理): entries, totals by month and by quarter."""
    entries = sorted(books.entries.values(), key=lambda e: (e.month, e.recorded_on))
    months: dict[str, dict[str, Decimal]] = {}
    for e in entries:
        row = months.setdefault(e.month, {"income": Decimal(0), "expense": Decimal(0)})
        row[e.kind] += e.amount
    quarters = []
    for q in range(1, 5):
        income, expense = books.quarter_totals(Quarter(year, q), as_of)
        quarters.append({"period": f"{year}Q{q}", "income": income, "expense": expense})
    return {
        "village": village,
        "year": year,
        "as_of": as_of,
        "entries": [_fields(e) for e in entries],
        "months": [{"month": m, **totals} for m, totals in sorted(months.items())],
        "quarters": quarters,
        "version": books.version,
    }
