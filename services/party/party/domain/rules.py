"""The points rule book (党员积分制, "两考四评"): awards and deductions by code with per-year
caps, the yearly levels (等次) with their thresholds, and the membership rules that use points
(probationary conversion, transfers). The book itself is a versioned YAML file
(`party/rules/points-*.yaml`); this module only checks and interprets its content."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.kernel import Refused

AWARD = "award"
DEDUCTION = "deduction"


@dataclass(frozen=True, slots=True)
class PointsRule:
    """One line of the book: an award (加分) or a deduction (扣分) of `points` per occurrence,
    under one of the 两考四评 categories, with an optional cap per member and year."""

    code: str
    name: str
    kind: str
    category: str
    points: int
    cap_per_year: int | None = None


@dataclass(frozen=True, slots=True)
class Level:
    """A yearly grade (等次); `min_points` is the lowest year total reaching it (None: the
    lowest level). `unqualified` marks the level that opens the 不合格党员 procedure."""

    code: str
    name: str
    min_points: int | None
    unqualified: bool = False


@dataclass(frozen=True, slots=True)
class RuleBook:
    """One version of the rule book, in force from `effective_year` on."""

    version: str
    effective_year: int
    base_points: int
    rules: tuple[PointsRule, ...]
    levels: tuple[Level, ...]
    probation_months: int
    conversion_min_points: int | None
    transfer_min_points: int | None
    transfer_blocked_while_unqualified: bool
    accountability_kinds: tuple[tuple[str, str], ...]
    accountability_default: str

    def rule(self, code: str) -> PointsRule:
        """The rule with this code, or a refusal naming the book."""
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise Refused(f"积分规则 {code} 不在规则手册 {self.version} 中 (no such rule)")

    def grade(self, points: int) -> Level:
        """The level a year total reaches."""
        for level in self.levels:
            if level.min_points is None or points >= level.min_points:
                return level
        raise AssertionError("the lowest level has no minimum")  # checked when loading

    @property
    def unqualified_below(self) -> int:
        """Year totals below this are graded unqualified (不合格)."""
        floor = self.levels[-2].min_points
        assert floor is not None
        return floor

    def for_accountability(self, kind: str) -> PointsRule:
        """The deduction rule for an accountability kind (问责方式), or the default one."""
        code = dict(self.accountability_kinds).get(kind.strip(), self.accountability_default)
        return self.rule(code)


class RuleBooks:
    """All versions of the rule book; a year is governed by the newest book in force."""

    def __init__(self, books: Sequence[RuleBook]) -> None:
        if not books:
            raise ValueError("at least one rule book is needed")
        self.books = tuple(sorted(books, key=lambda b: b.effective_year))

    def for_year(self, year: int) -> RuleBook:
        in_force = [b for b in self.books if b.effective_year <= year]
        if not in_force:
            raise Refused(f"{year} 年没有适用的积分规则手册 (no rule book in force)")
        return in_force[-1]

    def version(self, version: str) -> RuleBook:
        for book in self.books:
            if book.version == version:
                return book
        raise Refused(f"积分规则手册版本 {version} 不存在 (unknown rule book version)")


def rule_book_from_dict(data: Mapping[str, Any]) -> RuleBook:
    """Check a rule book's content and build it; `ValueError` says what is wrong."""
    rules = tuple(
        PointsRule(
            code=str(r["code"]),
            name=str(r["name"]),
            kind=str(r["kind"]),
            category=str(r["category"]),
            points=int(r["points"]),
            cap_per_year=None if r.get("cap_per_year") is None else int(r["cap_per_year"]),
        )
        for r in data["rules"]
    )
    levels = tuple(
        Level(
            code=str(x["code"]),
            name=str(x["name"]),
            min_points=None if x.get("min_points") is None else int(x["min_points"]),
            unqualified=bool(x.get("unqualified", False)),
        )
        for x in data["levels"]
    )
    membership = data.get("membership", {})
    accountability = data["accountability"]
    book = RuleBook(
        version=str(data["version"]),
        effective_year=int(data["effective_year"]),
        base_points=int(data["base_points"]),
        rules=rules,
        levels=levels,
        probation_months=int(membership.get("probation_months", 12)),
        conversion_min_points=_optional_int(membership.get("conversion_min_points")),
        transfer_min_points=_optional_int(membership.get("transfer_min_points")),
        transfer_blocked_while_unqualified=bool(
            membership.get("transfer_blocked_while_unqualified", True)
        ),
        accountability_kinds=tuple(
            (str(k), str(v)) for k, v in (accountability.get("kinds") or {}).items()
        ),
        accountability_default=str(accountability["default"]),
    )
    _check(book)
    return book


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _check(book: RuleBook) -> None:
    codes = [r.code for r in book.rules]
    if len(set(codes)) != len(codes):
        raise ValueError(f"rule book {book.version}: duplicate rule codes")
    for rule in book.rules:
        if rule.kind not in (AWARD, DEDUCTION):
            raise ValueError(f"rule {rule.code}: kind must be award or deduction")
        if rule.points <= 0:
            raise ValueError(f"rule {rule.code}: points must be positive")
        if rule.cap_per_year is not None and rule.cap_per_year < rule.points:
            raise ValueError(f"rule {rule.code}: the cap is below one occurrence")
    levels = book.levels
    if len(levels) < 2 or levels[-1].min_points is not None or not levels[-1].unqualified:
        raise ValueError("levels: the last level has no minimum and is the unqualified one")
    minimums = [x.min_points for x in levels[:-1]]
    if any(m is None for m in minimums) or minimums != sorted(minimums, reverse=True):  # type: ignore[type-var]
        raise ValueError("levels: highest first, each with a minimum but the last")
    if any(x.unqualified for x in levels[:-1]):
        raise ValueError("levels: only the last level is unqualified")
    accountability_codes = {code for _, code in book.accountability_kinds}
    for code in accountability_codes | {book.accountability_default}:
        found = book.rule(code) if code in codes else None
        if found is None or found.kind != DEDUCTION or found.cap_per_year is not None:
            raise ValueError(f"accountability rule {code}: must be an uncapped deduction")
    if book.probation_months <= 0:
        raise ValueError("membership.probation_months must be positive")
