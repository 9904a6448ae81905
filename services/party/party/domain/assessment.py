"""Branch assessment (量化评分, 分类定级) and the weak-and-lax designation (软弱涣散, measure 5).

Each branch is scored on the period's scoring sheet (a versioned YAML file: items, maximum
scores and weights summing to 100); the total is Σ score/max × weight, out of 100. On
conclusion the branches are ranked and the bottom share designated "按5%至10%的比例倒排":

- the share p is chosen per assessment within 5–10 % (inclusive); anything else is refused;
- quota = ⌈n·p/100⌉ branches, but never more than ⌊n·10/100⌋ — and never fewer than one:
  whenever a branch is assessed, at least one is designated (for n < 10 that one is more
  than 10 %: the plan's floor of "rectify the weakest" wins over the band's ceiling);
- ties at the cut-off: every branch with the same total as the last one within the quota is
  designated too (equal scores, equal treatment), as long as that stays within the ceiling
  max(1, ⌊n·10/100⌋); beyond it the conclusion is refused, naming the tied branches, until a
  re-score separates them;
- ranks are competition ranks: 1 is best, equal totals share a rank (1, 2, 2, 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from party.domain.events import (
    AssessmentConcluded,
    AssessmentOpened,
    BranchScored,
    ItemScore,
    RankedBranch,
)
from party.domain.periods import period_key
from shared.kernel import Aggregate, AlreadyExists, Event, Refused, bottom_band

BAND_MIN = Decimal(5)
BAND_MAX = Decimal(10)
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class SheetItem:
    """One item of the scoring sheet: scored 0..max_score, weighing `weight` of 100."""

    code: str
    name: str
    max_score: Decimal
    weight: Decimal


@dataclass(frozen=True, slots=True)
class ScoringSheet:
    """A version of the branch scoring sheet, in force from `effective_year` on."""

    version: str
    effective_year: int
    items: tuple[SheetItem, ...]

    def total(self, scores: Mapping[str, Decimal]) -> tuple[tuple[ItemScore, ...], Decimal]:
        """The item scores in sheet order and the weighted total out of 100; refuses scores
        that do not match the sheet."""
        codes = {i.code for i in self.items}
        if unknown := sorted(set(scores) - codes):
            raise Refused(
                f"评分表 {self.version} 没有以下项目: {', '.join(unknown)} (unknown items)"
            )
        if missing := [i.code for i in self.items if i.code not in scores]:
            raise Refused(f"缺少评分项目: {', '.join(missing)} (items missing)")
        total = Decimal(0)
        for item in self.items:
            score = scores[item.code]
            if not Decimal(0) <= score <= item.max_score:
                raise Refused(f"{item.name} 得分须在 0–{item.max_score} 之间 (out of range)")
            total += score / item.max_score * item.weight
        items = tuple(ItemScore(code=i.code, score=scores[i.code]) for i in self.items)
        return items, total.quantize(_CENT, ROUND_HALF_UP)


def sheet_from_dict(data: Mapping[str, Any]) -> ScoringSheet:
    """Check a scoring sheet's content and build it; `ValueError` says what is wrong."""
    items = tuple(
        SheetItem(
            str(i["code"]), str(i["name"]), Decimal(str(i["max_score"])), Decimal(str(i["weight"]))
        )
        for i in data["items"]
    )
    sheet = ScoringSheet(str(data["version"]), int(data["effective_year"]), items)
    if not items or len({i.code for i in items}) != len(items):
        raise ValueError(f"sheet {sheet.version}: items missing or codes repeated")
    if any(i.max_score <= 0 or i.weight <= 0 for i in items):
        raise ValueError(f"sheet {sheet.version}: max scores and weights must be positive")
    if sum(i.weight for i in items) != 100:
        raise ValueError(f"sheet {sheet.version}: weights must add up to 100")
    return sheet


class ScoringSheets:
    """All versions of the sheet; a period uses the newest in force in its year."""

    def __init__(self, sheets: Sequence[ScoringSheet]) -> None:
        if not sheets:
            raise ValueError("at least one scoring sheet is needed")
        self.sheets = tuple(sorted(sheets, key=lambda s: s.effective_year))

    def for_year(self, year: int) -> ScoringSheet:
        in_force = [s for s in self.sheets if s.effective_year <= year]
        if not in_force:
            raise Refused(f"{year} 年没有适用的考核评分表 (no scoring sheet in force)")
        return in_force[-1]

    def version(self, version: str) -> ScoringSheet:
        for sheet in self.sheets:
            if sheet.version == version:
                return sheet
        raise Refused(f"评分表版本 {version} 不存在 (unknown sheet version)")


