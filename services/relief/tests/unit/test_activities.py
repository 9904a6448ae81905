"""Measure 1, the five activities and their targets: 石壁村 paired with enterprises, 50 posts,
10 students, 4 free clinics by 10 medical staff; progress derived "as of" a day."""

import datetime as dt
from decimal import Decimal

from relief.application.commands import (
    RecordEnterprisePairing,
    RecordFreeClinic,
    RecordPosts,
    RecordStudentHelped,
)
from relief.domain.activities import (
    EnterprisePairings,
    FreeClinics,
    PostLedger,
    StudentAid,
    activity_stream,
)
from relief.domain.events import EnterprisePairedWithVillage, PostsProvided

from shared.kernel import AlreadyExists
from shared.pipeline import OutOfScope as Forbidden
from shared.pipeline import Scope

from .scenario import POLICY, TOWN, Scenario, unchecked

RECORD = "0190b5a8-0000-7000-8000-0000000000cc"


def ledger(s: Scenario, cls: type, activity: str) -> object:
    found = cls(activity_stream(TOWN.code, activity))
    found.replay(s.events(activity_stream(TOWN.code, activity)))
    return found


def test_an_enterprise_pairs_with_the_poor_village() -> None:
    cmd = RecordEnterprisePairing(
        occurred_on=dt.date(2016, 5, 8),
        enterprise="湘潭宏达农业开发有限公司",
        village="石壁村",
        people=["刘总", "王经理"],
        content="订单收购油茶",
        record_id=RECORD,
    )
    s = Scenario().when(cmd)
    s.then(
        EnterprisePairedWithVillage(
            record_id=RECORD,
            enterprise="湘潭宏达农业开发有限公司",
            village="石壁村",
            people=["刘总", "王经理"],
            content="订单收购油茶",
            paired_on=dt.date(2016, 5, 8),
        )
    )
    pairings = ledger(s, EnterprisePairings, "enterprise-pairings")
    assert isinstance(pairings, EnterprisePairings)
    line = pairings.progress(1, POLICY.targets, None)
    assert (line.done, line.target, line.achieved) == (1, 1, True)


def test_enterprise_pairing_is_for_the_provincially_designated_poor_village() -> None:
    cmd = RecordEnterprisePairing(enterprise="某公司", village="金霞村")
    Scenario().refused(cmd, "不是省定贫困村")


def posts(
    n: int, on: dt.date, people: list[str] | None = None, record_id: str | None = None
) -> RecordPosts:
    return RecordPosts(
        occurred_on=on,
        village="石壁村",
        kind="public_welfare",
        employer="易俗河镇环卫所",
        posts=n,
        people=people or [],
        record_id=record_id,
    )


def test_posts_count_towards_fifty_as_of_a_day() -> None:
    s = Scenario()
    s.when(posts(30, dt.date(2016, 6, 1))).when(posts(20, dt.date(2016, 10, 1)))
    found = ledger(s, PostLedger, "posts")
    assert isinstance(found, PostLedger)
    june = found.progress(POLICY.targets, dt.date(2016, 7, 1))
    assert (june.done, june.target, june.percent, june.achieved) == (30, 50, 60, False)
    assert found.progress(POLICY.targets, None).achieved


def test_posts_refuse_more_people_than_posts_and_unknown_kinds() -> None:
    Scenario().refused(posts(1, dt.date(2016, 6, 1), ["甲", "乙"]), "多于岗位数")
    cmd = RecordPosts(village="石壁村", kind="volunteer", employer="", posts=1)
    Scenario().refused(cmd, "岗位类别“volunteer”无效")


def test_a_record_is_taken_once() -> None:
    s = Scenario().when(posts(2, dt.date(2016, 6, 1), record_id=RECORD))
    s.refused(posts(2, dt.date(2016, 6, 1), record_id=RECORD), "已存在", kind=AlreadyExists)
    s.then_types(PostsProvided)


def student(name: str, village: str = "石壁村") -> RecordStudentHelped:
    return RecordStudentHelped(
        occurred_on=dt.date(2016, 9, 1),
        village=village,
        student_name=name,
        school="易俗河镇中学",
        support="学费资助",
        amount=Decimal("1000"),
    )


def test_a_student_helped_twice_counts_once_towards_ten() -> None:
    s = Scenario().when(student("李小明")).when(student("李小明")).when(student("王芳"))
    found = ledger(s, StudentAid, "students")
    assert isinstance(found, StudentAid)
    line = found.progress(POLICY.targets, None)
    assert (line.done, line.target) == (2, 10)


def test_a_student_record_needs_support_and_a_positive_amount() -> None:
    Scenario().refused(
        unchecked(RecordStudentHelped, village="石壁村", student_name="甲", school="", support=""),
        "帮扶内容",
    )
    Scenario().refused(
        unchecked(
            RecordStudentHelped,
            village="石壁村",
            student_name="甲",
            school="",
            support="书包",
            amount=Decimal(0),
        ),
        "须大于 0",
    )


def clinic(staff: list[str], village: str = "梅林村") -> RecordFreeClinic:
    return unchecked(
        RecordFreeClinic,
        occurred_on=dt.date(2016, 7, 1),
        village=village,
        medical_staff=staff,
        patients=80,
    )


def test_clinics_count_towards_four_and_staff_towards_ten() -> None:
    s = Scenario()
    for n in range(4):
        s.when(clinic([f"医生{n}", f"医生{n + 1}", f"护士{n}"]))
    found = ledger(s, FreeClinics, "clinics")
    assert isinstance(found, FreeClinics)
    clinics, staff = found.progress(POLICY.targets, None)
    assert (clinics.done, clinics.target, clinics.achieved) == (4, 4, True)
    assert (staff.done, staff.target, staff.achieved) == (9, 10, False)


def test_a_clinic_needs_staff_and_a_known_village() -> None:
    Scenario().refused(clinic([" "]), "须注明参加义诊的医务人员")
    Scenario().refused(clinic(["医生"], village="火星村"), "未知村/社区")


def test_a_clerk_records_activities_of_their_own_village_only() -> None:
    Scenario().refused(clinic(["医生"]), "只能操作本村", kind=Forbidden, scope=Scope("石壁村"))
