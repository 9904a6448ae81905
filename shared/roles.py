"""Who acts (角色与身份): the roles of the design brief and the authenticated caller. Plain
values, no token handling (that is `shared.auth`), so domain modules may use them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.envelope import Actor
from shared.settings import YISUHE_TOWN_CODE


class Role(StrEnum):
    """The roles of the design brief (角色)."""

    TOWN_SECRETARY = "town_secretary"  # 党委书记: reads all
    DEPUTY_SECRETARY = "deputy_secretary"  # 党委副书记: petitions
    ORGANISATION_MEMBER = "organisation_member"  # 组织委员: party
    DISCIPLINE_SECRETARY = "discipline_secretary"  # 纪委书记: supervision, clues, fund detail
    AGRICULTURE_LEADER = "agriculture_leader"  # 分管农业: relief
    ECONOMIC_LEADER = "economic_leader"  # 分管经济发展: funds, 三资
    VILLAGE_CLERK = "village_clerk"  # 村级代办员/文书: own village only
    BRANCH_SECRETARY = "branch_secretary"  # 村党支部书记: own branch (village) only
    AUDITOR = "auditor"  # 审计: read all, audit, replay
    PUBLIC = "public"  # 公众: published notices only
    SYSTEM = "system"  # a service acting on another's event; never a person


#: The roles confined to their own village (`Principal.village`) in every service.
VILLAGE_SCOPED = frozenset({Role.VILLAGE_CLERK, Role.BRANCH_SECRETARY})
#: The roles a person may be given a token for.
PERSON_ROLES = tuple(r for r in Role if r is not Role.SYSTEM)


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    user_id: str
    name: str
    role: Role
    village: str | None = None
    #: The tenant the caller acts for: a town's administrative code (行政区划代码), or a
    #: county's, which covers its towns (`covers`). Tokens without the claim are Yisuhe's.
    town: str = YISUHE_TOWN_CODE

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, role=self.role.value)

    def covers(self, town: str) -> bool:
        """True if the caller's scope includes `town`: the same code, or a code it is a prefix
        of (a county's 430321 covers its towns 430321xxx)."""
        return town.startswith(self.town)
