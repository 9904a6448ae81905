"""Who may do and see what in the funds service.

- the economic leader (分管经济发展) records programmes, payments, 三资, income and disclosures;
- the discipline secretary (纪委书记) confirms red flags and sees full detail: unmasked names
  and ID numbers; every other reader sees them masked;
- village clerks and branch secretaries see (and clerks disclose) their own village only;
- the public sees published notices only, without personal data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from shared.auth import VILLAGE_SCOPED, Principal, Role
from shared.kernel import mask_id, mask_name
from shared.town import Town
from shared.web import require

WRITERS = (Role.ECONOMIC_LEADER,)
FLAG_HANDLERS = (Role.ECONOMIC_LEADER, Role.DISCIPLINE_SECRETARY)
CONFIRMERS = (Role.DISCIPLINE_SECRETARY,)
CHECKERS = (Role.ECONOMIC_LEADER, Role.DISCIPLINE_SECRETARY, Role.SYSTEM)
DISCLOSERS = (Role.ECONOMIC_LEADER, Role.VILLAGE_CLERK)
READERS = tuple(r for r in Role if r is not Role.PUBLIC)
EVERYONE = tuple(Role)
FULL_DETAIL = frozenset({Role.DISCIPLINE_SECRETARY})


@dataclass(frozen=True, slots=True)
class Access:
    """The caller's view of the data: full or masked, the whole town or one village."""

    principal: Principal
    village: str | None
    full: bool

    def check(self, village: str | None) -> None:
        """403 unless the caller may see or act on `village` (None: a town-level entity)."""
        if self.village is not None and village != self.village:
            raise HTTPException(403, f"只能访问本村数据 (own village only: {self.village})")

    def sees(self, village: str | None) -> bool:
        return self.village is None or village == self.village

    def name(self, value: str) -> str:
        return value if self.full else mask_name(value)

    def id_number(self, value: str) -> str:
        return value if self.full else mask_id(value)


def access_for(principal: Principal, town: Town) -> Access:
    """The caller's access; a village-scoped role without a known village sees nothing."""
    if principal.role in VILLAGE_SCOPED:
        own = town.village(principal.village or "")
        if own is None:
            raise HTTPException(403, "村级账号未指定所属村 (no village in the token)")
        return Access(principal, own.name, full=False)
    return Access(principal, None, full=principal.role in FULL_DETAIL)


def _town(request: Request) -> Town:
    town: Town = request.app.state.town
    return town


def reader(*roles: Role) -> Callable[[Request, Principal], Access]:
    """A dependency giving the `Access` of a caller in one of `roles` (default: readers)."""
    allowed = require(*(roles or READERS))

    # no `from __future__ import annotations` here: FastAPI must see `allowed` in the signature
    def dependency(request: Request, principal: Annotated[Principal, Depends(allowed)]) -> Access:
        return access_for(principal, _town(request))

    return dependency
