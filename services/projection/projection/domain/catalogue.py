"""Every event type the projection understands, and the zh-CN names of kinds and statuses.

Event types not listed here still enter the event log and their streams' audit trails; their
entities get the payload's fields (a new service's events show before their views exist).
"""

from __future__ import annotations

from projection.domain import funds, party, relief, supervision
from projection.domain.folds import Rule, SumFn

RULES: dict[str, Rule] = {
    **relief.RULES,
    **funds.RULES,
    **supervision.RULES,
    **party.RULES,
    # every write service's checkpoints of its store (shared.integrity): the audit copy of roots
    "integrity.CheckpointRecorded": Rule("checkpoint", label="存储检查点"),
}

#: State fields the views count entities by (besides village and status), per kind: the
#: projection keeps, per business day, how many entities have each of them set
#: (`entity_counts`), so such counts "as of" any day never read the entities themselves.
FACETS: dict[str, tuple[str, ...]] = {"household": ("paired", "visits")}

#: Event types whose numbers the views sum over a period: per (type, village, business day,
#: key) the projection keeps the sums (`flow_sums`), so a period's money never reads payloads.
SUMS: dict[str, SumFn] = {**funds.SUMS}

KIND_LABELS = {
    "household": "贫困户",
    "household_index": "户主身份证索引",
    "erasure": "个人信息删除",
    "activity": "五大活动",
    "project": "民生实事项目",
    "site": "社区服务场所",
    "station": "便民服务站",
    "agency": "代办事项",
    "programme": "资金项目",
    "beneficiary": "领款人",
    "redflag": "问题预警",
    "assets": "三资台账",
    "collective": "村级集体经济",
    "disclosure": "村级财务公开",
    "measure": "主要措施",
    "item": "清单事项",
    "petition": "信访件",
    "directive": "批示交办件",
    "clue": "问题线索",
    "branch": "党支部",
    "member": "党员",
    "training": "集中培训",
    "assessment": "支部量化评分",
    "adjustment": "村干部调整",
    "accountability": "问责扣分",
    "party_key": "登记索引",
    "checkpoint": "存储检查点",
    "decision": "四议两公开决策",
    "cproject": "集体经济项目",
    "books": "村账乡代理账簿",
    "powers": "小微权力清单",
    "breach": "小微权力运行问题",
    "committee": "村务监督委员会",
    "unitfacts": "年度考核事实",
    "appraisal": "年度绩效考核",
}

#: Kinds whose audit trail only the clue readers may open (measure 11 and 13 casework).
CONFIDENTIAL_KINDS = frozenset({"clue"})


def status_label(kind: str, status: str | None) -> str:
    """The zh-CN name of a status of an entity of `kind`. A known kind is named from its own
    statuses only (a status word can mean different things for different kinds); an unknown
    status is shown as it is."""
    if not status:
        return ""
    labels = _LABELS_BY_KIND.get(kind)
    if labels is not None:
        return labels.get(status, status)
    for other in _ALL:
        if status in other:
            return other[status]
    return status


def event_label(event_type: str) -> str:
    """The zh-CN name of an event type (its wire name when unknown)."""
    rule = RULES.get(event_type)
    return rule.label if rule and rule.label else event_type.rsplit(".", 1)[-1]


_LABELS_BY_KIND: dict[str, dict[str, str]] = {
    **relief.STATUS_LABELS,
    **{
        k: funds.STATUS_LABELS
        for k in ("programme", "beneficiary", "redflag", "assets", "collective", "disclosure")
    },
    **{k: supervision.STATUS_LABELS for k in ("measure", "item", "petition", "directive", "clue")},
    **{
        k: party.STATUS_LABELS for k in ("branch", "member", "training", "assessment", "adjustment")
    },
    **funds.GOVERNANCE_LABELS,
    **supervision.GOVERNANCE_LABELS,
    **party.GOVERNANCE_LABELS,
}
#: For entities of kinds no rule names (a new service's events), the first service that knows
#: the status word names it.
_ALL = (
    supervision.STATUS_LABELS,
    *relief.STATUS_LABELS.values(),
    funds.STATUS_LABELS,
    party.STATUS_LABELS,
)
