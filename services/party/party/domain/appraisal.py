"""The yearly performance appraisal (年度绩效考核) and the review (述职评议) of the lead units
(牵头单位) and the village branch secretaries (保障措施 3), and the referral of the weakest to
the campaign against officials' inaction (为官不为整治, measure 11).

Supervision counts the facts (`supervision.AppraisalFactsRecorded`: per lead unit and per
village, measures done, items overdue, directives on time, petitions resolved); party keeps the
latest record of each year and decides here:

- facts score = max(0, 100 − 10 × items overdue − 5 × directives not on time − 5 × petitions
  not resolved − 5 × measures not done);
- total = 0.6 × facts score + 0.4 × review score (述职评议, 0–100), exact (no rounding);
- grade: ≥ 90 优秀, ≥ 75 称职, ≥ 60 基本称职, else 不称职;
- ranked by total, best first; equal totals in the order of the subjects' names, each its own
  place (1, 2, 3 …);
- referred (为官不为): graded 不称职, or among the bottom 10 % of the ranking — ⌊n/10⌋ places,
  at least one.

The subjects: every lead unit of the facts that leads a measure (`measures_total` > 0) — each
must have been reviewed — and every other unit or branch secretary reviewed. A branch
secretary's facts are his village's (the "village" facts of the branch's village); a unit's are
its own. Refused: without facts for the year, without any subject, if a lead unit has no review
score, if a reviewed subject has no facts, and a second time (one conclusion per year)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from party.domain.branches import TERRITORIAL, Branch
from party.domain.events import (
    AppraisalConcluded,
    AppraisalResult,
    InactionReferred,
    ReviewScoreRecorded,
)
from shared.kernel import Aggregate, Event, Refused

UNIT, BRANCH_SECRETARY = "unit", "branch_secretary"
SUBJECT_KINDS = {UNIT: "牵头单位", BRANCH_SECRETARY: "村党组织书记"}
#: What supervision's facts are kept under: a unit, or a village (for its branch secretary).
FACTS_UNIT, FACTS_VILLAGE = "unit", "village"

FACTS_WEIGHT = Decimal("0.6")
REVIEW_WEIGHT = Decimal("0.4")
PER_OVERDUE_ITEM = 10
PER_DIRECTIVE_LATE = 5
PER_PETITION_UNRESOLVED = 5
PER_MEASURE_UNDONE = 5
#: Grades from the top: the lowest total of each.
GRADES = ((Decimal(90), "优秀"), (Decimal(75), "称职"), (Decimal(60), "基本称职"))
UNFIT = "不称职"
#: The bottom share of the ranking referred (percent), at least one subject.
BOTTOM_PERCENT = 10
SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)


def appraisal_stream(year: int) -> str:
    return f"appraisal-{year}"


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """What supervision counted for one lead unit (`kind` unit) or one village (`kind`
    village) in the year."""

    unit: str
    kind: str
    measures_total: int = 0
    measures_done: int = 0
    items_total: int = 0
    items_overdue: int = 0
    directives_total: int = 0
    directives_on_time: int = 0
    petitions_total: int = 0
    petitions_resolved: int = 0


@dataclass(frozen=True, slots=True)
class AppraisalFacts:
    """The latest facts supervision recorded for a year, counted on `as_of`."""

    year: int
    as_of: dt.date
    units: tuple[UnitFacts, ...]

    def of(self, kind: str, unit: str) -> UnitFacts | None:
        for facts in self.units:
            if facts.kind == kind and facts.unit == unit:
                return facts
        return None

    @property
    def lead_units(self) -> tuple[str, ...]:
        """The units that lead at least one measure: each must be appraised."""
        return tuple(f.unit for f in self.units if f.kind == FACTS_UNIT and f.measures_total > 0)


def facts_score(facts: UnitFacts) -> Decimal:
    """100 less the deductions for what the facts show undone, never below 0."""
    lost = (
        PER_OVERDUE_ITEM * facts.items_overdue
        + PER_DIRECTIVE_LATE * max(0, facts.directives_total - facts.directives_on_time)
        + PER_PETITION_UNRESOLVED * max(0, facts.petitions_total - facts.petitions_resolved)
        + PER_MEASURE_UNDONE * max(0, facts.measures_total - facts.measures_done)
    )
    return Decimal(max(0, 100 - lost))


def weighted_total(facts: Decimal, review: Decimal) -> Decimal:
    return FACTS_WEIGHT * facts + REVIEW_WEIGHT * review


def grade(total: Decimal) -> str:
    for lowest, name in GRADES:
        if total >= lowest:
            return name
    return UNFIT


def bottom_count(n: int) -> int:
    """How many of n ranked subjects are in the bottom 10 % (at least one, if any)."""
    return 0 if n == 0 else max(1, n * BOTTOM_PERCENT // 100)


@dataclass(frozen=True, slots=True)
class Subject:
    """A subject to appraise: who, the review's score and the facts that are his."""

    kind: str
    subject: str
    name: str
    review_score: Decimal
    facts: UnitFacts


