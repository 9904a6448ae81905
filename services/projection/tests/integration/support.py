"""A small town story told as envelopes shaped like the four services' events (their payloads
checked against `contracts/`), published to scratch topics (`shared.testing.publish`), and the
projection's settings for those topics."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from httpx import AsyncClient
from projection.bootstrap import build_app
from projection.settings import ProjectionSettings
from projection.synthetic import AGRICULTURE, EnvelopeFactory, topic_of
from projection.synthetic import funds as fu
from projection.synthetic import party as pa
from projection.synthetic import relief as rl
from projection.synthetic import supervision as su

from shared import testing
from shared.contracts import check_envelope
from shared.envelope import Envelope
from shared.roles import Role
from shared.testing import Infra, app_client, bearer, eventually, key_settings, unique
from shared.topics import ensure_topics

D = dt.date
SERVICES = ("relief", "funds", "supervision", "party")
AUDITOR = bearer(Role.AUDITOR)


def settings_for(infra: Infra, suffix: str, **extra: Any) -> ProjectionSettings:
    """Projection settings on a fresh home schema, reading `<ctx>.events<suffix>` topics."""
    values: dict[str, Any] = {
        "database_url": infra.database_url,
        "kafka_bootstrap_servers": infra.kafka_bootstrap_servers,
        **key_settings(),
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
        "LIANXIN_TOKEN_PUBLIC_KEY_FILE": settings.token_public_key_file,
        "LIANXIN_TOKEN_PRIVATE_KEY_FILE": settings.token_private_key_file,
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


@asynccontextmanager
async def serving(infra: Infra, story: Story, tag: str) -> AsyncIterator[tuple[Any, AsyncClient]]:
    """The story published on fresh topics and a projection app (with its client) that has
    logged every event of it."""
    suffix = "." + unique(tag)
    await publish(infra.kafka_bootstrap_servers, story.envelopes, suffix)
    app = build_app(settings_for(infra, suffix))
    async with app_client(app) as client:

        async def logged() -> bool:
            status = (await client.get("/api/v1/status", headers=AUDITOR)).json()
            return bool(status["events"] == len(story.envelopes))

        await eventually(logged, timeout=60, what="the projection logged the story")
        yield app, client


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
            rl.household_registered(f, hid, village, head, f"43032119600101{n:03d}", D(2016, 3, 1))
        )
    story.ids["household"] = homes[0]
    story.add(
        rl.household_paired(f, homes[0], "刘干部", D(2016, 3, 5)),
        rl.household_paired(f, homes[1], "陈干部", D(2016, 3, 5)),
        rl.household_visited(f, homes[0], "刘干部", D(2016, 4, 2), "查看住房安全"),
        rl.household_visited(f, homes[0], "刘干部", D(2016, 6, 2)),
        rl.household_visited(f, homes[1], "陈干部", D(2016, 6, 10)),
        rl.household_exited(f, homes[0], D(2016, 11, 20)),
        rl.household_exited(f, homes[3], D(2016, 10, 8)),
        rl.household_returned(f, homes[3], D(2016, 12, 15)),
    )
    story.add(
        rl.posts_provided(f, "石壁村", 20, D(2016, 5, 10), people=["周一", "吴二"]),
        rl.posts_provided(
            f, "金霞村", 12, D(2016, 8, 1), kind="employment", employer="湘潭某食品厂"
        ),
        rl.student_helped(f, "石壁村", "张小明", D(2016, 9, 1)),
        rl.free_clinic_held(f, "石壁村", ["医生甲", "医生乙", "护士丙"], 86, D(2016, 7, 15)),
        rl.enterprise_paired(f, "石壁村", "湘潭某农业公司", D(2016, 4, 20)),
    )
    pid = _id()
    story.ids["project"] = pid
    story.add(
        rl.project_listed(
            f, pid, "石壁村安全饮水工程", "water", "石壁村", D(2016, 3, 15),
            description="新建供水管网", lead_unit="水利站", budget="300000.00",
            due_on=D(2016, 10, 31),
        ),
        rl.project_started(f, pid, D(2016, 4, 1)),
    )  # fmt: skip


def funds_story(f: EnvelopeFactory, story: Story) -> None:
    """A programme allocated and paid (one late, one short payment), a public notice, a red
    flag, a 三资 disposal, a 清零 village and a finance disclosure."""
    prog = _id()
    story.ids["programme"] = prog
    story.add(
        fu.programme_created(
            f, prog, "HN-2016-01", "产业扶贫到户补助", "100000.00", D(2016, 3, 20),
            deadline=D(2016, 6, 30), planned_start=D(2016, 4, 1), standard_amount="2000.00",
        ),
        fu.funds_allocated(f, prog, "石壁村", "6000.00", D(2016, 4, 5)),
        fu.notice_opened(
            f, prog, "n-1", "石壁村", "2016年产业扶贫到户补助对象公示", D(2016, 4, 10),
            D(2016, 4, 17),
        ),
        fu.notice_closed(f, prog, "n-1", D(2016, 4, 17)),
    )  # fmt: skip
    for n, (paid_on, amount) in enumerate(
        [(D(2016, 5, 10), "2000.00"), (D(2016, 7, 20), "1500.00")]
    ):
        story.add(
            fu.disbursement(
                f, prog, "石壁村", ["张大山", "李小梅"][n], "430321196001010005", amount, paid_on,
                voucher_no=f"V{n}", entitled="2000.00",
            )
        )  # fmt: skip
    flag = _id()
    story.ids["flag"] = flag
    story.add(
        fu.red_flag_raised(
            f, flag, "FUNDS-SHORT-PAID", "发放不足额（克扣）", "石壁村", prog, "V1",
            "实发1500元，应发2000元（李*梅）", D(2016, 7, 21), evidence=[("disbursement", "V1")],
        ),
        fu.red_flag_confirmed(
            f, flag, "FUNDS-SHORT-PAID", "石壁村", prog, "克扣500元", D(2016, 8, 1)
        ),
    )  # fmt: skip
    story.add(
        fu.asset_registered(
            f, "石壁村", "430321100201", "a-1", "SB-001", "村部旧仓库", "80000.00",
            D(2016, 3, 1), description="砖混结构 200m²",
        ),
        fu.asset_disposed(
            f, "石壁村", "430321100201", "a-1", "SB-001", "90000.00", D(2016, 5, 20),
            counterparty="湘潭某物流公司", vote_on=D(2016, 5, 1), filed_on=D(2016, 5, 5),
        ),
        fu.zero_listed(f, "金霞村", "430321100202", 2016, D(2016, 3, 1)),
        fu.zero_leader_assigned(
            f, "金霞村", "430321100202", "周敏", "分管经济发展负责人", D(2016, 3, 10)
        ),
        fu.finance_disclosed(
            f, "石壁村", "430321100201", "2016-Q2", "120000.00", "95000.00", D(2016, 7, 5)
        ),
    )  # fmt: skip


def supervision_story(f: EnvelopeFactory, story: Story) -> None:
    """Measures 1 and 7 registered; an overdue item; a petition; a directive; a clue."""
    for number, title, lead in [
        (1, "开展精准扶贫", "分管农业的负责人"),
        (7, "开展矛盾纠纷集中排查化解", "党委副书记"),
    ]:
        story.add(su.measure_registered(f, number, title, lead, D(2016, 12, 31), D(2016, 3, 1)))
    item = _id()
    story.ids["item"] = item
    story.add(
        su.item_listed(
            f, item, "贫困户信息不准", 1, D(2016, 6, 30), "石壁村", D(2016, 4, 1),
            detail="部分贫困户收入核定不实",
        )
    )  # fmt: skip
    pet = _id()
    story.ids["petition"] = pet
    story.add(
        su.petition_received(f, pet, "金霞村", "钱多多", "征地补偿款未到位", D(2016, 5, 3)),
        su.petition_classified(f, pet, "征地拆迁", D(2016, 5, 5), key_case=True),
    )
    story.add(
        su.directive_received(
            f, _id(), "加快扶贫资金拨付", D(2016, 6, 1), D(2016, 6, 30), reference="县委〔2016〕5号"
        )
    )
    clue = _id()
    story.ids["clue"] = clue
    story.add(
        su.clue_received(
            f, clue, "雁过拔毛", 13, "村干部克扣补贴", "石壁村", D(2016, 8, 2),
            subject_name="孙某某", subject_post="村会计",
        )
    )  # fmt: skip


def party_story(f: EnvelopeFactory, story: Story) -> None:
    """Two branches, members with points, training, an assessment with a weak branch, and a
    cadre adjustment in progress."""
    b1, b2 = "branch-" + _id(), "branch-" + _id()
    story.ids["branch"] = b1
    for bid, name, village in [(b1, "石壁村党支部", "石壁村"), (b2, "金霞村党支部", "金霞村")]:
        story.add(pa.branch_established(f, bid, name, village, D(2016, 1, 5)))
    members = []
    for bid, name, village in [
        (b1, "黄军", "石壁村"),
        (b1, "林芳", "石壁村"),
        (b2, "郑强", "金霞村"),
    ]:
        mid = "member-" + _id()
        members.append(mid)
        story.add(
            pa.member_joined(f, mid, bid, name, village, "430321198001010012", D(2016, 1, 10))
        )
    story.ids["member"] = members[0]
    story.add(
        pa.secretary_appointed(f, b1, members[0], "黄军", D(2016, 1, 15)),
        pa.points_awarded(f, members[0], "A01", 35, "带头脱贫攻坚", D(2016, 6, 1)),
        pa.points_deducted(f, members[2], "D01", 5, "无故缺席组织生活", D(2016, 6, 1)),
        pa.training_held(
            f, _id(), "county", "capability", "支部书记能力提升", D(2016, 4, 8), [members[0]],
            stream_id="training-" + _id(),
        ),
    )  # fmt: skip
    period = "2016-H1"
    story.add(
        pa.assessment_concluded(
            f, period, [(b1, "88.5"), (b2, "61.0")], [b2], D(2016, 7, 1), quota=1
        ),
        pa.designated_weak(f, b2, "金霞村党支部", "金霞村", period, "61.0", 2, 2, D(2016, 7, 1)),
        pa.first_secretary(f, b2, period, "何书记", "县农业局", D(2016, 7, 10)),
    )
    story.add(
        pa.cadre_information_gathered(
            f, "adjustment-" + _id(), "冯某", "村主任", "金霞村", ["长期不在岗"], D(2016, 8, 1)
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
