"""Who may call what (roles), who sees what, and the plumbing every read shares (the
caller's village scope is `shared.pipeline.Scope`, the party's rule for branches
`application.dependencies.check_branch`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Request

from party.application.dependencies import Deps
from shared.command_routes import pipeline_of
from shared.roles import Principal, Role
from shared.web import require

#: The organisation committee member (组织委员) records the party's work.
Writer = Annotated[Principal, Depends(require(Role.ORGANISATION_MEMBER))]
#: ... and a branch secretary may record points and branch sessions of their own branch.
BranchWriter = Annotated[
    Principal, Depends(require(Role.ORGANISATION_MEMBER, Role.BRANCH_SECRETARY))
]
#: Readers: the town secretary and the auditor read all, a branch secretary their own branch.
Reader = Annotated[
    Principal,
    Depends(
        require(Role.ORGANISATION_MEMBER, Role.TOWN_SECRETARY, Role.AUDITOR, Role.BRANCH_SECRETARY)
    ),
]
#: Town-wide reads and personnel cases: not for branch secretaries.
TownReader = Annotated[
    Principal, Depends(require(Role.ORGANISATION_MEMBER, Role.TOWN_SECRETARY, Role.AUDITOR))
]
#: Accountability outcomes: also the discipline secretary, whose decisions they follow.
AccountabilityReader = Annotated[
    Principal,
    Depends(
        require(
            Role.ORGANISATION_MEMBER,
            Role.TOWN_SECRETARY,
            Role.AUDITOR,
            Role.DISCIPLINE_SECRETARY,
        )
    ),
]

#: The yearly appraisal: the town's leaders (党委书记, 副书记, 纪委书记 — who takes the referrals
#: to 为官不为整治) and the auditor read it all, a branch secretary his own branch's result.
AppraisalReader = Annotated[
    Principal,
    Depends(
        require(
            Role.ORGANISATION_MEMBER,
            Role.TOWN_SECRETARY,
            Role.DEPUTY_SECRETARY,
            Role.DISCIPLINE_SECRETARY,
            Role.AUDITOR,
            Role.BRANCH_SECRETARY,
        )
    ),
]


def _deps(request: Request) -> Deps:
    deps: Deps = request.app.state.party
    return deps


PartyDeps = Annotated[Deps, Depends(_deps)]


def _today(request: Request) -> dt.date:
    """Today in China, by the pipeline's clock (a read's default year and "as of" day)."""
    return pipeline_of(request).today()


Today = Annotated[dt.date, Depends(_today)]


def sees_id_numbers(principal: Principal) -> bool:
    """Only the organisation committee member sees full ID numbers; others see them masked."""
    return principal.role == Role.ORGANISATION_MEMBER
