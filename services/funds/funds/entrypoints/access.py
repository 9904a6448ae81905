"""Who may do and see what in the funds service.

- the economic leader (分管经济发展) records programmes, payments, 三资, income and disclosures;
- the discipline secretary (纪委书记) confirms red flags and sees full detail: unmasked names
  and ID numbers; every other reader sees them masked;
- village clerks and branch secretaries see (and clerks disclose) their own village only —
  the shared village scope (`shared.pipeline.Scope`), for reads and writes alike;
- the public sees published notices only, without personal data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from shared.personal import disclosed
from shared.pipeline import Scope
from shared.roles import Principal, Role
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
    """A reader's view of the data: where they may look (`scope`, the shared village scope)
    and whether they see names and ID numbers in full or masked (脱敏)."""

    scope: Scope
    full: bool

    @classmethod
    def of(cls, principal: Principal) -> "Access":
        """The caller's access; a village-scoped role bound to no village sees nothing (403)."""
        return cls(Scope.of(principal), full=principal.role in FULL_DETAIL)

    def name(self, value: str, *, of: str | None = None) -> str:
        """A person's name as the caller sees it (`of`: their ID number, for the access log)."""
        return disclosed.name(value, self.full, of=of)

    def id_number(self, value: str) -> str:
        return disclosed.id_number(value, self.full)


def reader(*roles: Role) -> Callable[[Principal], Access]:
    """A dependency giving the `Access` of a caller in one of `roles` (default: readers)."""
    allowed = require(*(roles or READERS))

    # no `from __future__ import annotations` here: FastAPI must see `allowed` in the signature
    def dependency(principal: Annotated[Principal, Depends(allowed)]) -> Access:
        return Access.of(principal)

    return dependency
