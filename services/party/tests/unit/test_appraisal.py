"""The yearly performance appraisal (年度绩效考核) and review (述职评议, 保障措施 3): the facts'
score, the weighted total, the grades at each boundary, the ranking and its ties, the bottom
10 % (at least one) referred to 为官不为整治 — and every refusal of the procedure."""

import datetime as dt
from decimal import Decimal

import pytest
from party.domain.appraisal import (
    Appraisal,
    AppraisalFacts,
    Subject,
    UnitFacts,
    appraise,
    bottom_count,
    facts_score,
    grade,
    secretary_subject,
    unit_subject,
    weighted_total,
)
from party.domain.branches import Branch
from party.domain.events import (
    AppraisalConcluded,
    BranchSecretaryAppointed,
    InactionReferred,
    ReviewScoreRecorded,
)

from .given import day, established, given, then, then_refused

D = Decimal
ON = day("2017-01-20")


def unit(name: str, *, overdue: int = 0, kind: str = "unit", measures: int = 1) -> UnitFacts:
    """A unit's (or a village's) facts: everything done but `overdue` items."""
    return UnitFacts(
        unit=name,
        kind=kind,
        measures_total=measures,
        measures_done=measures,
        items_total=5 + overdue,
        items_overdue=overdue,
        directives_total=2,
        directives_on_time=2,
        petitions_total=3,
        petitions_resolved=3,
    )


def facts(*units: UnitFacts, year: int = 2016) -> AppraisalFacts:
    return AppraisalFacts(year=year, as_of=dt.date(year, 12, 31), units=units)


def reviewed(subject: str, score: str, kind: str = "unit", name: str = "") -> ReviewScoreRecorded:
    return ReviewScoreRecorded(
        year=2016,
        subject_kind=kind,
        subject=subject,
        subject_name=name or subject,
        score=D(score),
        recorded_on=day("2017-01-12"),
    )


def subject(name: str, review: str, overdue: int = 0) -> Subject:
    return Subject("unit", name, name, D(review), unit(name, overdue=overdue))


# --- the rule -----------------------------------------------------------------------------


def test_the_facts_score_deducts_for_each_thing_undone_never_below_zero() -> None:
    assert facts_score(unit("扶贫办")) == 100
    lapses = UnitFacts(
        unit="扶贫办",
        kind="unit",
        measures_total=3,
        measures_done=2,  # −5
        items_total=9,
        items_overdue=2,  # −20
        directives_total=4,
        directives_on_time=3,  # −5
        petitions_total=5,
        petitions_resolved=3,  # −10
    )
    assert facts_score(lapses) == 60
    assert facts_score(unit("扶贫办", overdue=11)) == 0


def test_the_total_weighs_the_facts_six_tenths_and_the_review_four() -> None:
    assert weighted_total(D(100), D(80)) == D(92)
    assert weighted_total(D(70), D("85.5")) == D("76.2")


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.99", "称职"),
        ("75", "称职"),
        ("74.999", "基本称职"),
        ("60", "基本称职"),
        ("59.99", "不称职"),
        ("0", "不称职"),
    ],
)
def test_grades_at_each_boundary(total: str, expected: str) -> None:
    assert grade(D(total)) == expected


@pytest.mark.parametrize(("n", "bottom"), [(1, 1), (2, 1), (9, 1), (10, 1), (19, 1), (20, 2)])
def test_the_bottom_ten_percent_is_at_least_one(n: int, bottom: int) -> None:
    assert bottom_count(n) == bottom


def test_ranked_by_total_best_first_ties_in_the_order_of_names() -> None:
    results = appraise(
        [subject("政务中心", "80"), subject("中心校", "90"), subject("卫生院", "80")]
    )
    assert [(r.subject, r.rank, r.total) for r in results] == [
        ("中心校", 1, D(96)),
        ("卫生院", 2, D(92)),  # 卫 before 政: the tie's order is the names'
        ("政务中心", 3, D(92)),
    ]
    assert [r.referred for r in results] == [False, False, True]  # bottom one of three


