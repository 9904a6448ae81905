"""Branch assessment (measure 5): the sheet's weighted total, the ranking, and the bottom
5–10 % designated weak and lax — at the edges: the band, ties at the cut-off, few branches."""

from decimal import Decimal

import pytest
from party.domain.assessment import Assessment, rank, weak_cut
from party.domain.events import AssessmentConcluded, AssessmentOpened, BranchScored

from shared.kernel import AlreadyExists

from .given import SHEET, day, given, then, then_refused

D = Decimal


def scores(*totals: int | str) -> dict[str, Decimal]:
    """Branches b01, b02, … with the given totals."""
    return {f"b{i:02d}": D(str(t)) for i, t in enumerate(totals, start=1)}


def spread(n: int) -> dict[str, Decimal]:
    """n branches with distinct totals 100, 99, …"""
    return scores(*range(100, 100 - n, -1))


# --- the band (5–10 %) ------------------------------------------------------------------------


@pytest.mark.parametrize("share", ["4.99", "0", "10.01", "11", "50"])
def test_a_share_outside_five_to_ten_percent_is_refused(share: str) -> None:
    then_refused(lambda: weak_cut(spread(38), D(share)), "5%–10%")


@pytest.mark.parametrize(
    ("n", "share", "designated"),
    [
        (38, "10", 3),  # ⌈3.8⌉ = 4 capped at ⌊3.8⌋ = 3 (never above 10 %)
        (38, "7.5", 3),  # ⌈2.85⌉
        (38, "5", 2),  # ⌈1.9⌉: at least 5 %
        (40, "5", 2),
        (40, "10", 4),
        (20, "5", 1),
        (20, "10", 2),
        (19, "10", 1),  # ⌈1.9⌉ = 2 but ⌊1.9⌋ = 1
        (10, "10", 1),
        (9, "5", 1),  # under ten branches: one, although that is more than 10 %
        (2, "10", 1),
        (1, "5", 1),  # any branch assessed: at least one designated
    ],
)
def test_the_quota_by_number_of_branches_and_share(n: int, share: str, designated: int) -> None:
    cut = weak_cut(spread(n), D(share))
    assert len(cut.designated) == cut.quota == designated
    lowest = sorted(spread(n), key=lambda b: spread(n)[b])[:designated]
    assert set(cut.designated) == set(lowest)


def test_no_branch_scored_cannot_be_ranked() -> None:
    then_refused(lambda: weak_cut({}, D(10)), "尚无支部评分")


# --- ranking and ties -----------------------------------------------------------------------


def test_ranks_are_competition_ranks_best_first() -> None:
    ranking = rank(scores(90, 80, 80, 70))
    assert [(r.branch_id, r.rank) for r in ranking] == [
        ("b01", 1),
        ("b02", 2),
        ("b03", 2),
        ("b04", 4),
    ]


def test_a_tie_at_the_cut_off_designates_all_tied_within_the_ceiling() -> None:
    totals = spread(38)
    totals["b36"] = totals["b37"] = D(60)  # tied second-lowest (the others score 63 and up)
    totals["b38"] = D(50)
    cut = weak_cut(totals, D(5))  # quota 2: b38 and the b36/b37 tie → 3 ≤ ceiling 3
    assert cut.quota == 2
    assert set(cut.designated) == {"b38", "b36", "b37"}


def test_a_tie_at_the_cut_off_beyond_the_ceiling_is_refused_naming_the_tied() -> None:
    totals = spread(38)
    totals.update({"b35": D(60), "b36": D(60), "b37": D(60), "b38": D(50)})
    then_refused(lambda: weak_cut(totals, D(5)), r"b35, b36, b37.*10%")


def test_two_branches_with_equal_scores_cannot_be_told_apart() -> None:
    then_refused(lambda: weak_cut(scores(70, 70), D(10)), "并列")


def test_all_tied_is_refused() -> None:
    then_refused(lambda: weak_cut(scores(*[75] * 30), D(10)), "并列")


def test_a_tie_above_the_cut_off_does_not_matter() -> None:
    cut = weak_cut(scores(90, 90, *range(80, 52, -1)), D(10))  # 30 branches
    assert cut.designated == ("b30", "b29", "b28")


# --- the scoring sheet ----------------------------------------------------------------------

