"""Livelihood projects (重点民生实事项目, measure 2): listed for the town or a village by
category, then started, accepted (验收) and looked after (后续管理)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from relief.domain.events import (
    AfterCareRecorded,
    LivelihoodProjectAccepted,
    LivelihoodProjectListed,
    LivelihoodProjectStarted,
)
from relief.domain.values import PROJECT_CATEGORIES, check_vocabulary, not_before
from shared.kernel import Aggregate, AlreadyExists, Event, Refused


class ProjectStatus(StrEnum):
    """planned → started → accepted → after_care."""

    PLANNED = "planned"  # 计划
    STARTED = "started"  # 实施中
    ACCEPTED = "accepted"  # 已验收
    AFTER_CARE = "after_care"  # 后续管理


def project_stream(project_id: str) -> str:
    return f"project-{project_id}"


class LivelihoodProject(Aggregate):
    """One project of a town or village list; each step in order, each dated."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.project_id = ""
        self.name = ""
        self.category = ""
        self.village: str | None = None
        self.description = ""
        self.lead_unit = ""
        self.budget: Decimal | None = None
        self.due_on: dt.date | None = None
        self.listed_on: dt.date | None = None
        self.started_on: dt.date | None = None
        self.accepted_on: dt.date | None = None
        self.accepted_by = ""
        self.result = ""
        self.after_care: list[AfterCareRecorded] = []
        self.status = ProjectStatus.PLANNED

    @classmethod
    def list_project(
        cls,
        *,
        project_id: str,
        name: str,
        category: str,
        village: str | None,
        description: str,
        lead_unit: str,
        budget: Decimal | None,
        due_on: dt.date | None,
        on: dt.date,
    ) -> LivelihoodProject:
        check_vocabulary(category, PROJECT_CATEGORIES, "项目类别")
        if not name.strip() or not lead_unit.strip():
            raise Refused("须注明项目名称和牵头单位 (name and lead unit are required)")
        if budget is not None and budget < 0:
            raise Refused("预算不能为负数 (budget cannot be negative)")
        if due_on is not None and due_on < on:
            raise Refused(f"完成时限 {due_on} 早于立项日期 {on} (deadline before listing)")
        project = cls(project_stream(project_id))
        project._record(
            LivelihoodProjectListed(
                project_id=project_id,
                name=name.strip(),
                category=category,
                village=village,
                description=description.strip(),
                lead_unit=lead_unit.strip(),
                budget=budget,
                due_on=due_on,
                listed_on=on,
            )
        )
        return project

    def start(self, *, on: dt.date) -> None:
        if self.status != ProjectStatus.PLANNED:
            raise Refused(f"项目已开工 ({self.started_on}) (already started)")
        not_before(on, self.listed_on, "开工", "立项")
        self._record(LivelihoodProjectStarted(project_id=self.project_id, started_on=on))

    def accept(self, *, accepted_by: str, result: str, on: dt.date) -> None:
        if self.status == ProjectStatus.PLANNED:
            raise Refused("项目尚未开工，不能验收 (not started: cannot be accepted)")
        if self.status != ProjectStatus.STARTED:
            raise AlreadyExists(f"项目已于 {self.accepted_on} 验收 (already accepted)")
        if not accepted_by.strip() or not result.strip():
            raise Refused("验收须注明验收人和验收结论 (who accepted and the result)")
        not_before(on, self.started_on, "验收", "开工")
        self._record(
            LivelihoodProjectAccepted(
                project_id=self.project_id,
                accepted_by=accepted_by.strip(),
                result=result.strip(),
                accepted_on=on,
            )
        )

    def record_after_care(self, *, responsible: str, note: str, on: dt.date) -> None:
        if self.status not in (ProjectStatus.ACCEPTED, ProjectStatus.AFTER_CARE):
            raise Refused("项目验收后才能记录后续管理 (after-care follows acceptance)")
        if not responsible.strip() or not note.strip():
            raise Refused("须注明责任人和管理情况 (responsible and note are required)")
        not_before(on, self.accepted_on, "后续管理", "验收")
        self._record(
            AfterCareRecorded(
                project_id=self.project_id,
                responsible=responsible.strip(),
                note=note.strip(),
                recorded_on=on,
            )
        )

    def _apply(self, event: Event) -> None:
        match event:
            case LivelihoodProjectListed():
                self.project_id, self.name, self.category = (
                    event.project_id,
                    event.name,
                    event.category,
                )
                self.village, self.description = event.village, event.description
                self.lead_unit, self.budget = event.lead_unit, event.budget
                self.due_on, self.listed_on = event.due_on, event.listed_on
            case LivelihoodProjectStarted():
                self.status, self.started_on = ProjectStatus.STARTED, event.started_on
            case LivelihoodProjectAccepted():
                self.status, self.accepted_on = ProjectStatus.ACCEPTED, event.accepted_on
                self.accepted_by, self.result = event.accepted_by, event.result
            case AfterCareRecorded():
                self.status = ProjectStatus.AFTER_CARE
                self.after_care.append(event)