@dataclass(frozen=True, slots=True)
class Cut:
    """The ranking and who falls in the bottom band."""

    ranking: tuple[RankedBranch, ...]
    quota: int
    ceiling: int
    designated: tuple[str, ...]


def check_share(share: Decimal) -> None:
    if not BAND_MIN <= share <= BAND_MAX:
        raise Refused(
            f"软弱涣散比例须在 {BAND_MIN}%–{BAND_MAX}% 之间，不能是 {share}% (outside the band)"
        )


def rank(scores: Mapping[str, Decimal]) -> tuple[RankedBranch, ...]:
    """Best first; equal totals share a rank (ties listed by branch id)."""
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(
        RankedBranch(branch_id=b, score=s, rank=1 + sum(1 for o in scores.values() if o > s))
        for b, s in ordered
    )


def weak_cut(scores: Mapping[str, Decimal], share: Decimal) -> Cut:
    """The bottom band of a set of branch totals (see the module's rules)."""
    check_share(share)
    if not scores:
        raise Refused("尚无支部评分，不能排名 (no branch scored)")
    band = bottom_band(scores, share, BAND_MAX)
    if band.tied_over:
        cutoff = scores[band.tied_over[0]]
        raise Refused(
            f"末位 {cutoff} 分并列的支部 ({', '.join(band.tied_over)}) 全部认定将超过 10% 上限 "
            f"({band.ceiling} 个)，请复核评分 (a tie at the cut-off exceeds the 10 % ceiling)"
        )
    return Cut(rank(scores), band.quota, band.ceiling, band.designated)


class Assessment(Aggregate):
    """The assessment of the branches for one period (`assessment-<period>`)."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.period = ""
        self.sheet_version = ""
        self.share = Decimal(0)
        self.opened_on: dt.date | None = None
        self.scores: dict[str, BranchScored] = {}
        self.concluded: AssessmentConcluded | None = None

    def open(self, *, period: str, sheet: ScoringSheet, share: Decimal, on: dt.date) -> None:
        period_key(period)
        if self.exists:
            raise AlreadyExists(f"{period} 考核已开始 (already opened)")
        check_share(share)
        self._record(
            AssessmentOpened(
                period=period, sheet_version=sheet.version, weak_share_percent=share, opened_on=on
            )
        )

    def score(
        self, *, branch_id: str, scores: Mapping[str, Decimal], sheet: ScoringSheet, on: dt.date
    ) -> None:
        self._open_on(on)
        if sheet.version != self.sheet_version:
            raise Refused(f"本次考核使用评分表 {self.sheet_version} (wrong sheet)")
        items, total = sheet.total(scores)
        self._record(
            BranchScored(
                period=self.period, branch_id=branch_id, items=items, total=total, scored_on=on
            )
        )

    def conclude(self, *, on: dt.date) -> Cut:
        self._open_on(on)
        if late := [s.branch_id for s in self.scores.values() if s.scored_on > on]:
            raise Refused(f"结论日期早于评分日期: {', '.join(late)} (before a score)")
        cut = weak_cut({b: s.total for b, s in self.scores.items()}, self.share)
        self._record(
            AssessmentConcluded(
                period=self.period,
                ranking=cut.ranking,
                quota=cut.quota,
                designated=cut.designated,
                concluded_on=on,
            )
        )
        return cut

    def _open_on(self, on: dt.date) -> None:
        if not self.exists:
            raise Refused("考核尚未开始 (the assessment is not open)")
        if self.concluded is not None:
            raise Refused(f"{self.period} 考核已结束 (already concluded)")
        assert self.opened_on is not None
        if on < self.opened_on:
            raise Refused(f"日期早于考核开始日期 {self.opened_on} (before the opening)")

    def _apply(self, event: Event) -> None:
        match event:
            case AssessmentOpened():
                self.period, self.sheet_version = event.period, event.sheet_version
                self.share, self.opened_on = event.weak_share_percent, event.opened_on
            case BranchScored():
                self.scores[event.branch_id] = event
            case AssessmentConcluded():
                self.concluded = event
            case _:
                raise TypeError(f"Assessment cannot apply {type(event).__name__}")