FULL_MARKS = {i.code: D(10) for i in SHEET.items}


def test_the_total_is_the_weighted_share_out_of_100() -> None:
    half = {code: D(5) for code in FULL_MARKS}
    assert SHEET.total(FULL_MARKS)[1] == D("100.00")
    assert SHEET.total(half)[1] == D("50.00")
    only_leadership = {**{c: D(0) for c in FULL_MARKS}, "leadership": D(10)}
    assert SHEET.total(only_leadership)[1] == D("25.00")


def test_unknown_missing_or_out_of_range_items_are_refused() -> None:
    then_refused(lambda: SHEET.total({**FULL_MARKS, "beauty": D(1)}), "没有以下项目")
    then_refused(lambda: SHEET.total({"leadership": D(5)}), "缺少评分项目")
    then_refused(lambda: SHEET.total({**FULL_MARKS, "leadership": D(11)}), "0–10")


# --- the assessment's life ------------------------------------------------------------------


def opened(share: str = "10") -> AssessmentOpened:
    return AssessmentOpened(
        period="2016",
        sheet_version=SHEET.version,
        weak_share_percent=D(share),
        opened_on=day("2016-12-01"),
    )


def scored(branch_id: str, total: int, on: str = "2016-12-10") -> BranchScored:
    return BranchScored(
        period="2016", branch_id=branch_id, items=(), total=D(total), scored_on=day(on)
    )


def test_an_assessment_opens_with_the_sheet_and_a_share_in_the_band() -> None:
    assessment = Assessment("assessment-2016")
    assessment.open(period="2016", sheet=SHEET, share=D("7.5"), on=day("2016-12-01"))
    [event] = then(assessment)
    assert isinstance(event, AssessmentOpened) and event.sheet_version == "2016.1"


def test_opening_with_a_share_outside_the_band_is_refused() -> None:
    then_refused(
        lambda: Assessment("assessment-2016").open(
            period="2016", sheet=SHEET, share=D(12), on=day("2016-12-01")
        ),
        "5%–10%",
    )


def test_a_period_opens_once() -> None:
    assessment = given(Assessment, opened())
    then_refused(
        lambda: assessment.open(period="2016", sheet=SHEET, share=D(10), on=day("2016-12-02")),
        "已开始",
        AlreadyExists,
    )


def test_a_bad_period_is_refused() -> None:
    then_refused(
        lambda: Assessment("a").open(
            period="2016-Q3", sheet=SHEET, share=D(10), on=day("2016-12-01")
        ),
        "格式错误",
    )


def test_a_later_score_replaces_the_earlier_one() -> None:
    assessment = given(Assessment, opened(), scored("branch-a", 40))
    assessment.score(branch_id="branch-a", scores=FULL_MARKS, sheet=SHEET, on=day("2016-12-11"))
    then(assessment)
    assert assessment.scores["branch-a"].total == D(100)


def test_scoring_before_opening_or_after_conclusion_is_refused() -> None:
    fresh = Assessment("assessment-2016")
    then_refused(
        lambda: fresh.score(branch_id="b", scores=FULL_MARKS, sheet=SHEET, on=day("2016-12-11")),
        "尚未开始",
    )
    done = given(Assessment, opened(), scored("branch-a", 40))
    done.conclude(on=day("2016-12-30"))
    then_refused(
        lambda: done.score(branch_id="b", scores=FULL_MARKS, sheet=SHEET, on=day("2016-12-31")),
        "已结束",
    )


def test_the_conclusion_ranks_and_names_the_bottom_band() -> None:
    events = [opened("10")] + [scored(f"branch-{i:02d}", 100 - i) for i in range(1, 21)]
    assessment = given(Assessment, *events)
    cut = assessment.conclude(on=day("2016-12-30"))
    [event] = then(assessment)
    assert isinstance(event, AssessmentConcluded)
    assert event.designated == ("branch-20", "branch-19") == cut.designated
    assert event.ranking[0].branch_id == "branch-01" and event.ranking[-1].rank == 20


def test_a_conclusion_dated_before_a_score_is_refused() -> None:
    assessment = given(Assessment, opened(), scored("branch-a", 40, on="2016-12-20"))
    then_refused(lambda: assessment.conclude(on=day("2016-12-19")), "早于评分日期")