def test_a_unit_with_overdue_items_ranks_below_one_without_and_is_referred() -> None:
    results = appraise([subject("扶贫办", "85", overdue=3), subject("卫生院", "85")])
    assert [r.subject for r in results] == ["卫生院", "扶贫办"]
    late = results[1]
    assert (late.facts_score, late.total, late.grade, late.overdue_items) == (
        D(70),
        D(76),
        "称职",
        3,
    )
    assert late.referred and not results[0].referred


def test_every_unfit_subject_is_referred_even_above_the_bottom_band() -> None:
    ranked = appraise(
        [subject(f"单位{i:02d}", "90") for i in range(1, 19)]
        + [subject("甲", "50", overdue=5), subject("乙", "40", overdue=6)]
    )
    referred = [(r.subject, r.grade) for r in ranked if r.referred]
    assert referred == [("甲", "不称职"), ("乙", "不称职")]  # 2 of 20: the band is 2 anyway
    ranked = appraise(
        [subject(f"单位{i:02d}", "90") for i in range(1, 9)]
        + [subject("甲", "50", overdue=5), subject("乙", "40", overdue=6)]
    )
    assert [r.subject for r in ranked if r.referred] == ["甲", "乙"]  # band of 10 is one


# --- the appraisal's life -----------------------------------------------------------------


def test_a_review_score_is_recorded_and_a_later_one_replaces_it() -> None:
    appraisal = Appraisal("appraisal-2016")
    appraisal.record_score(
        year=2016, subject_kind="unit", subject="扶贫办", subject_name="扶贫办", score=D(80), on=ON
    )
    [event] = then(appraisal)
    assert isinstance(event, ReviewScoreRecorded) and event.score == 80
    appraisal.record_score(
        year=2016, subject_kind="unit", subject="扶贫办", subject_name="扶贫办", score=D(88), on=ON
    )
    then(appraisal)
    assert [s.score for s in appraisal.scores.values()] == [D(88)]


@pytest.mark.parametrize("score", ["-1", "100.01"])
def test_a_score_outside_0_to_100_is_refused(score: str) -> None:
    then_refused(
        lambda: Appraisal("appraisal-2016").record_score(
            year=2016, subject_kind="unit", subject="x", subject_name="x", score=D(score), on=ON
        ),
        "0–100",
    )


def test_a_unit_the_years_facts_do_not_count_is_refused() -> None:
    assert unit_subject(" 扶贫办 ", None) == "扶贫办"  # no facts yet: any unit
    assert unit_subject("扶贫办", facts(unit("扶贫办"))) == "扶贫办"
    then_refused(lambda: unit_subject("扶贫办公室", facts(unit("扶贫办"))), "没有单位")


def test_only_a_village_branchs_appointed_secretary_is_reviewed() -> None:
    appointed = BranchSecretaryAppointed(
        branch_id="branch-a", member_id="member-0001", name="黄军", appointed_on=day("2016-01-06")
    )
    branch = given(Branch, established(), appointed)
    assert secretary_subject(branch) == ("黄军（石壁村党支部书记）", "石壁村")
    then_refused(lambda: secretary_subject(given(Branch, established())), "尚未任命书记")
    organ = given(Branch, established(kind="organ", village=None))
    then_refused(lambda: secretary_subject(organ), "不是村/社区党组织")


def test_the_conclusion_grades_ranks_and_refers_in_the_same_command() -> None:
    appraisal = given(
        Appraisal,
        reviewed("扶贫办", "85"),
        reviewed("卫生院", "85"),
        reviewed("branch-a", "70", kind="branch_secretary", name="黄军（石壁村党支部书记）"),
        stream_id="appraisal-2016",
    )
    year = facts(
        unit("扶贫办", overdue=3), unit("卫生院"), unit("石壁村", kind="village", measures=0)
    )
    appraisal.conclude(year=2016, facts=year, villages={"branch-a": "石壁村"}, on=ON)
    concluded, referred = then(appraisal)
    assert isinstance(concluded, AppraisalConcluded)
    assert [(r.subject, r.rank, r.total, r.grade) for r in concluded.results] == [
        ("卫生院", 1, D(94), "优秀"),  # 0.6 × 100 + 0.4 × 85
        ("branch-a", 2, D(88), "称职"),  # 石壁村's facts: 0.6 × 100 + 0.4 × 70
        ("扶贫办", 3, D(76), "称职"),  # three overdue: 0.6 × 70 + 0.4 × 85
    ]
    assert [r.referred for r in concluded.results] == [False, False, True]
    assert isinstance(referred, InactionReferred)
    assert (referred.subject, referred.subject_kind, referred.referred_on) == ("扶贫办", "unit", ON)
    assert "排名末位" in referred.reason and "逾期未整改问题3项" in referred.reason


