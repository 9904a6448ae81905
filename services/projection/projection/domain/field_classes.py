"""What every field the projection shows is, and who may see it unmasked: the allow-list that
`masking.redact` applies to view rows (JSON, dashboard, CSV/XLSX), the public page and the
audit trail's payloads and states.

A field is declared by its key, in one of these classes:

- `PUBLIC` — official or institutional data: figures, dates, codes, statuses, the names of
  villages, branches, programmes and projects, and officials named in their official function
  (linked leaders, first secretaries, helpers, visitors, duty cadres, team members). Shown to
  every role that may read the view; for the roles that see personal data masked, ID-number-
  and mobile-shaped strings inside it are still scrubbed (defence in depth).
- `FREE_TEXT` — what an official typed (notes, reasons, findings, summaries …): shown like
  `PUBLIC`, scrubbed the same way. Officials are asked not to write names into it.
- `PERSON_NAME` — the people the plan's work is about: household heads and members,
  beneficiaries and their relatives, students, petitioners, party members, the subjects of
  clues, adjustments and accountability (`张*`, `欧阳**`).
- `ID_NUMBER` — resident ID numbers (`430321********1234`).
- `PHONE` — phone numbers (`138****1234`).

The personal classes (all but `PUBLIC`) are shown unmasked to `UNMASKED_FOR` only — the roles
of `access.FULL_DETAIL` (town secretary, discipline secretary, auditor); `redact(full=True)` is
asked for them. Every other role sees them masked.

A field that is NOT declared here is replaced by `UNDECLARED` for every role, the town
secretary and the auditor included, and `tests/unit/test_masking_declarations.py` fails when a
view, an audit trail or a published event contract has one: a new field is declared here, in
its class, before anyone sees it.

How keys are looked up:
- `BY_KIND[kind]` first, for an entity kind's own fields where a key means different things
  (`name` is a person's, except for the kinds listed there, which name an institution), then
  `FIELDS`, then `PATTERNS` (keys made from data, e.g. `income_2016` columns).
- The fields of a record nested in a field (a household's `helper`, a vote's counts) are looked
  up the same way, with the entity's kind; records in a list (a household's `members`) are
  people's or parts', looked up without a kind (their `name` is a person's).
- A field's class applies to its values (also in lists). A `KeyedBy` field is a dict keyed by
  data (villages, ids, years, branch ids): its keys are not field names, its values are of the
  class it names (records in it are looked up as above).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from projection.domain.access import FULL_DETAIL


class Sensitivity(StrEnum):
    PUBLIC = "public"
    FREE_TEXT = "free_text"
    PERSON_NAME = "person_name"
    ID_NUMBER = "id_number"
    PHONE = "phone"


@dataclass(frozen=True, slots=True)
class KeyedBy:
    """A dict keyed by data (a village, an id, a year), its values of class `values`."""

    values: Sensitivity


Declaration = Sensitivity | KeyedBy

#: The roles that see every class but `PUBLIC` unmasked (free text: without scrubbing); every
#: other role that may read a view sees them masked. `redact(full=True)` is asked for them.
UNMASKED_FOR = FULL_DETAIL
#: What an undeclared field shows, to everyone.
UNDECLARED = "（未声明字段）"

_PUBLIC = """
    town town_name average completed
    abstaining accepted_by accepted_on accountability accountability_cases acknowledged
    acknowledged_on activity actor actor_role address adjustment_id after_care_records against
    agency agent allocated allocated_on allocation_id allocations amount appeal_result
    appointed_on approval_document approved approved_by approved_on area_m2 aspect assessed_on
    asset_code asset_id asset_name assigned_on attendee_ids attendees beneficiary_kind
    beneficiary_rule booked booked_on branch_id branch_months branch_name branches_assessed
    budget cadre cadre_post cadre_village case_id category causes certified_on chain_url
    change_id changed_on changes channel checked_on classified_on cleared_income cleared_on
    clinics closed_on clothing clue_id code committee community completed_on concluded
    concluded_on confirmed confirmed_on converted_on corrected_on count counterparty
    county_sessions created_on days_open deadline decided_on deciding decision decisions
    declared_on deductions degree_education degree_enrolled_on delay_days designated
    designated_on designations directive_id disbursed disbursed_pct disbursement_deadline
    disbursement_event_id disbursement_id disbursements disclosed_on disclosures dismissed
    disposal_proceeds disposals disposed_on due_on education effective_from employer ends_on
    enrolled_on enterprise enterprises entitled_amount established_on event exclusive_with
    exit_pct exited exited_on exits exits_in_period expanded_on expenditure_id expenditure_total
    expenditures explained explained_on filed_on filing first_secretary first_secretary_unit
    first_visited_on flag_id focus_area food formed_on from_branch_id gathered_on
    government_funded graded_on group group_title guarantees_checked_on guarantees_met handled
    handled_on held_on helped_on helper helper_kind helper_member_id helper_name household_id
    household_pct households_total households_visited housing identified_on in_favour
    in_progress income income_id income_per_head income_total indicators institution
    investigated_on issued_by item_id items joined_on joined_party_on key key_case kind kinds
    label last_disclosed_on last_on last_paid_on last_visited_on late lead_post lead_unit
    lead_units leader leader_name leader_post leader_visits ledger_value level level_name
    lifted_by_period lifted_on line_year linked_leader linked_leader_post linked_on list_name
    listed_on lodged_on matched max_age measure measure_id measures measures_done
    measures_planned medical medical_staff member_count member_id members membership method
    min_age missing monthly_met months_missed new_deadline new_in_period new_purpose_code
    noted_on notice_id notified_on number objection_id objections occurred_on office_area_m2 on
    on_time open opened_on other_programme_id overdue overdue_days owner_id paid_on paired
    paired_on paired_pct patients payee payments period periods petition_id petitioner_count
    plan_id plan_recorded_on plan_target_income plan_title plan_version planned_on planned_start
    policy_revision poor post posts poverty_line present previous problems proceeds
    proceeds_booked programme programme_code programme_id programme_name programmes progress
    project project_id project_name provided_on purpose purpose_code quantity quota raised
    raised_on rank ranking reappointed_on received received_on received_total record_id
    recorded_on records rectification_complete rectified_on red_flag_code red_flag_id ref
    reference registered registered_on relation relation_id reopened reopened_on repaired_on
    repeat_of repeat_petition_id reported_back_on reported_on reports representatives
    resolved_on responsible returned returned_on returns reviewed_on root rotas rule_book
    rule_code school score scored_on secretary_member_id secretary_name service session_id
    severity share sheet_version shifts short short_amount signed_off signed_off_on site_id
    site_name source source_level spent spent_on standard_amount started_on state station_name
    status status_before_unqualified stream_id students subject_id subject_member_id
    subject_post talked_by talked_on target_income targets tasks team_name team_size title
    to_branch_id to_village topic total town_sessions transferred_on tree_size
    unapproved_changes unified unified_items unit unmatched unqualified_outcome unqualified_step
    unqualified_year value verified verified_on village village_code visit_id visited_on
    visited_pct visitor visits vote votes_against votes_for voucher_no weak weak_period
    weak_rank weak_score weak_share_percent weak_since weekday year zero_listed_on zero_year
    audit_url changed derived done event_id figure indicator kind_code live_status live_value
    refused_event refused_on target
    view_title whatif_status whatif_value
    act_event_id act_type appraisal_year appraised as_of body book_period breaches chair
    consulted_on decision_id decision_kind decision_status decision_subject directives_on_time
    directives_total disclosed entries entry_id expense expense_total facts_score finding_id
    found_on grade in_force investment item_status items_count items_overdue items_total
    last_recorded_on left_on measures_total mismatch missing_steps month overdue_items passed
    petitions_resolved petitions_total position power_item proposed_on published_on referrals
    referred referred_on rejected_on rejected_step resolution_channel resolution_disclosed_on
    resolved_vote result_disclosed_on result_due_on results review_score step steps subject_kind
    to_party_organisation to_representatives units version versions
    erasure_id person_ref requested_on
