"""The county generator's village governance episodes (issue 15): 四议两公开 decisions and the
collective projects started under them, a quarter of a village's books and its disclosure
(sometimes differing: a mismatch red flag; sometimes an expense missing a step: a breach and its
problem-list item), committee findings, and each year's end — the committees' reports (or an
overdue one), the next year's power lists, the appraisal with its review scores, results and
referrals.

Their randomness is their own (`gov`), so the county's other episodes are chosen as before.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from projection.synthetic import funds as fu
from projection.synthetic import party as pa
from projection.synthetic import supervision as su
from projection.synthetic.factory import EnvelopeFactory
from shared.envelope import Envelope
from shared.town import Village

UNITS = ("扶贫办", "经济发展办", "党政综合办", "社会事务办")
PROJECTS = ("光伏发电", "油茶基地", "农家乐", "乡村旅游", "标准厂房出租", "土地流转合作社")


@dataclass
class Place:
    """A village or community with the ids the county's episodes reuse."""

    village: Village
    branch_id: str
    members: list[tuple[str, str]] = field(default_factory=list)  # (member id, name)


class GovernanceEpisodes:
    """Mixed into the county generator: it gives `f`, `places`, `after` and `name`."""

    f: EnvelopeFactory
    gov: random.Random
    places: list[Place]
    years_closed: set[int]
    last_day: dt.date
    after: Callable[[dt.date, int, int], dt.date]
    name: Callable[[], str]

    def governance_prelude(self, day: dt.date) -> Iterator[Envelope]:
        """Every village's 村务监督委员会 (a chair and two members) and its 2016 power list."""
        f, r = self.f, self.gov
        for p in self.places:
            v = p.village
            for n, position in enumerate(("主任", "委员", "委员")):
                yield su.committee_member_appointed(
                    f, v.name, v.code, f"{v.code}-cm{n}", self.name(), position, day
                )
            if r.random() < 0.8:
                yield su.power_list_published(f, v.name, v.code, 2016, 1, self.after(day, 20, 40))

    def governance(self, day: dt.date) -> Iterator[Envelope]:
        """One governance episode (after closing any year that has ended by `day`)."""
        for year in range(2016, min(day.year, self.last_day.year)):
            if year not in self.years_closed:
                self.years_closed.add(year)
                yield from self.year_end(year)
        roll = self.gov.random()
        if roll < 0.45:
            yield from self.decision(day)
        elif roll < 0.9:
            yield from self.books_quarter(day)
        else:
            yield from self.finding(day)

    def decision(self, day: dt.date) -> Iterator[Envelope]:
        f, r, p = self.f, self.gov, self.gov.choice(self.places)
        v, decision = p.village, f.new_id()
        kind = "collective_project" if r.random() < 0.7 else "asset_disposal"
        subject = r.choice(PROJECTS) if kind == "collective_project" else f"{v.code[-3:]}-001"
        yield fu.decision_proposed(f, decision, v.name, v.code, kind, subject, day)
        when = day
        for step, members in (("consulted", 7), ("reviewed", 40), ("resolved", 35)):
            when = self.after(when, 5, 15)
            present = members - r.randint(0, members // 4)
            passed = r.random() < 0.93
            votes_for = present - r.randint(0, present // 3) if passed else present // 3
            yield fu.decision_meeting(
                f,
                decision,
                v.name,
                step,
                when,
                members=members,
                present=present,
                votes_for=votes_for,
                votes_against=present - votes_for,
            )
            if not passed:
                f.forget(f"decision-{decision}")
                return
        if r.random() < 0.1:  # resolved, not yet disclosed
            return
        disclosed = self.after(when, 3, 10)
        yield fu.resolution_disclosed(f, decision, v.name, disclosed)
        if kind == "collective_project":
            yield fu.collective_project_started(
                f,
                f.new_id(),
                v.name,
                v.code,
                subject,
                decision,
                f"{r.randint(50, 500) * 1000}.00",
                self.after(disclosed, 5, 30),
            )
        if r.random() < 0.65:  # the rest stay undisclosed: overdue after 90 days
            yield fu.result_disclosed(
                f, decision, v.name, "已按决议实施", self.after(disclosed, 40, 85)
            )
        f.forget(f"decision-{decision}")

    def books_quarter(self, day: dt.date) -> Iterator[Envelope]:
        """A quarter of a village's books (the agency's entries), then its disclosure."""
        f, r, p = self.f, self.gov, self.gov.choice(self.places)
        v = p.village
        quarter = (day.month - 1) // 3
        months = [f"{day.year}-{3 * quarter + m:02d}" for m in (1, 2, 3)]
        totals = {"income": Decimal(0), "expense": Decimal(0)}
        for month in months:
            for kind in ("income", "expense"):
                if r.random() < 0.7:
                    amount = Decimal(r.randint(1_000, 60_000))
                    totals[kind] += amount
                    recorded = dt.date(int(month[:4]), int(month[5:]), r.randint(5, 25))
                    skipped = kind == "expense" and r.random() < 0.15
                    entry = fu.book_entry(
                        f,
                        v.name,
                        v.code,
                        month,
                        kind,
                        f"{amount}.00",
                        recorded,
                        steps=("handled", "approved", "booked") if skipped else fu.EXPENSE_STEPS,
                    )
                    yield entry
                    if skipped:
                        yield from self.breach(entry, v, recorded)
        period = f"{day.year}Q{quarter + 1}"  # as funds writes a quarter (str(Quarter))
        end_month = 3 * quarter + 3
        disclosed_on = min(
            dt.date(day.year + (end_month == 12), end_month % 12 + 1, r.randint(5, 15)),
            self.last_day,
        )
        spent = totals["expense"]
        mismatch = r.random() < 0.2
        if mismatch:
            spent += r.randint(1_000, 9_000)
        yield fu.finance_disclosed(
            f, v.name, v.code, period, f"{totals['income']}.00", f"{spent}.00", disclosed_on
        )
        if mismatch:
            yield fu.red_flag_raised(
                f,
                f.new_id(),
                "FUNDS-DISCLOSURE-MISMATCH",
                "公开数与账簿不符",
                v.name,
                None,
                f"disclosure:{v.code}:{period}",
                f"公开支出 {spent}.00 元，账簿支出 {totals['expense']}.00 元",
                disclosed_on,
                severity="medium",
            )

    def breach(self, act: Envelope, v: Village, day: dt.date) -> Iterator[Envelope]:
        f = self.f
        item = f.new_id()
        yield su.power_flow_breached(
            f,
            str(act.event_id),
            act.event_type,
            v.name,
            "finance",
            ["reviewed_by_committee"],
            item,
            day,
        )
        yield su.item_listed(
            f,
            item,
            "小微权力运行缺少步骤：村务监督委员会审核",
            6,
            day + dt.timedelta(days=30),
            v.name,
            day,
            source="自己找",
        )
        f.forget(f"breach-{act.event_id}")

    def finding(self, day: dt.date) -> Iterator[Envelope]:
        f, p = self.f, self.gov.choice(self.places)
        v, item = p.village, f.new_id()
        title = self.gov.choice(
            ("村务公开栏未按季更新", "报销凭证未经监委会审核", "工程未公开招标")
        )
        yield su.committee_finding(f, v.name, v.code, f.new_id(), title, item, day)
        yield su.item_listed(
            f, item, title, 6, self.after(day, 20, 40), v.name, day, source="群众提"
        )

    def year_end(self, year: int) -> Iterator[Envelope]:
        """The committees' reports for `year` (or overdue), the next year's power lists, and
        the appraisal of `year` (facts, review scores, results, referrals)."""
        f, r = self.f, self.gov
        january = dt.date(year + 1, 1, 10)
        for p in self.places:
            v = p.village
            if r.random() < 0.85:
                yield su.committee_report_made(
                    f, v.name, v.code, year, january + dt.timedelta(days=r.randint(0, 20))
                )
            else:
                yield su.committee_report_overdue(f, v.name, v.code, year, dt.date(year + 1, 2, 1))
            if r.random() < 0.8:
                yield su.power_list_published(f, v.name, v.code, year + 1, 1, january)
        subjects = [("unit", u, u) for u in UNITS] + [
            ("branch_secretary", p.branch_id, p.members[0][1]) for p in self.places if p.members
        ]
        facts = [su.unit_facts(u, items=(8, r.randint(0, 4))) for u in UNITS] + [
            su.unit_facts(p.village.name, "village", items=(4, r.randint(0, 3)))
            for p in self.places
        ]
        yield su.appraisal_facts_recorded(f, year, dt.date(year, 12, 31), facts, january)
        scored = []
        for kind, subject, name in subjects:
            review = Decimal(r.randint(50, 100))
            facts_score = Decimal(100 - 10 * r.randint(0, 5))
            yield pa.review_score_recorded(
                f, year, kind, subject, name, str(review), january + dt.timedelta(days=15)
            )
            scored.append(
                (
                    facts_score * Decimal("0.6") + review * Decimal("0.4"),
                    kind,
                    subject,
                    name,
                    facts_score,
                    review,
                )
            )
        scored.sort(key=lambda s: (-s[0], s[3]))
        bottom = max(1, len(scored) // 10)
        results, referred = [], []
        for rank, (total, kind, subject, name, facts_score, review) in enumerate(scored, 1):
            grade = (
                "优秀"
                if total >= 90
                else "称职"
                if total >= 75
                else "基本称职"
                if total >= 60
                else "不称职"
            )
            refer = grade == "不称职" or rank > len(scored) - bottom
            results.append(
                pa.appraisal_result(
                    kind,
                    subject,
                    name,
                    str(facts_score),
                    str(review),
                    str(total),
                    grade,
                    rank,
                    referred=refer,
                    overdue_items=int((100 - facts_score) / 10),
                )
            )
            if refer:
                referred.append((kind, subject, name))
        concluded = dt.date(year + 1, 2, 10)
        yield pa.appraisal_concluded(f, year, results, concluded)
        for kind, subject, name in referred:
            yield pa.inaction_referred(f, year, kind, subject, name, concluded)
