"""The payload fields the projection reads exist in the producers' published contracts
(`contracts/events/<ctx>/<Event>.v1.json`): a renamed field fails here, not on a dashboard."""

import json
from pathlib import Path

import pytest
from projection.domain.catalogue import RULES

CONTRACTS = Path(__file__).resolve().parents[4] / "contracts" / "events"

RELIED_ON = {
    "relief.HouseholdRegistered": (
        "household_id",
        "village",
        "head_name",
        "head_id_number",
        "members",
        "registered_on",
    ),
    "relief.HouseholdExitedPoverty": ("household_id", "exited_on"),
    "relief.HouseholdReturnedToPoverty": ("household_id", "returned_on", "reason"),
    "relief.HouseholdPaired": ("household_id", "helper", "paired_on"),
    "relief.HouseholdRepaired": ("household_id", "helper", "repaired_on"),
    "relief.HouseholdVisited": ("household_id", "visited_on", "notes"),
    "relief.PostsProvided": ("village", "posts", "kind", "employer"),
    "relief.StudentHelped": ("village", "student_name", "school", "support"),
    "relief.FreeClinicHeld": ("village", "medical_staff", "patients"),
    "relief.EnterprisePairedWithVillage": ("village", "enterprise", "content"),
    "relief.LivelihoodProjectListed": (
        "project_id",
        "name",
        "category",
        "village",
        "lead_unit",
        "due_on",
    ),
    "relief.LivelihoodProjectAccepted": ("project_id", "accepted_on"),
    "relief.CommunityServiceSiteRegistered": ("site_id", "community", "name", "area_m2"),
    "relief.FiveUnifiedItemsCompleted": ("site_id", "items"),
    "relief.ServiceStationDesignated": ("village", "name"),
    "funds.ProgrammeCreated": (
        "programme_id",
        "code",
        "name",
        "amount",
        "purpose",
        "purpose_code",
        "beneficiary_rule",
        "disbursement_deadline",
        "village",
    ),
    "funds.FundsAllocated": ("programme_id", "village", "amount"),
    "funds.DisbursementRecorded": (
        "programme_id",
        "village",
        "amount",
        "entitled_amount",
        "paid_on",
        "beneficiary_name",
    ),
    "funds.ExpenditureRecorded": ("programme_id", "amount"),
    "funds.ProgrammeChangeRecorded": ("programme_id", "approved"),
    "funds.PublicNoticeOpened": (
        "programme_id",
        "notice_id",
        "village",
        "title",
        "opened_on",
        "ends_on",
    ),
    "funds.PublicNoticeClosed": ("notice_id", "closed_on", "objections", "outcome"),
    "funds.RedFlagRaised": (
        "flag_id",
        "code",
        "label",
        "severity",
        "village",
        "summary",
        "raised_on",
    ),
    "funds.RedFlagOutcomeRecorded": ("flag_id", "outcome", "concluded_on"),
    "funds.CollectiveAssetRegistered": (
        "village",
        "asset_id",
        "asset_code",
        "name",
        "category",
        "value",
    ),
    "funds.CollectiveAssetDisposed": (
        "village",
        "asset_id",
        "asset_code",
        "method",
        "counterparty",
        "proceeds",
        "vote",
        "filing",
        "disposed_on",
    ),
    "funds.DisposalProceedsBooked": ("village", "asset_id", "amount", "booked_on"),
    "funds.CollectiveIncomeRecorded": ("village", "year", "amount"),
    "funds.ZeroIncomeVillageListed": ("village", "year", "listed_on"),
    "funds.ZeroIncomeLeaderAssigned": ("village", "leader_name", "leader_post"),
    "funds.VillagePlanRecorded": ("village", "title", "target_income"),
    "funds.ZeroIncomeVillageCleared": ("village", "cleared_on", "income"),
    "funds.FinanceDisclosed": (
        "village",
        "period",
        "income_total",
        "expenditure_total",
        "channel",
        "disclosed_on",
    ),
    "supervision.MeasureRegistered": (
        "number",
        "title",
        "lead_post",
        "lead_units",
        "deadline",
        "due_on",
    ),
    "supervision.ItemListed": (
        "item_id",
        "list_name",
        "title",
        "source",
        "measure",
        "lead_post",
        "lead_unit",
        "deadline",
        "village",
    ),
    "supervision.ItemReopened": ("item_id", "new_deadline"),
    "supervision.PetitionReceived": (
        "petition_id",
        "petitioner_name",
        "village",
        "subject",
        "received_on",
    ),
    "supervision.PetitionClassified": ("petition_id", "focus_area", "key_case"),
    "supervision.PetitionTeamFormed": ("petition_id", "team_name", "members"),
    "supervision.PetitionLeaderAssigned": ("petition_id", "leader"),
    "supervision.DirectiveReceived": (
        "directive_id",
        "kind",
        "level",
        "issued_by",
        "subject",
        "due_on",
    ),
    "supervision.DirectiveAssigned": ("directive_id", "lead_post", "lead_unit", "due_on"),
    "supervision.ClueReceived": (
        "clue_id",
        "category",
        "channel",
        "summary",
        "village",
        "subject_name",
        "subject_post",
        "red_flag_id",
    ),
    "supervision.AccountabilityDecided": ("case_id", "subject_name", "kind", "decided_on"),
    "supervision.ClueConcluded": ("clue_id", "outcome", "concluded_on", "kinds"),
    "party.BranchEstablished": ("branch_id", "name", "village"),
    "party.BranchSecretaryAppointed": ("branch_id", "member_id", "name"),
    "party.MemberJoined": ("member_id", "branch_id", "name", "village", "membership", "joined_on"),
    "party.MemberTransferred": ("member_id", "to_branch_id", "to_village"),
    "party.PointsAwarded": ("member_id", "points", "year"),
    "party.PointsDeducted": ("member_id", "points", "year"),
    "party.MemberGraded": ("member_id", "year", "points", "level", "level_name"),
    "party.UnqualifiedMemberOutcomeRecorded": ("member_id", "outcome"),
    "party.DegreeEducationEnrolled": ("member_id", "enrolled_on"),
    "party.TrainingSessionHeld": (
        "level",
        "programme",
        "topic",
        "held_on",
        "branch_id",
        "attendee_ids",
    ),
    "party.BranchScored": ("branch_id", "total"),
    "party.AssessmentConcluded": ("period", "ranking", "designated"),
    "party.BranchDesignatedWeak": ("branch_id", "period", "score", "rank", "designated_on"),
    "party.BranchDesignationLifted": ("branch_id", "lifted_on", "rectification_complete"),
    "party.FirstSecretaryAssigned": ("branch_id", "name", "unit"),
    "party.LinkedLeaderAssigned": ("branch_id", "leader_name", "post"),
    "party.HouseholdVisitsRecorded": ("branch_id", "households_total", "households_visited"),
    "party.CadreInformationGathered": (
        "adjustment_id",
        "cadre_name",
        "post",
        "village",
        "grounds",
        "gathered_on",
    ),
    "party.CadreAdjustmentDecided": ("adjustment_id", "decision"),
}


@pytest.mark.parametrize("event_type", sorted(RELIED_ON))
def test_the_fields_read_are_in_the_contract(event_type: str) -> None:
    service, _, name = event_type.partition(".")
    path = CONTRACTS / service / f"{name}.v1.json"
    assert path.exists(), f"{event_type}: the projection reads it, but {path} is not published"
    properties = set(json.loads(path.read_text())["properties"])
    assert set(RELIED_ON[event_type]) <= properties, set(RELIED_ON[event_type]) - properties


def test_every_published_event_type_has_a_rule() -> None:
    published = {f"{p.parent.name}.{p.name.split('.')[0]}" for p in CONTRACTS.glob("*/*.json")}
    assert published <= set(RULES), published - set(RULES)
