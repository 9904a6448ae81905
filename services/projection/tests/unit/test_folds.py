"""Entity state folded from events, as the plan's ledgers read: given events, then state."""

import datetime as dt
from typing import Any

from projection.domain.catalogue import RULES
from projection.domain.folds import Fact, Folded, fold


def given(stream: str, *events: tuple[str, dict[str, Any]]) -> Folded:
    state = None
    folded = None
    for version, (event_type, payload) in enumerate(events, start=1):
        fact = Fact(
            event_type=event_type,
            stream_id=stream,
            stream_version=version,
            occurred_at=dt.datetime(2016, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=version),
            actor_id="u",
            actor_role="village_clerk",
            payload=payload,
        )
        folded = fold(state, fact, RULES)
        state = folded.state
    assert folded is not None
    return folded


def test_a_household_registers_is_paired_visited_and_exits() -> None:
    home = given(
        "household-h1",
        (
            "relief.HouseholdRegistered",
            {
                "household_id": "h1",
                "village": "石壁村",
                "head_name": "张大山",
                "members": [{}, {}],
                "registered_on": "2016-03-01",
            },
        ),
        (
            "relief.HouseholdPaired",
            {"household_id": "h1", "helper": {"name": "刘干部"}, "paired_on": "2016-03-05"},
        ),
        (
            "relief.HouseholdVisited",
            {"household_id": "h1", "notes": "走访", "visited_on": "2016-04-02"},
        ),
        (
            "relief.HouseholdVisited",
            {"household_id": "h1", "notes": "再访", "visited_on": "2016-06-02"},
        ),
        ("relief.HouseholdExitedPoverty", {"household_id": "h1", "exited_on": "2016-11-20"}),
    )
    assert (home.kind, home.entity_id, home.village, home.status) == (
        "household",
        "h1",
        "石壁村",
        "exited",
    )
    s = home.state
    assert (s["visits"], s["last_visited_on"], s["helper_name"], s["member_count"]) == (
        2,
        "2016-06-02",
        "刘干部",
        2,
    )
    assert "notes" not in s  # a visit's notes are the visit's, not the household's
    assert s["_status_since"] == {
        "registered": "2016-01-02",
        "exited": "2016-01-06",
    }  # business days


def test_a_petition_is_classified_only_from_received() -> None:
    petition = given(
        "petition-p1",
        ("supervision.PetitionReceived", {"petition_id": "p1", "village": None}),
        (
            "supervision.PetitionTeamFormed",
            {"petition_id": "p1", "team_name": "专班", "members": []},
        ),
        (
            "supervision.PetitionClassified",
            {"petition_id": "p1", "focus_area": "征地拆迁", "key_case": True},
        ),
    )
    assert petition.status == "handling"  # reclassifying a case in hand keeps it in hand
    assert petition.state["focus_area"] == "征地拆迁"


def test_a_programme_counts_late_and_short_payments_without_taking_their_village() -> None:
    programme = given(
        "programme-g1",
        (
            "funds.ProgrammeCreated",
            {
                "programme_id": "g1",
                "village": None,
                "amount": "1000.00",
                "disbursement_deadline": "2016-06-30",
            },
        ),
        ("funds.FundsAllocated", {"programme_id": "g1", "village": "石壁村", "amount": "600.00"}),
        (
            "funds.DisbursementRecorded",
            {
                "programme_id": "g1",
                "village": "石壁村",
                "beneficiary_name": "李小梅",
                "amount": "200.00",
                "entitled_amount": "300.00",
                "paid_on": "2016-07-01",
            },
        ),
    )
    s = programme.state
    assert programme.village is None
    assert "beneficiary_name" not in s
    assert (s["allocated"], s["disbursed"], s["late"], s["short"], s["short_amount"]) == (
        "600.00",
        "200.00",
        1,
        1,
        "100.00",
    )