def appraise(subjects: Sequence[Subject]) -> tuple[AppraisalResult, ...]:
    """Every subject's result, best first (see the module's rules)."""
    scored = [
        (s, facts_score(s.facts), weighted_total(facts_score(s.facts), s.review_score))
        for s in subjects
    ]
    scored.sort(key=lambda x: (-x[2], x[0].name, x[0].subject))
    bottom_from = len(scored) - bottom_count(len(scored))
    results = []
    for place, (s, facts, total) in enumerate(scored, start=1):
        graded = grade(total)
        results.append(
            AppraisalResult(
                subject_kind=s.kind,
                subject=s.subject,
                subject_name=s.name,
                facts_score=facts,
                review_score=s.review_score,
                total=total,
                grade=graded,
                rank=place,
                referred=graded == UNFIT or place > bottom_from,
                overdue_items=s.facts.items_overdue,
            )
        )
    return tuple(results)


def referral_reason(result: AppraisalResult, ranked: int, year: int) -> str:
    """Why a referred subject was referred (zh-CN)."""
    why = []
    if result.grade == UNFIT:
        why.append(f"评定为{UNFIT}")
    if result.rank > ranked - bottom_count(ranked):
        why.append(f"排名末位（第{result.rank}名/共{ranked}名，后{BOTTOM_PERCENT}%）")
    detail = f"总分{result.total}"
    if result.overdue_items:
        detail += f"，逾期未整改问题{result.overdue_items}项"
    return f"{year}年度绩效考核{'、'.join(why)}，{detail}"


def check_score(score: Decimal) -> None:
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise Refused(f"述职评议得分须在 0–100 之间，不能是 {score} (a score is 0 to 100)")


def unit_subject(unit: str, facts: AppraisalFacts | None) -> str:
    """A unit to review: its name; once the year's facts are in, one they count."""
    name = unit.strip()
    if not name:
        raise Refused("牵头单位名称不能为空 (unit name required)")
    if facts is not None and facts.of(FACTS_UNIT, name) is None:
        raise Refused(
            f"{facts.year} 年度考核事实中没有单位 {name} (the year's facts count no such unit)"
        )
    return name


def secretary_subject(branch: Branch) -> tuple[str, str]:
    """A branch secretary to review: his name as the subject's (with the branch's) and the
    village whose facts are his; only the secretary of a village's or community's branch."""
    if branch.kind not in TERRITORIAL or branch.village is None:
        raise Refused(
            f"{branch.name} 不是村/社区党组织，其书记不参加村党组织书记述职评议 "
            "(only a village's or community's branch secretary is reviewed)"
        )
    if branch.secretary is None:
        raise Refused(f"{branch.name} 尚未任命书记 (the branch has no secretary)")
    return f"{branch.secretary[1]}（{branch.name}书记）", branch.village


