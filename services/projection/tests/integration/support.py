"""A small town story told as envelopes shaped like the four services' events (their payloads
checked against `contracts/`), published to scratch topics (`shared.testing.publish`), and the
projection's settings for those topics."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from projection.settings import ProjectionSettings
from projection.synthetic import (
    AGRICULTURE,
    CLERK,
    ECONOMIC,
    EnvelopeFactory,
    household_exited,
    household_paired,
    household_registered,
    household_visited,
    topic_of,
)

from shared import testing
from shared.contracts import check_envelope
from shared.envelope import Actor, Envelope
from shared.testing import TEST_SECRET, Infra, unique
from shared.topics import ensure_topics

D = dt.date
DISCIPLINE = Actor("discipline", "discipline_secretary")
DEPUTY = Actor("deputy", "deputy_secretary")
ORGANISATION = Actor("organisation", "organisation_member")
SERVICES = ("relief", "funds", "supervision", "party")


def settings_for(infra: Infra, suffix: str, **extra: Any) -> ProjectionSettings:
    """Projection settings on a fresh home schema, reading `<ctx>.events<suffix>` topics."""
    values: dict[str, Any] = {
        "database_url": infra.database_url,
        "kafka_bootstrap_servers": infra.kafka_bootstrap_servers,
        "LIANXIN_TOKEN_SECRET": TEST_SECRET,
        "LIANXIN_DB_SCHEMA": unique("pj"),
        "LIANXIN_PROJECTION_TOPICS": ",".join(f"{s}.events{suffix}" for s in SERVICES),
        "LIANXIN_PROJECTION_POLL_SECONDS": 0.5,
        "LIANXIN_DEMO_LOGIN": True,
    }
    values.update(extra)
    return ProjectionSettings(**values)


def settings_env(settings: ProjectionSettings) -> dict[str, str]:
    """The environment a projection subprocess needs for these settings."""
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "LIANXIN_TOKEN_SECRET": settings.token_secret,
        "LIANXIN_DB_SCHEMA": settings.db_schema,
        "LIANXIN_PROJECTION_TOPICS": settings.topics,
    }


async def publish(bootstrap: str, envelopes: Sequence[Envelope], suffix: str) -> None:
    """Publish like the services' relays: each envelope on its service's topic (plus `suffix`),
    key = stream id, in order."""
    by_topic: dict[str, list[Envelope]] = {}
    for env in envelopes:
        by_topic.setdefault(topic_of(env, suffix), []).append(env)
    await ensure_topics(bootstrap, sorted(by_topic), partitions=3)
    for topic, batch in by_topic.items():
        await testing.publish(bootstrap, topic, *batch)


@dataclass
class Story:
    """The envelopes of the story and the ids the tests look for."""

    envelopes: list[Envelope] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)

    def add(self, *envs: Envelope) -> None:
        for env in envs:
            check_envelope(env)  # the payload matches the service's published contract
            self.envelopes.append(env)


def _id() -> str:
    return str(uuid.uuid4())


def relief_story(f: EnvelopeFactory, story: Story) -> None:
    """Four households (three in 石壁村), pairing, visits, an exit and a return; the five
    activities; a livelihood project."""
    homes = []
    for n, (village, head) in enumerate(
        [("石壁村", "张大山"), ("石壁村", "李小梅"), ("石壁村", "王建国"), ("金霞村", "赵四海")]
    ):
        hid = _id()
        homes.append(hid)
        story.add(
            household_registered(f, hid, village, head, f"43032119600101{n:03d}", D(2016, 3, 1))
        )
    story.ids["household"] = homes[0]
    story.add(
        household_paired(f, homes[0], "刘干部", D(2016, 3, 5)),
        household_paired(f, homes[1], "陈干部", D(2016, 3, 5)),
        household_visited(f, homes[0], "刘干部", D(2016, 4, 2), "查看住房安全"),
        household_visited(f, homes[0], "刘干部", D(2016, 6, 2)),
        household_visited(f, homes[1], "陈干部", D(2016, 6, 10)),
        household_exited(f, homes[0], D(2016, 11, 20)),
        household_exited(f, homes[3], D(2016, 10, 8)),
        f.event(
            f"household-{homes[3]}",
            "relief.HouseholdReturnedToPoverty",
            {
                "household_id": homes[3],
                "returned_on": "2016-12-15",
                "reason": "因病返贫",
                "income_per_head": "2100.00",
            },
            on=D(2016, 12, 15),
        ),
    )
    activity = "activity-430321100-"
    story.add(
        f.event(
            activity + "posts",
            "relief.PostsProvided",
            {
                "record_id": _id(),
                "village": "石壁村",
                "kind": "public_welfare",
                "employer": "易俗河镇政府",
                "posts": 20,
                "people": ["周一", "吴二"],
                "provided_on": "2016-05-10",
            },
            on=D(2016, 5, 10),
        ),
        f.event(
            activity + "posts",
            "relief.PostsProvided",
            {
                "record_id": _id(),
                "village": "金霞村",
                "kind": "employment",
                "employer": "湘潭某食品厂",
                "posts": 12,
                "people": [],
                "provided_on": "2016-08-01",
            },
            on=D(2016, 8, 1),
        ),
        f.event(
            activity + "students",
            "relief.StudentHelped",
            {
                "record_id": _id(),
                "village": "石壁村",
                "student_name": "张小明",
                "school": "易俗河镇中心校",
                "support": "学费资助",
                "amount": "1500.00",
                "people": ["镇团委"],
                "helped_on": "2016-09-01",
            },
            on=D(2016, 9, 1),
        ),
        f.event(
            activity + "clinics",
            "relief.FreeClinicHeld",
            {
                "record_id": _id(),
                "village": "石壁村",
                "medical_staff": ["医生甲", "医生乙", "护士丙"],
                "patients": 86,
                "services": "义诊、送药",
                "held_on": "2016-07-15",
            },
            on=D(2016, 7, 15),
        ),
        f.event(
            activity + "enterprise",
            "relief.EnterprisePairedWithVillage",
            {
                "record_id": _id(),
                "enterprise": "湘潭某农业公司",
                "village": "石壁村",
                "people": ["公司负责人"],
                "content": "产业帮扶",
                "paired_on": "2016-04-20",
            },
            on=D(2016, 4, 20),
        ),
    )
    pid = _id()
    story.ids["project"] = pid
    story.add(
        f.event(
            f"project-{pid}",
            "relief.LivelihoodProjectListed",
            {
                "project_id": pid,
                "name": "石壁村安全饮水工程",
                "category": "water",
                "village": "石壁村",
                "description": "新建供水管网",
                "lead_unit": "水利站",
                "budget": "300000.00",
                "due_on": "2016-10-31",
                "listed_on": "2016-03-15",
            },
            on=D(2016, 3, 15),
        ),
        f.event(
            f"project-{pid}",
            "relief.LivelihoodProjectStarted",
            {"project_id": pid, "started_on": "2016-04-01"},
            on=D(2016, 4, 1),
        ),
    )


def funds_story(f: EnvelopeFactory, story: Story) -> None:
    """A programme allocated and paid (one late, one short payment), a public notice, a red
    flag, a 三资 disposal, a 清零 village and a finance disclosure."""
    prog = _id()
    story.ids["programme"] = prog
    s = f"programme-{prog}"
    story.add(
        f.event(
            s,
            "funds.ProgrammeCreated",
            {
                "programme_id": prog,
                "code": "HN-2016-01",
                "name": "产业扶贫到户补助",
                "source_level": "county",
                "amount": "100000.00",
                "purpose": "产业发展",
                "purpose_code": "industry",
                "beneficiary_rule": "registered_poor",
                "standard_amount": "2000.00",
                "min_age": None,
                "max_age": None,
                "planned_start": "2016-04-01",
                "disbursement_deadline": "2016-06-30",
                "village": None,
                "exclusive_with": [],
                "created_on": "2016-03-20",
            },
            on=D(2016, 3, 20),
            actor=ECONOMIC,
        ),
        f.event(
            s,
            "funds.FundsAllocated",
            {
                "programme_id": prog,
                "allocation_id": _id(),
                "village": "石壁村",
                "amount": "6000.00",
                "allocated_on": "2016-04-05",
            },
            on=D(2016, 4, 5),
            actor=ECONOMIC,
        ),
        f.event(
            s,
            "funds.PublicNoticeOpened",
            {
                "programme_id": prog,
                "notice_id": "n-1",
                "village": "石壁村",
                "title": "2016年产业扶贫到户补助对象公示",
                "opened_on": "2016-04-10",
                "ends_on": "2016-04-17",
            },
            on=D(2016, 4, 10),
            actor=ECONOMIC,
        ),
        f.event(
            s,
            "funds.PublicNoticeClosed",
            {
                "programme_id": prog,
                "notice_id": "n-1",
                "closed_on": "2016-04-17",
                "objections": 0,
                "outcome": "无异议",
            },
            on=D(2016, 4, 17),
            actor=ECONOMIC,
        ),
    )
    for n, (paid_on, amount) in enumerate([("2016-05-10", "2000.00"), ("2016-07-20", "1500.00")]):
        story.add(
            f.event(
                s,
                "funds.DisbursementRecorded",
                {
                    "programme_id": prog,
                    "disbursement_id": _id(),
                    "voucher_no": f"V{n}",
                    "village": "石壁村",
                    "beneficiary_kind": "household",
                    "beneficiary_name": ["张大山", "李小梅"][n],
                    "beneficiary_id_number": "430321196001010005",
                    "household_id": None,
                    "amount": amount,
                    "entitled_amount": "2000.00",
                    "paid_on": paid_on,
                },
                on=D.fromisoformat(paid_on),
                actor=ECONOMIC,
            )
        )
    flag = _id()
    story.ids["flag"] = flag
    story.add(
        f.event(
            f"redflag-{flag}",
            "funds.RedFlagRaised",
            {
                "flag_id": flag,
                "code": "FUNDS-SHORT-PAID",
                "label": "发放不足额（克扣）",
                "severity": "high",
                "village": "石壁村",
                "programme_id": prog,
                "subject_id": "V1",
                "summary": "实发1500元，应发2000元（李*梅）",
                "evidence": [{"kind": "disbursement", "ref": "V1", "note": ""}],
                "raised_on": "2016-07-21",
            },
            on=D(2016, 7, 21),
            actor=Actor("system", "system"),
        ),
        f.event(
            f"redflag-{flag}",
            "funds.RedFlagConfirmed",
            {
                "flag_id": flag,
                "code": "FUNDS-SHORT-PAID",
                "village": "石壁村",
                "programme_id": prog,
                "summary": "克扣500元",
                "severity": "high",
                "note": "经核实属实",
                "confirmed_on": "2016-08-01",
            },
            on=D(2016, 8, 1),
            actor=DISCIPLINE,
        ),
    )
    story.add(
        f.event(
            "assets-430321100201",
            "funds.CollectiveAssetRegistered",
            {
                "village": "石壁村",
                "asset_id": "a-1",
                "asset_code": "SB-001",
                "category": "asset",
                "name": "村部旧仓库",
                "description": "砖混结构 200m²",
                "value": "80000.00",
                "government_funded": False,
                "registered_on": "2016-03-01",
            },
            on=D(2016, 3, 1),
            actor=CLERK,
        ),
        f.event(
            "assets-430321100201",
            "funds.CollectiveAssetDisposed",
            {
                "village": "石壁村",
                "asset_id": "a-1",
                "asset_code": "SB-001",
                "method": "sale",
                "counterparty": "湘潭某物流公司",
                "proceeds": "90000.00",
                "vote": {
                    "held_on": "2016-05-01",
                    "representatives": 35,
                    "present": 30,
                    "votes_for": 26,
                    "votes_against": 4,
                },
                "filing": {"filed_on": "2016-05-05", "reference": "易财备〔2016〕3号"},
                "disposed_on": "2016-05-20",
            },
            on=D(2016, 5, 20),
            actor=CLERK,
        ),
        f.event(
            "collective-430321100202",
            "funds.ZeroIncomeVillageListed",
            {"village": "金霞村", "year": 2016, "listed_on": "2016-03-01"},
            on=D(2016, 3, 1),
            actor=ECONOMIC,
        ),
        f.event(
            "collective-430321100202",
            "funds.ZeroIncomeLeaderAssigned",
            {
                "village": "金霞村",
                "leader_name": "周敏",
                "leader_post": "分管经济发展负责人",
                "assigned_on": "2016-03-10",
            },
            on=D(2016, 3, 10),
            actor=ECONOMIC,
        ),
        f.event(
            "disclosure-430321100201",
            "funds.FinanceDisclosed",
            {
                "village": "石壁村",
                "period": "2016-Q2",
                "income_total": "120000.00",
                "expenditure_total": "95000.00",
                "channel": "村务公开栏",
                "disclosed_on": "2016-07-05",
            },
            on=D(2016, 7, 5),
            actor=CLERK,
        ),
    )


def supervision_story(f: EnvelopeFactory, story: Story) -> None:
    """Measures 1 and 7 registered; an overdue item; a petition; a directive; a clue."""
    for number, title, lead, due in [
        (1, "开展精准扶贫", "分管农业的负责人", "2016-12-31"),
        (7, "开展矛盾纠纷集中排查化解", "党委副书记", "2016-12-31"),
    ]:
        story.add(
            f.event(
                f"measure-2016-{number:02d}",
                "supervision.MeasureRegistered",
                {
                    "plan_id": "2016",
                    "plan_version": 1,
                    "number": number,
                    "title": title,
                    "group": 1,
                    "group_title": "抓民生实事",
                    "lead_post": lead,
                    "lead_units": ["扶贫办"],
                    "deadline": due[:7],
                    "due_on": due,
                    "tasks": [],
                    "targets": [],
                    "problems": [],
                    "registered_on": "2016-03-01",
                },
                on=D(2016, 3, 1),
                actor=DISCIPLINE,
            )
        )
    item = _id()
    story.ids["item"] = item
    story.add(
        f.event(
            f"item-{item}",
            "supervision.ItemListed",
            {
                "item_id": item,
                "list_name": "问题清单",
                "title": "贫困户信息不准",
                "detail": "部分贫困户收入核定不实",
                "source": "上级点",
                "measure": 1,
                "lead_post": "分管农业的负责人",
                "lead_unit": "扶贫办",
                "deadline": "2016-06-30",
                "village": "石壁村",
                "listed_on": "2016-04-01",
                "branch_id": None,
                "period": None,
            },
            on=D(2016, 4, 1),
            actor=DISCIPLINE,
        ),
    )
    pet = _id()
    story.ids["petition"] = pet
    story.add(
        f.event(
            f"petition-{pet}",
            "supervision.PetitionReceived",
            {
                "petition_id": pet,
                "channel": "来访",
                "petitioner_name": "钱多多",
                "petitioner_count": 1,
                "village": "金霞村",
                "subject": "征地补偿款未到位",
                "received_on": "2016-05-03",
                "repeat_of": None,
            },
            on=D(2016, 5, 3),
            actor=DEPUTY,
        ),
        f.event(
            f"petition-{pet}",
            "supervision.PetitionClassified",
            {
                "petition_id": pet,
                "focus_area": "征地拆迁",
                "key_case": True,
                "classified_on": "2016-05-05",
            },
            on=D(2016, 5, 5),
            actor=DEPUTY,
        ),
    )
    directive = _id()
    story.add(
        f.event(
            f"directive-{directive}",
            "supervision.DirectiveReceived",
            {
                "directive_id": directive,
                "kind": "批示件",
                "level": "县",
                "issued_by": "县委书记",
                "reference": "县委〔2016〕5号",
                "subject": "加快扶贫资金拨付",
                "received_on": "2016-06-01",
                "due_on": "2016-06-30",
            },
            on=D(2016, 6, 1),
            actor=DISCIPLINE,
        ),
    )
    clue = _id()
    story.ids["clue"] = clue
    story.add(
        f.event(
            f"clue-{clue}",
            "supervision.ClueReceived",
            {
                "clue_id": clue,
                "category": "雁过拔毛",
                "measure": 13,
                "channel": "举报",
                "summary": "村干部克扣补贴",
                "village": "石壁村",
                "subject_name": "孙某某",
                "subject_post": "村会计",
                "subject_member_id": None,
                "received_on": "2016-08-02",
            },
            on=D(2016, 8, 2),
            actor=DISCIPLINE,
        ),
    )


def party_story(f: EnvelopeFactory, story: Story) -> None:
    """Two branches, members with points, training, an assessment with a weak branch, and a
    cadre adjustment in progress."""
    b1, b2 = "branch-" + _id(), "branch-" + _id()
    story.ids["branch"] = b1
    for bid, name, village in [(b1, "石壁村党支部", "石壁村"), (b2, "金霞村党支部", "金霞村")]:
        story.add(
            f.event(
                bid,
                "party.BranchEstablished",
                {
                    "branch_id": bid,
                    "name": name,
                    "kind": "village",
                    "village": village,
                    "village_code": None,
                    "established_on": "2016-01-05",
                },
                on=D(2016, 1, 5),
                actor=ORGANISATION,
            )
        )
    members = []
    for bid, name, village in [
        (b1, "黄军", "石壁村"),
        (b1, "林芳", "石壁村"),
        (b2, "郑强", "金霞村"),
    ]:
        mid = "member-" + _id()
        members.append(mid)
        story.add(
            f.event(
                mid,
                "party.MemberJoined",
                {
                    "member_id": mid,
                    "branch_id": bid,
                    "name": name,
                    "village": village,
                    "id_number": "430321198001010012",
                    "membership": "full",
                    "joined_party_on": "2005-07-01",
                    "joined_on": "2016-01-10",
                },
                on=D(2016, 1, 10),
                actor=ORGANISATION,
            )
        )
    story.ids["member"] = members[0]
    story.add(
        f.event(
            b1,
            "party.BranchSecretaryAppointed",
            {
                "branch_id": b1,
                "member_id": members[0],
                "name": "黄军",
                "appointed_on": "2016-01-15",
            },
            on=D(2016, 1, 15),
            actor=ORGANISATION,
        ),
        f.event(
            members[0],
            "party.PointsAwarded",
            {
                "member_id": members[0],
                "record_id": _id(),
                "rule_code": "A01",
                "rule_book": "2016.1",
                "points": 35,
                "quantity": 1,
                "year": 2016,
                "evidence": "带头脱贫攻坚",
                "recorded_on": "2016-06-01",
            },
            on=D(2016, 6, 1),
            actor=ORGANISATION,
        ),
        f.event(
            members[2],
            "party.PointsDeducted",
            {
                "member_id": members[2],
                "record_id": _id(),
                "rule_code": "D01",
                "rule_book": "2016.1",
                "points": 5,
                "quantity": 1,
                "year": 2016,
                "evidence": "无故缺席组织生活",
                "recorded_on": "2016-06-01",
                "case_id": None,
            },
            on=D(2016, 6, 1),
            actor=ORGANISATION,
        ),
        f.event(
            "training-" + _id(),
            "party.TrainingSessionHeld",
            {
                "session_id": _id(),
                "level": "county",
                "programme": "capability",
                "topic": "支部书记能力提升",
                "held_on": "2016-04-08",
                "branch_id": None,
                "attendee_ids": [members[0]],
            },
            on=D(2016, 4, 8),
            actor=ORGANISATION,
        ),
    )
    period = "2016-H1"
    story.add(
        f.event(
            f"assessment-{period}",
            "party.AssessmentConcluded",
            {
                "period": period,
                "ranking": [
                    {"branch_id": b1, "score": "88.5", "rank": 1},
                    {"branch_id": b2, "score": "61.0", "rank": 2},
                ],
                "quota": 1,
                "designated": [b2],
                "concluded_on": "2016-07-01",
            },
            on=D(2016, 7, 1),
            actor=ORGANISATION,
        ),
        f.event(
            b2,
            "party.BranchDesignatedWeak",
            {
                "branch_id": b2,
                "branch_name": "金霞村党支部",
                "village": "金霞村",
                "period": period,
                "score": "61.0",
                "rank": 2,
                "branches_assessed": 2,
                "weak_share_percent": "10",
                "designated_on": "2016-07-01",
            },
            on=D(2016, 7, 1),
            actor=ORGANISATION,
        ),
        f.event(
            b2,
            "party.FirstSecretaryAssigned",
            {
                "branch_id": b2,
                "period": period,
                "name": "何书记",
                "unit": "县农业局",
                "assigned_on": "2016-07-10",
            },
            on=D(2016, 7, 10),
            actor=ORGANISATION,
        ),
    )
    adj = "adjustment-" + _id()
    story.add(
        f.event(
            adj,
            "party.CadreInformationGathered",
            {
                "adjustment_id": adj,
                "cadre_name": "冯某",
                "post": "村主任",
                "village": "金霞村",
                "member_id": None,
                "grounds": ["长期不在岗"],
                "summary": "群众反映",
                "gathered_on": "2016-08-01",
            },
            on=D(2016, 8, 1),
            actor=ORGANISATION,
        )
    )


def town_story() -> Story:
    """Everything above, in one list (per-stream order kept)."""
    f = EnvelopeFactory()
    story = Story()
    relief_story(f, story)
    funds_story(f, story)
    supervision_story(f, story)
    party_story(f, story)
    return story


__all__ = ["AGRICULTURE", "Story", "publish", "settings_env", "settings_for", "town_story"]
