"""What the handlers need from the outside: the party-member directory (a protocol the adapter
and the test fakes implement), and the relief handlers' unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from relief.domain.values import KnownMember, Policy
from shared import pipeline


class MemberDirectory(Protocol):
    """Relief's own view of the party members (built from `party.MemberJoined`)."""

    async def member(self, member_id: str) -> KnownMember | None: ...


@dataclass(frozen=True, slots=True)
class Deps:
    """What relief's handlers consult besides the store, wired once by `bootstrap`: the
    policy file (poverty lines, targets) and the party members."""

    policy: Policy
    members: MemberDirectory


#: A relief command's unit of work: business day, caller's scope, town, and `Deps`.
Work = pipeline.Work[Deps]