class Appraisal(Aggregate):
    """The appraisal of one year (`appraisal-<year>`): review scores, then one conclusion."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.year = 0
        self.scores: dict[tuple[str, str], ReviewScoreRecorded] = {}
        self.concluded: AppraisalConcluded | None = None
        self.referrals: list[InactionReferred] = []

    def record_score(
        self,
        *,
        year: int,
        subject_kind: str,
        subject: str,
        subject_name: str,
        score: Decimal,
        on: dt.date,
    ) -> None:
        """The review committee's score of a subject (a later one replaces the earlier)."""
        self._not_concluded(year)
        if subject_kind not in SUBJECT_KINDS:
            raise Refused(f"未知的评议对象类别 {subject_kind} (unknown subject kind)")
        check_score(score)
        self._record(
            ReviewScoreRecorded(
                year=year,
                subject_kind=subject_kind,
                subject=subject,
                subject_name=subject_name,
                score=score,
                recorded_on=on,
            )
        )

    def conclude(
        self,
        *,
        year: int,
        facts: AppraisalFacts | None,
        villages: Mapping[str, str | None],
        on: dt.date,
    ) -> AppraisalConcluded:
        """Grade and rank every subject; refer the weakest (为官不为). `villages`: the village of
        each reviewed branch secretary's branch (by branch id)."""
        self._not_concluded(year)
        if facts is None or facts.year != year:
            raise Refused(
                f"尚无督查方统计的 {year} 年度考核事实，不能结束考核 "
                "(no appraisal facts for the year)"
            )
        if unreviewed := [u for u in facts.lead_units if (UNIT, u) not in self.scores]:
            raise Refused(
                f"以下牵头单位尚无述职评议得分: {', '.join(unreviewed)} "
                "(a lead unit has no review score)"
            )
        if not self.scores:
            raise Refused("尚无述职评议得分，不能结束考核 (no review score)")
        if late := [s.subject_name for s in self.scores.values() if s.recorded_on > on]:
            raise Refused(f"结束日期早于评议日期: {', '.join(late)} (before a review score)")
        subjects, missing = [], []
        for (kind, subject), score in sorted(self.scores.items()):
            unit = villages.get(subject) if kind == BRANCH_SECRETARY else subject
            own = facts.of(FACTS_VILLAGE if kind == BRANCH_SECRETARY else FACTS_UNIT, unit or "")
            if own is None:
                missing.append(score.subject_name)
                continue
            subjects.append(Subject(kind, subject, score.subject_name, score.score, own))
        if missing:
            raise Refused(
                f"以下评议对象没有考核事实: {', '.join(missing)} (a subject has no facts)"
            )
        results = appraise(subjects)
        concluded = AppraisalConcluded(year=year, results=results, concluded_on=on)
        self._record(concluded)
        for result in results:
            if result.referred:
                self._record(
                    InactionReferred(
                        year=year,
                        subject_kind=result.subject_kind,
                        subject=result.subject,
                        subject_name=result.subject_name,
                        reason=referral_reason(result, len(results), year),
                        referred_on=on,
                    )
                )
        return concluded

    def _not_concluded(self, year: int) -> None:
        if self.year and self.year != year:
            raise Refused(f"考核年度不符 (this is the appraisal of {self.year})")
        if self.concluded is not None:
            raise Refused(f"{year} 年度绩效考核已结束 (already concluded)")

    def _apply(self, event: Event) -> None:
        match event:
            case ReviewScoreRecorded():
                self.year = event.year
                self.scores[(event.subject_kind, event.subject)] = event
            case AppraisalConcluded():
                self.year = event.year
                self.concluded = event
            case InactionReferred():
                self.referrals.append(event)
            case _:
                raise TypeError(f"Appraisal cannot apply {type(event).__name__}")