"""
_FREE_TEXT = """
    content description detail evidence explanation findings grounds matter note notes outcome
    reason reasons report resolution result services subject summary support text
"""
_PERSON_NAME = """
    applicant beneficiary_name beneficiary_names cadre_name complainant_name head_name
    informant_name member_name member_names name names payee_name people person_name
    petitioner_name recipient_name relative_name reporter_name signed_by student_name
    subject_name
"""
_ID_NUMBER = "beneficiary_id_number head_id_number id_no id_number relative_id_number resident_id"
_PHONE = "mobile phone"
#: Dicts keyed by data: money by village, a ledger's assets and a programme's notices by id,
#: a member's grades and points by year, scores by branch id, …
_KEYED_BY = """
    allocated_by_village assets booked_assets disbursed_by_village figures grades income_by_year
    incomes
    measures_by_project notices points scores
    committee_members meetings months overdue_reports reports_by_year reviews
"""


def _declare(*groups: tuple[Declaration, str]) -> dict[str, Declaration]:
    table: dict[str, Declaration] = {}
    for declaration, names in groups:
        for name in names.split():
            if name in table:
                raise ValueError(f"field {name} is declared twice")
            table[name] = declaration
    return table


#: Every field key shown anywhere, and its class.
FIELDS: Mapping[str, Declaration] = _declare(
    (Sensitivity.PUBLIC, _PUBLIC),
    (Sensitivity.FREE_TEXT, _FREE_TEXT),
    (Sensitivity.PERSON_NAME, _PERSON_NAME),
    (Sensitivity.ID_NUMBER, _ID_NUMBER),
    (Sensitivity.PHONE, _PHONE),
    (KeyedBy(Sensitivity.PUBLIC), _KEYED_BY),
)
#: Kinds whose own `name` is an institution's or a thing's (a branch, a programme, a site, a
#: village's 三资 ledger …), not a person's.
INSTITUTION_KINDS = (
    "activity",
    "assets",
    "branch",
    "cproject",
    "directive",
    "item",
    "measure",
    "programme",
    "project",
    "site",
    "station",
    "training",
)
#: Per entity kind, the fields that mean something else there than in `FIELDS`.
#: Kinds whose `name` is an official's named in the office (the elected members of a village's
#: 村务监督委员会, posted on the village's board), shown like linked leaders and first secretaries.
OFFICIAL_KINDS = ("committee",)
BY_KIND: Mapping[str, Mapping[str, Declaration]] = {
    kind: {"name": Sensitivity.PUBLIC} for kind in (*INSTITUTION_KINDS, *OFFICIAL_KINDS)
}
#: Keys made from data: a view's column per year of collective income (`income_2016`).
PATTERNS: tuple[tuple[re.Pattern[str], Declaration], ...] = (
    (re.compile(r"income_\d{4}"), Sensitivity.PUBLIC),
    # the towns compared on each of the 14 measures (`county/towns`: m1 … m14)
    (re.compile(r"m\d{1,2}"), Sensitivity.PUBLIC),
)


def declaration(key: str, kind: str | None) -> Declaration | None:
    """The class of field `key` of an entity of `kind` (None: a view row or a nested list's
    record), or None when it is not declared."""
    if kind is not None and (own := BY_KIND.get(kind)) and key in own:
        return own[key]
    if (found := FIELDS.get(key)) is not None:
        return found
    return next((d for pattern, d in PATTERNS if pattern.fullmatch(key)), None)
