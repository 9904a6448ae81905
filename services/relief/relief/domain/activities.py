"""The five activities (五大活动) of measure 1 with the plan's targets. Each activity of the town
is one ledger (one stream) of dated records; progress against the target is derived from them,
"as of" any day. (The second activity, 支部连村、党员联户, is the households' pairing.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from relief.domain.events import (
    EnterprisePairedWithVillage,
    FreeClinicHeld,
    PostsProvided,
    StudentHelped,
)
from relief.domain.values import POST_KINDS, Targets, check_vocabulary
from shared.kernel import (
    Aggregate,
    AlreadyExists,
    Event,
    Refused,
    medical_staff_key,
    student_key,
)

#: The activity ledgers: wire name → Chinese name of the plan's activity.
ACTIVITIES = {
    "enterprise-pairings": "企业联农村、脱贫奔小康",
    "posts": "岗位技能送上门、就业服务下基层",
    "students": "大手拉小手、爱心促成长",
    "clinics": "送医送药送健康、百场义诊进乡村",
}


#: Every line of the progress view: the ledgers and the households' pairing.
LABELS = ACTIVITIES | {"pairing": "支部连村、党员联户"}


def activity_stream(town: str, activity: str) -> str:
    return f"activity-{town}-{activity}"


@dataclass(frozen=True, slots=True)
class Progress:
    """One target of the plan and how far the records have come."""

    activity: str
    measure: str
    done: int
    target: int
    deadline: dt.date

    @property
    def achieved(self) -> bool:
        return self.done >= self.target

    @property
    def percent(self) -> int:
        return 100 if self.target <= 0 else min(100, self.done * 100 // self.target)


def _names(people: Iterable[str]) -> list[str]:
    return [p.strip() for p in people if p.strip()]


class ActivityLedger(Aggregate):
    """The dated records of one activity; a record id is taken once (409 on a repeat)."""

    activity: ClassVar[str] = ""
    LEDGER: ClassVar[bool] = True

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.records: dict[str, tuple[dt.date, Event]] = {}

    def _new(self, record_id: str, village: str) -> None:
        if record_id in self.records:
            raise AlreadyExists(f"记录 {record_id} 已存在 (record already exists)")
        if not village:
            raise Refused("须注明村/社区 (a village is required)")

    def as_of(self, day: dt.date | None) -> list[Event]:
        """The records that happened by `day` (all when None), in date order."""
        kept = [(d, e) for d, e in self.records.values() if day is None or d <= day]
        return [e for _, e in sorted(kept, key=lambda pair: pair[0])]

    def _apply(self, event: Event) -> None:
        record_id, day = _key(event)
        self.records[record_id] = (day, event)


def _key(event: Event) -> tuple[str, dt.date]:
    match event:
        case EnterprisePairedWithVillage():
            return event.record_id, event.paired_on
        case PostsProvided():
            return event.record_id, event.provided_on
        case StudentHelped():
            return event.record_id, event.helped_on
        case FreeClinicHeld():
            return event.record_id, event.held_on
    raise TypeError(f"not an activity record: {type(event).__name__}")


class EnterprisePairings(ActivityLedger):
    """企业联农村: private enterprises paired with the provincially designated poor villages."""

    activity = "enterprise-pairings"

    def record(
        self,
        *,
        record_id: str,
        enterprise: str,
        village: str,
        poor_village: bool,
        people: list[str],
        content: str,
        on: dt.date,
    ) -> None:
        self._new(record_id, village)
        if not poor_village:
            raise Refused(
                f"{village} 不是省定贫困村；企业联农村对接的是省定贫困村（石壁村） "
                "(enterprise pairing is for the provincially designated poor village)"
            )
        if not enterprise.strip():
            raise Refused("须注明企业名称 (the enterprise is required)")
        self._record(
            EnterprisePairedWithVillage(
                record_id=record_id,
                enterprise=enterprise.strip(),
                village=village,
                people=_names(people),
                content=content.strip(),
                paired_on=on,
            )
        )

    def progress(self, poor_villages: int, targets: Targets, as_of: dt.date | None) -> Progress:
        paired = {
            e.village for e in self.as_of(as_of) if isinstance(e, EnterprisePairedWithVillage)
        }
        return Progress(
            self.activity, "对接企业的省定贫困村", len(paired), poor_villages, targets.deadline
        )


class PostLedger(ActivityLedger):
    """Public-welfare and employment posts provided (target: 50)."""

    activity = "posts"

    def record(
        self,
        *,
        record_id: str,
        village: str,
        kind: str,
        employer: str,
        posts: int,
        people: list[str],
        on: dt.date,
    ) -> None:
        self._new(record_id, village)
        check_vocabulary(kind, POST_KINDS, "岗位类别")
        if posts < 1:
            raise Refused("岗位数须至少为 1 (at least one post)")
        named = _names(people)
        if len(named) > posts:
            raise Refused(f"上岗人员 {len(named)} 人多于岗位数 {posts} (more people than posts)")
        self._record(
            PostsProvided(
                record_id=record_id,
                village=village,
                kind=kind,
                employer=employer.strip(),
                posts=posts,
                people=named,
                provided_on=on,
            )
        )

    def progress(self, targets: Targets, as_of: dt.date | None) -> Progress:
        done = sum(e.posts for e in self.as_of(as_of) if isinstance(e, PostsProvided))
        return Progress(
            self.activity, "公益性岗位、就业岗位", done, targets.posts, targets.deadline
        )


class StudentAid(ActivityLedger):
    """Poor students helped (target: 10 students; a student helped twice counts once)."""

    activity = "students"

    def record(
        self,
        *,
        record_id: str,
        village: str,
        student_name: str,
        school: str,
        support: str,
        amount: Decimal | None,
        people: list[str],
        on: dt.date,
    ) -> None:
        self._new(record_id, village)
        if not student_name.strip() or not support.strip():
            raise Refused("须注明学生姓名和帮扶内容 (student and support are required)")
        if amount is not None and amount <= 0:
            raise Refused("资助金额须大于 0 (an amount must be positive)")
        self._record(
            StudentHelped(
                record_id=record_id,
                village=village,
                student_name=student_name.strip(),
                school=school.strip(),
                support=support.strip(),
                amount=amount,
                people=_names(people),
                helped_on=on,
            )
        )

    def progress(self, targets: Targets, as_of: dt.date | None) -> Progress:
        students = {
            student_key(e.village, e.student_name)
            for e in self.as_of(as_of)
            if isinstance(e, StudentHelped)
        }
        return Progress(
            self.activity, "帮助贫困生", len(students), targets.students, targets.deadline
        )


class FreeClinics(ActivityLedger):
    """Free clinics in villages (target: 4 clinics by 10 medical staff)."""

    activity = "clinics"

    def record(
        self,
        *,
        record_id: str,
        village: str,
        medical_staff: list[str],
        patients: int,
        services: str,
        on: dt.date,
    ) -> None:
        self._new(record_id, village)
        staff = _names(medical_staff)
        if not staff:
            raise Refused("须注明参加义诊的医务人员 (medical staff are required)")
        if patients < 0:
            raise Refused("就诊人数不能为负数 (patients cannot be negative)")
        self._record(
            FreeClinicHeld(
                record_id=record_id,
                village=village,
                medical_staff=staff,
                patients=patients,
                services=services.strip(),
                held_on=on,
            )
        )

    def progress(self, targets: Targets, as_of: dt.date | None) -> list[Progress]:
        clinics = [e for e in self.as_of(as_of) if isinstance(e, FreeClinicHeld)]
        staff = {medical_staff_key(name) for e in clinics for name in e.medical_staff}
        return [
            Progress(self.activity, "义诊场次", len(clinics), targets.clinics, targets.deadline),
            Progress(self.activity, "医务人员", len(staff), targets.clinic_staff, targets.deadline),
        ]