def test_a_branch_secretarys_facts_are_his_villages() -> None:
    appraisal = given(
        Appraisal,
        reviewed("branch-a", "90", kind="branch_secretary", name="黄军"),
        reviewed("branch-b", "90", kind="branch_secretary", name="刘强"),
        stream_id="appraisal-2016",
    )
    year = facts(
        unit("石壁村", kind="village", measures=0),
        unit("金霞村", kind="village", overdue=2, measures=0),
        unit("石壁村", kind="unit", overdue=9, measures=0),  # a unit of that name: not the village
    )
    appraisal.conclude(
        year=2016, facts=year, villages={"branch-a": "石壁村", "branch-b": "金霞村"}, on=ON
    )
    concluded = then(appraisal)[0]
    assert isinstance(concluded, AppraisalConcluded)
    assert [(r.subject, r.facts_score, r.overdue_items) for r in concluded.results] == [
        ("branch-a", D(100), 0),
        ("branch-b", D(80), 2),
    ]


def test_conclusion_without_the_years_facts_is_refused() -> None:
    appraisal = given(Appraisal, reviewed("扶贫办", "85"), stream_id="appraisal-2016")
    then_refused(lambda: appraisal.conclude(year=2016, facts=None, villages={}, on=ON), "考核事实")
    then_refused(
        lambda: appraisal.conclude(
            year=2016, facts=facts(unit("扶贫办"), year=2015), villages={}, on=ON
        ),
        "考核事实",
    )


def test_conclusion_with_a_lead_unit_not_reviewed_is_refused() -> None:
    appraisal = given(Appraisal, reviewed("扶贫办", "85"), stream_id="appraisal-2016")
    year = facts(unit("扶贫办"), unit("卫生院"), unit("水利站", measures=0))
    then_refused(
        lambda: appraisal.conclude(year=2016, facts=year, villages={}, on=ON),
        r"尚无述职评议得分: 卫生院 \(",  # 水利站 leads no measure: reviewed only if scored
    )


def test_conclusion_without_any_review_score_is_refused() -> None:
    appraisal = Appraisal("appraisal-2016")
    year = facts(unit("水利站", measures=0))
    then_refused(
        lambda: appraisal.conclude(year=2016, facts=year, villages={}, on=ON), "尚无述职评议得分"
    )


def test_conclusion_with_a_reviewed_subject_without_facts_is_refused() -> None:
    appraisal = given(
        Appraisal,
        reviewed("扶贫办", "85"),
        reviewed("branch-b", "80", kind="branch_secretary", name="刘强"),
        stream_id="appraisal-2016",
    )
    then_refused(
        lambda: appraisal.conclude(
            year=2016, facts=facts(unit("扶贫办")), villages={"branch-b": "金霞村"}, on=ON
        ),
        "没有考核事实: 刘强",
    )


def test_conclusion_dated_before_a_review_is_refused() -> None:
    appraisal = given(Appraisal, reviewed("扶贫办", "85"), stream_id="appraisal-2016")
    then_refused(
        lambda: appraisal.conclude(
            year=2016, facts=facts(unit("扶贫办")), villages={}, on=day("2017-01-11")
        ),
        "早于评议日期",
    )


def test_a_second_conclusion_of_the_year_and_a_later_score_are_refused() -> None:
    appraisal = given(Appraisal, reviewed("扶贫办", "85"), stream_id="appraisal-2016")
    appraisal.conclude(year=2016, facts=facts(unit("扶贫办")), villages={}, on=ON)
    then(appraisal)
    then_refused(
        lambda: appraisal.conclude(year=2016, facts=facts(unit("扶贫办")), villages={}, on=ON),
        "已结束",
    )
    then_refused(
        lambda: appraisal.record_score(
            year=2016,
            subject_kind="unit",
            subject="扶贫办",
            subject_name="扶贫办",
            score=D(90),
            on=ON,
        ),
        "已结束",
    )
