"""The registered poor household (建档立卡贫困户): its record, income, the "两不愁三保障",
exit from poverty (脱贫) and return (返贫), its one-to-one pairing (结对帮扶) with visits, and
the measures of the five projects (五大工程) planned for it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from relief.domain.events import (
    GuaranteesChecked,
    Helper,
    HouseholdExitedPoverty,
    HouseholdIncomeAssessed,
    HouseholdPaired,
    HouseholdRecordCorrected,
    HouseholdRegistered,
    HouseholdRepaired,
    HouseholdReturnedToPoverty,
    HouseholdVisited,
    ReliefMeasureCompleted,
    ReliefMeasurePlanned,
)
from relief.domain.helpers import same_helper
from relief.domain.household_record import Person, members_of, valid_causes
from relief.domain.household_state import HouseholdState
from relief.domain.values import (
    FIVE_PROJECTS,
    HEAD_RELATION,
    Guarantees,
    HouseholdStatus,
    check_vocabulary,
    not_before,
)
from shared.kernel import AlreadyExists, NotFound, Refused, above_poverty_line


def household_stream(household_id: str) -> str:
    return f"household-{household_id}"


class Household(HouseholdState):
    """A registered poor household; the rules of measure 1 for one household."""

    @classmethod
    def register(
        cls,
        *,
        household_id: str,
        village: str,
        village_code: str,
        head: Person,
        members: list[Person],
        causes: list[str],
        income_per_head: Decimal,
        on: dt.date,
    ) -> Household:
        if income_per_head < 0:
            raise Refused("人均纯收入不能为负数 (income per head cannot be negative)")
        household = cls(household_stream(household_id))
        records = members_of(head, members)
        household._record(
            HouseholdRegistered(
                household_id=household_id,
                village=village,
                village_code=village_code,
                head_name=records[0].name,
                head_id_number=records[0].id_number,
                members=records,
                causes=valid_causes(causes),
                income_per_head=income_per_head,
                registered_on=on,
            )
        )
        return household

    def correct(
        self, *, head_name: str, members: list[Person], causes: list[str], reason: str, on: dt.date
    ) -> None:
        """Correct the record; the head's ID number is the household's key and stays."""
        not_before(on, self.registered_on, "更正", "建档")
        head = Person(head_name, self.head_id_number, HEAD_RELATION)
        records, checked_causes = members_of(head, members), valid_causes(causes)
        if (records, checked_causes) == (self.members, self.causes):
            raise Refused("更正内容与现有记录相同 (nothing to correct)")
        if not reason.strip():
            raise Refused("更正须说明原因 (a reason is required)")
        self._record(
            HouseholdRecordCorrected(
                household_id=self.household_id,
                head_name=records[0].name,
                members=records,
                causes=checked_causes,
                reason=reason.strip(),
                corrected_on=on,
            )
        )

    def assess_income(self, *, year: int, income_per_head: Decimal, on: dt.date) -> None:
        if income_per_head < 0:
            raise Refused("人均纯收入不能为负数 (income per head cannot be negative)")
        if year > on.year:
            raise Refused(f"不能在 {on} 核定 {year} 年度收入 (a year not yet begun)")
        not_before(on, self.registered_on, "收入核定", "建档")
        self._record(
            HouseholdIncomeAssessed(
                household_id=self.household_id,
                year=year,
                income_per_head=income_per_head,
                assessed_on=on,
            )
        )

    def check_guarantees(self, checks: Guarantees, *, notes: str, on: dt.date) -> None:
        not_before(on, self.registered_on, "核验", "建档")
        self._record(
            GuaranteesChecked(
                household_id=self.household_id,
                food=checks.food,
                clothing=checks.clothing,
                education=checks.education,
                medical=checks.medical,
                housing=checks.housing,
                notes=notes.strip(),
                checked_on=on,
            )
        )

    def exit_poverty(self, *, line: Decimal, revision: str, on: dt.date) -> None:
        """脱贫: income per head of the exit year above that year's line, and every one of the
        "两不愁三保障" recorded as met. All unmet conditions are named at once."""
        if self.status == HouseholdStatus.EXITED:
            raise Refused(f"该户已于 {self.exited_on} 脱贫 (already exited poverty)")
        not_before(on, self.status_since, "脱贫", "上次状态变更")
        reasons = []
        income = self.incomes.get(on.year)
        if income is None:
            reasons.append(f"尚无 {on.year} 年度人均纯收入核定 (no income assessed for {on.year})")
        elif not above_poverty_line(income, line):
            reasons.append(
                f"{on.year} 年人均纯收入 {income} 元未超过贫困线 {line} 元 "
                f"(income per head {income} is not above the line {line})"
            )
        if self.guarantees is None:
            reasons.append("尚未记录“两不愁三保障”核验 (the 两不愁三保障 have not been checked)")
        elif unmet := self.guarantees.unmet():
            reasons.append(f"“两不愁三保障”未达到：{'、'.join(unmet)} (not yet met)")
        if reasons:
            raise Refused("不能脱贫 (exit refused)：" + "；".join(reasons))
        assert income is not None
        self._record(
            HouseholdExitedPoverty(
                household_id=self.household_id,
                exited_on=on,
                income_per_head=income,
                poverty_line=line,
                line_year=on.year,
                policy_revision=revision,
            )
        )

    def return_to_poverty(
        self, *, reason: str, income_per_head: Decimal | None, on: dt.date
    ) -> None:
        if self.status != HouseholdStatus.EXITED:
            raise Refused("只有已脱贫的户才能登记返贫 (only an exited household can return)")
        if not reason.strip():
            raise Refused("返贫须说明原因 (a reason is required)")
        if income_per_head is not None and income_per_head < 0:
            raise Refused("人均纯收入不能为负数 (income per head cannot be negative)")
        not_before(on, self.exited_on, "返贫", "脱贫")
        self._record(
            HouseholdReturnedToPoverty(
                household_id=self.household_id,
                returned_on=on,
                reason=reason.strip(),
                income_per_head=income_per_head,
            )
        )

    # --- 结对帮扶 ---------------------------------------------------------------------------

    def pair(self, helper: Helper, *, on: dt.date) -> None:
        """One helper per household at a time; a change of helper is a re-pairing."""
        if self.helper is not None:
            if same_helper(self.helper, helper):
                raise AlreadyExists(f"该户已与 {helper.name} 结对 (already paired with them)")
            raise Refused(
                f"该户已与 {self.helper.name} 结对，一户只能有一位帮扶责任人；更换请用“重新结对”"
                "并说明原因 (already paired: re-pair with a reason)"
            )
        not_before(on, self.registered_on, "结对", "建档")
        self._record(HouseholdPaired(household_id=self.household_id, helper=helper, paired_on=on))

    def repair(self, helper: Helper, *, reason: str, on: dt.date) -> None:
        if self.helper is None:
            raise Refused("该户尚未结对，请先结对 (not paired yet: pair first)")
        if same_helper(self.helper, helper):
            raise Refused(f"{helper.name} 已是该户的帮扶责任人 (already the helper)")
        if not reason.strip():
            raise Refused("重新结对须说明原因 (a reason is required)")
        not_before(on, self.paired_on, "重新结对", "结对")
        self._record(
            HouseholdRepaired(
                household_id=self.household_id,
                previous=self.helper,
                helper=helper,
                reason=reason.strip(),
                repaired_on=on,
            )
        )

    def visit(self, *, visit_id: str, notes: str, on: dt.date, visitor: str | None) -> None:
        if visit_id in self.visits:
            raise AlreadyExists(f"走访记录 {visit_id} 已存在 (visit already recorded)")
        if self.helper is None:
            raise Refused("该户尚未结对，不能记录走访 (not paired: no visit can be recorded)")
        if not notes.strip():
            raise Refused("走访须记录情况 (visit notes are required)")
        not_before(on, self.paired_on, "走访", "结对")
        self._record(
            HouseholdVisited(
                household_id=self.household_id,
                visit_id=visit_id,
                visitor=(visitor or "").strip() or self.helper.name,
                notes=notes.strip(),
                visited_on=on,
            )
        )

    # --- 五大工程 ---------------------------------------------------------------------------

    def plan_measure(self, *, measure_id: str, project: str, description: str, on: dt.date) -> None:
        if measure_id in self.measures:
            raise AlreadyExists(f"措施 {measure_id} 已存在 (measure already planned)")
        check_vocabulary(project, FIVE_PROJECTS, "五大工程类别")
        if not description.strip():
            raise Refused("措施须有内容 (a description is required)")
        not_before(on, self.registered_on, "措施计划", "建档")
        self._record(
            ReliefMeasurePlanned(
                household_id=self.household_id,
                measure_id=measure_id,
                project=project,
                description=description.strip(),
                planned_on=on,
            )
        )

    def complete_measure(self, *, measure_id: str, outcome: str, on: dt.date) -> None:
        measure = self.measures.get(measure_id)
        if measure is None:
            raise NotFound(f"该户没有措施 {measure_id} (no such measure)")
        if measure.completed_on is not None:
            raise Refused(f"措施已于 {measure.completed_on} 完成 (already completed)")
        not_before(on, measure.planned_on, "措施完成", "计划")
        self._record(
            ReliefMeasureCompleted(
                household_id=self.household_id,
                measure_id=measure_id,
                outcome=outcome.strip(),
                completed_on=on,
            )
        )
