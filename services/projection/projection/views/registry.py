"""Every leadership view by name (the URL under `/api/v1/views/` and `/dashboard/`)."""

from __future__ import annotations

from dataclasses import dataclass

from projection.views import (
    auditing,
    casework,
    collective,
    county,
    funds,
    governance,
    members,
    overview,
    party,
    relief,
    sites,
    supervision,
    whatif,
)
from projection.views.common import Builder


@dataclass(frozen=True, slots=True)
class ViewSpec:
    """A view's name, its zh-CN title, the group it is shown under, and its builder."""

    name: str
    title: str
    group: str
    build: Builder


SPECS = (
    ViewSpec("overview", "十四项措施总览", "总览", overview.overview),
    ViewSpec("county/towns", "各镇对比", "总览", county.towns),
    ViewSpec("relief/villages", "精准扶贫 · 分村", "扶贫与民生", relief.households),
    ViewSpec("relief/activities", "五大活动", "扶贫与民生", relief.activities),
    ViewSpec("relief/projects", "民生实事项目", "扶贫与民生", sites.projects),
    ViewSpec("relief/sites", "服务阵地", "扶贫与民生", sites.sites),
    ViewSpec("funds/programmes", "资金项目", "资金监管", funds.programmes),
    ViewSpec("funds/red-flags", "问题预警", "资金监管", funds.red_flags),
    ViewSpec("funds/assets", "三资台账", "资金监管", collective.assets),
    ViewSpec("funds/zero-villages", "集体经济清零", "资金监管", collective.zero_villages),
    ViewSpec("funds/disclosures", "阳光村务", "资金监管", collective.disclosures),
    ViewSpec("supervision/items", "三张清单", "督查问责", supervision.items),
    ViewSpec("supervision/petitions", "信访积案", "督查问责", supervision.petitions),
    ViewSpec("supervision/directives", "批示交办", "督查问责", casework.directives),
    ViewSpec("supervision/clues", "线索问责", "督查问责", casework.clues),
    ViewSpec("party/branches", "支部排名", "党建", party.branches),
    ViewSpec("party/points", "党员积分", "党建", members.points),
    ViewSpec("party/training", "教育培训", "党建", members.training),
    ViewSpec("party/adjustments", "村干部调整", "党建", party.adjustments),
    ViewSpec("party/appraisal", "年度绩效考核", "党建", county.by_town(party.appraisal)),
    ViewSpec("governance/decisions", "四议两公开", "乡村治理", governance.decisions),
    ViewSpec("governance/books", "村账乡代理", "乡村治理", governance.books),
    ViewSpec("governance/powers", "小微权力", "乡村治理", governance.powers),
    ViewSpec("governance/committees", "村务监督委员会", "乡村治理", governance.committees),
    ViewSpec("audit/backdated", "补录预警", "审计", auditing.backdated),
    ViewSpec("audit/broken-chains", "断链", "审计", auditing.broken_chains),
    ViewSpec("audit/whatif", "推演", "审计", whatif.whatif),
)
VIEWS = {spec.name: spec for spec in SPECS}
