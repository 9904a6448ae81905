"""A small village-governance story (issue 15) told as envelopes of the contract, for the tests:
a collective project whose result is overdue, an asset disposal disclosed in full, a decision
rejected at its review, books and a disclosure that differ (a mismatch red flag), a book entry
that missed a step of its flow (a breach and its problem-list item), power lists, committees
(one report made, one overdue, a finding), and the year's appraisal with a referral.

石壁村 does everything in order; 金霞村 is where the rules bite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from projection.synthetic import funds as fu
from projection.synthetic import party as pa
from projection.synthetic import supervision as su
from projection.synthetic.factory import EnvelopeFactory
from shared.envelope import Envelope

D = dt.date
SHIBI, SHIBI_CODE = "石壁村", "430321100201"
JINXIA, JINXIA_CODE = "金霞村", "430321100202"
SHIBI_BRANCH, JINXIA_BRANCH = f"branch-{SHIBI_CODE}", f"branch-{JINXIA_CODE}"


@dataclass
class GovernanceStory:
    """The envelopes, in order, and the ids the tests look for."""

    envelopes: list[Envelope] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)

    def add(self, *envs: Envelope) -> None:
        self.envelopes.extend(envs)


def _decided(
    f: EnvelopeFactory, story: GovernanceStory, decision: str, village: str, start: D
) -> None:
    """商议, 审议, 决议 at 5, 10 and 20 days after `start`, each passed."""
    story.add(
        fu.decision_meeting(
            f, decision, village, "consulted", start + dt.timedelta(days=5), members=7, present=7
        ),
        fu.decision_meeting(
            f, decision, village, "reviewed", start + dt.timedelta(days=10), members=40, present=32
        ),
        fu.decision_meeting(f, decision, village, "resolved", start + dt.timedelta(days=20)),
    )


def governance_story(f: EnvelopeFactory | None = None) -> GovernanceStory:
    f = f or EnvelopeFactory()
    story = GovernanceStory()
    ids = story.ids
    # 四议两公开 — 石壁村: a project started, its result never disclosed (due 2016-06-23)
    ids["project_decision"] = d1 = f.new_id()
    story.add(
        fu.decision_proposed(
            f, d1, SHIBI, SHIBI_CODE, "collective_project", "光伏发电", D(2016, 3, 1)
        )
    )
    _decided(f, story, d1, SHIBI, D(2016, 3, 1))
    story.add(fu.resolution_disclosed(f, d1, SHIBI, D(2016, 3, 25)))
    ids["project"] = project = f.new_id()
    story.add(
        fu.collective_project_started(
            f, project, SHIBI, SHIBI_CODE, "光伏发电", d1, "300000.00", D(2016, 4, 1)
        )
    )
    # an asset disposal, its result disclosed
    ids["disposal_decision"] = d2 = f.new_id()
    asset = f.new_id()
    story.add(
        fu.asset_registered(
            f, SHIBI, SHIBI_CODE, asset, "201-001", "旧仓库", "80000.00", D(2016, 1, 10)
        ),
        fu.decision_proposed(f, d2, SHIBI, SHIBI_CODE, "asset_disposal", "201-001", D(2016, 4, 1)),
    )
    _decided(f, story, d2, SHIBI, D(2016, 4, 1))
    story.add(
        fu.resolution_disclosed(f, d2, SHIBI, D(2016, 5, 1)),
        fu.asset_disposed_v2(
            f,
            SHIBI,
            SHIBI_CODE,
            asset,
            "201-001",
            "90000.00",
            D(2016, 6, 1),
            decision_id=d2,
            vote_on=D(2016, 4, 21),
            filed_on=D(2016, 5, 20),
        ),
        fu.result_disclosed(f, d2, SHIBI, "旧仓库已公开拍卖，所得全额入集体", D(2016, 6, 10)),
    )
    # 金霞村: a project decision rejected by the party members' meeting
    ids["rejected_decision"] = d3 = f.new_id()
    story.add(
        fu.decision_proposed(
            f, d3, JINXIA, JINXIA_CODE, "collective_project", "茶叶合作社", D(2016, 5, 1)
        ),
        fu.decision_meeting(f, d3, JINXIA, "consulted", D(2016, 5, 5), members=7, present=6),
        fu.decision_meeting(
            f,
            d3,
            JINXIA,
            "reviewed",
            D(2016, 5, 12),
            members=40,
            present=30,
            votes_for=10,
            votes_against=20,
        ),
    )
    # 村账乡代理: 石壁村's books and disclosure agree; 金霞村's disclosure says more spent
    story.add(
        fu.book_entry(f, SHIBI, SHIBI_CODE, "2016-07", "income", "10000.00", D(2016, 7, 20)),
        fu.book_entry(f, JINXIA, JINXIA_CODE, "2016-07", "income", "50000.00", D(2016, 7, 15)),
    )
    skipped = fu.book_entry(
        f,
        JINXIA,
        JINXIA_CODE,
        "2016-08",
        "expense",
        "20000.00",
        D(2016, 8, 10),
        steps=("handled", "approved", "booked"),  # not reviewed by the committee
    )
    story.add(
        skipped,
        fu.book_entry(f, JINXIA, JINXIA_CODE, "2016-09", "expense", "10000.00", D(2016, 9, 5)),
        fu.finance_disclosed(f, SHIBI, SHIBI_CODE, "2016Q3", "10000.00", "0.00", D(2016, 10, 8)),
        fu.finance_disclosed(
            f, JINXIA, JINXIA_CODE, "2016Q3", "50000.00", "35000.00", D(2016, 10, 10)
        ),
    )
    ids["mismatch"] = flag = f.new_id()
    story.add(
        fu.red_flag_raised(
            f,
            flag,
            "FUNDS-DISCLOSURE-MISMATCH",
            "公开数与账簿不符",
            JINXIA,
            None,
            f"disclosure:{JINXIA_CODE}:2016Q3",  # as funds names the subject (str(Quarter))
            "公开支出 35000.00 元，账簿支出 30000.00 元",
            D(2016, 10, 10),
            severity="medium",
        )
    )
    # 小微权力清单: 石壁村 published (twice) for 2016; 金霞村 none (the default list applies)
    story.add(
        su.power_list_published(f, SHIBI, SHIBI_CODE, 2016, 1, D(2016, 2, 1)),
        su.power_list_published(f, SHIBI, SHIBI_CODE, 2016, 2, D(2016, 6, 1)),
    )
    ids["breach_item"] = item = f.new_id()
    ids["breach"] = f"breach-{skipped.event_id}"
    story.add(
        su.power_flow_breached(
            f,
            str(skipped.event_id),
            "funds.VillageBookEntryRecorded",
            JINXIA,
            "finance",
            ["reviewed_by_committee"],
            item,
            D(2016, 8, 15),
        ),
        su.item_listed(
            f,
            item,
            "小微权力运行缺少步骤：村务监督委员会审核",
            6,
            D(2016, 9, 14),
            JINXIA,
            D(2016, 8, 15),
            source="自己找",
        ),
    )
    # 村务监督委员会: 石壁村 reports for 2016; 金霞村 is found overdue, and finds a problem
    story.add(
        su.committee_member_appointed(
            f, SHIBI, SHIBI_CODE, "m-1", "王监督", "主任", D(2016, 1, 10)
        ),
        su.committee_member_appointed(
            f, SHIBI, SHIBI_CODE, "m-2", "李委员", "委员", D(2016, 1, 10)
        ),
        su.committee_member_appointed(
            f, SHIBI, SHIBI_CODE, "m-3", "赵委员", "委员", D(2016, 1, 10)
        ),
        su.committee_member_left(f, SHIBI, SHIBI_CODE, "m-3", D(2016, 9, 1)),
        su.committee_member_appointed(
            f, JINXIA, JINXIA_CODE, "m-4", "陈监督", "主任", D(2016, 1, 12)
        ),
    )
    ids["finding_item"] = found = f.new_id()
    story.add(
        su.committee_finding(
            f, JINXIA, JINXIA_CODE, f.new_id(), "村务公开栏三个月未更新", found, D(2016, 11, 1)
        ),
        su.item_listed(
            f,
            found,
            "村务公开栏三个月未更新",
            6,
            D(2016, 12, 1),
            JINXIA,
            D(2016, 11, 1),
            source="群众提",
        ),
        su.committee_report_made(f, SHIBI, SHIBI_CODE, 2016, D(2017, 1, 20)),
        su.committee_report_overdue(f, JINXIA, JINXIA_CODE, 2016, D(2017, 2, 1)),
    )
    # 年度绩效考核 2016: facts, review scores, results, 金霞村's secretary referred
    story.add(
        pa.branch_established(
            f, SHIBI_BRANCH, "石壁村党支部", SHIBI, D(2016, 1, 5), village_code=SHIBI_CODE
        ),
        pa.branch_established(
            f, JINXIA_BRANCH, "金霞村党支部", JINXIA, D(2016, 1, 5), village_code=JINXIA_CODE
        ),
        su.appraisal_facts_recorded(
            f,
            2016,
            D(2016, 12, 31),
            [
                su.unit_facts("扶贫办"),
                su.unit_facts("经济发展办", items=(6, 2)),
                su.unit_facts(SHIBI, "village"),
                su.unit_facts(JINXIA, "village", items=(4, 3), petitions=(3, 1)),
            ],
            D(2017, 1, 25),
        ),
    )
    subjects = [
        ("unit", "扶贫办", "扶贫办", "92", "100", "96.8", "优秀", False, 0),
        ("branch_secretary", SHIBI_BRANCH, "张书记", "85", "100", "94", "优秀", False, 0),
        ("unit", "经济发展办", "经济发展办", "80", "80", "80", "称职", False, 2),
        ("branch_secretary", JINXIA_BRANCH, "李书记", "60", "40", "48", "不称职", True, 3),
    ]
    for kind, subject, name, review, *_ in subjects:
        story.add(pa.review_score_recorded(f, 2016, kind, subject, name, review, D(2017, 1, 28)))
    results = [
        pa.appraisal_result(
            kind,
            subject,
            name,
            facts,
            review,
            total,
            grade,
            rank,
            referred=referred,
            overdue_items=overdue,
        )
        for rank, (
            kind,
            subject,
            name,
            review,
            facts,
            total,
            grade,
            referred,
            overdue,
        ) in enumerate(subjects, start=1)
    ]
    story.add(
        pa.appraisal_concluded(f, 2016, results, D(2017, 2, 10)),
        pa.inaction_referred(f, 2016, "branch_secretary", JINXIA_BRANCH, "李书记", D(2017, 2, 10)),
    )
    return story
