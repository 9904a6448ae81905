"""The steps of village affairs (村务运行步骤): one vocabulary for the services that record them.

funds' acts (a collective project started, an asset disposed of, an expense booked) name the
steps they went through; supervision's lists of small powers (小微权力清单) name the steps each
flow asks; the projection shows both. The words are the published contract between them, so
they are declared here once, with their zh-CN labels.
"""

from __future__ import annotations

from typing import Final

#: Step → label, in the order a procedure goes through them.
STEP_LABELS: Final[dict[str, str]] = {
    "proposed": "村党组织提议",
    "consulted": "村“两委”会议商议",
    "reviewed": "党员大会审议",
    "resolved": "村民代表会议决议",
    "resolution_disclosed": "决议公开",
    "result_disclosed": "实施结果公开",
    "filed": "报财政所备案",
    "handled": "经办",
    "reviewed_by_committee": "村务监督委员会审核",
    "approved": "审批",
    "booked": "代理会计记账",
}
STEPS: Final[tuple[str, ...]] = tuple(STEP_LABELS)


def step_label(step: str) -> str:
    """A step's label (the step itself for a word outside the vocabulary)."""
    return STEP_LABELS.get(step, step)