def test_short_is_judged_against_the_standard_and_an_approved_purpose_moves() -> None:
    programme = given(
        "programme-g2",
        (
            "funds.ProgrammeCreated",
            {
                "programme_id": "g2",
                "amount": "1000.00",
                "standard_amount": "300.00",
                "purpose_code": "infrastructure",
                "disbursement_deadline": "2016-06-30",
            },
        ),
        ("funds.FundsAllocated", {"programme_id": "g2", "village": "石壁村", "amount": "900"}),
        (  # no entitled amount: the standard is due (funds' FUNDS-SHORT-PAID)
            "funds.DisbursementRecorded",
            {"programme_id": "g2", "village": "石壁村", "amount": "200", "paid_on": "2016-05-01"},
        ),
        (  # its own entitled amount, below the standard, paid in full: not short
            "funds.DisbursementRecorded",
            {
                "programme_id": "g2",
                "village": "石壁村",
                "amount": "250",
                "entitled_amount": "250",
                "paid_on": "2016-05-02",
            },
        ),
        (
            "funds.ProgrammeChangeRecorded",
            {"programme_id": "g2", "approved": True, "new_purpose_code": "industry"},
        ),
    )
    s = programme.state
    assert (s["short"], s["short_amount"], s["purpose_code"]) == (1, "100.00", "industry")


def test_a_red_flag_follows_the_clue_outcome() -> None:
    flag = given(
        "redflag-f1",
        ("funds.RedFlagRaised", {"flag_id": "f1", "code": "FUNDS-LATE", "village": "石壁村"}),
        ("funds.RedFlagConfirmed", {"flag_id": "f1", "code": "FUNDS-LATE"}),
        (
            "funds.RedFlagOutcomeRecorded",
            {"flag_id": "f1", "outcome": "dismissed", "concluded_on": "2016-09-01"},
        ),
    )
    assert (flag.kind, flag.status, flag.state["concluded_on"]) == (
        "redflag",
        "dismissed",
        "2016-09-01",
    )


def test_members_points_add_up_by_year() -> None:
    member = given(
        "member-m1",
        (
            "party.MemberJoined",
            {
                "member_id": "member-m1",
                "name": "黄军",
                "village": "石壁村",
                "membership": "probationary",
            },
        ),
        (
            "party.PointsAwarded",
            {"member_id": "member-m1", "points": 10, "quantity": 2, "year": 2016},
        ),
        (
            "party.PointsDeducted",
            {"member_id": "member-m1", "points": 5, "quantity": 1, "year": 2016},
        ),
        ("party.MemberConverted", {"member_id": "member-m1", "converted_on": "2016-12-01"}),
    )
    assert member.entity_id == "member-m1"
    assert (member.status, member.state["points"]) == ("full", {"2016": 5})


def test_a_weak_branch_is_lifted() -> None:
    branch = given(
        "branch-b1",
        (
            "party.BranchEstablished",
            {
                "branch_id": "branch-b1",
                "name": "金霞村党支部",
                "village": "金霞村",
                "kind": "village",
            },
        ),
        ("party.BranchDesignatedWeak", {"branch_id": "branch-b1", "period": "2016-H1", "rank": 9}),
        ("party.LeaderVisitRecorded", {"branch_id": "branch-b1", "period": "2016-H1"}),
        ("party.BranchDesignationLifted", {"branch_id": "branch-b1", "lifted_on": "2016-12-30"}),
    )
    assert (branch.status, branch.state["leader_visits"], branch.state["branch_name"]) == (
        "lifted",
        1,
        "金霞村党支部",
    )


def test_an_unknown_event_still_makes_an_entity_of_its_stream() -> None:
    thing = given("gadget-42", ("newservice.GadgetMade", {"village": "金霞村", "size": 3}))
    assert (thing.kind, thing.entity_id, thing.village, thing.state["size"]) == (
        "gadget",
        "42",
        "金霞村",
        3,
    )
