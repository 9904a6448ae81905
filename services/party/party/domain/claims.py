"""Natural keys registered once (唯一性): a member's ID number, a village's branch.

Each key has its own stream (`claim-<kind>-<key>`); the first command to claim it wins and a
later one is refused with 409, whatever the entity's own id."""

from __future__ import annotations

from party.domain.events import NaturalKeyClaimed
from shared.kernel import Aggregate, AlreadyExists, Event, ResidentId
from shared.personal.secret import person_ref

ID_NUMBER = "member-id-number"
VILLAGE_BRANCH = "village-branch"


def id_number_claim(resident: ResidentId) -> str:
    """The claim stream of an ID number (its keyed reference: the number stays out of stream
    ids, and an unkeyed hash of it could be reversed by trying every number)."""
    return f"claim-idno-{person_ref(resident.value)}"


def village_branch_claim(village_code: str) -> str:
    """The claim stream of a village's (or community's) own branch."""
    return f"claim-village-branch-{village_code}"


class Claim(Aggregate):
    """A natural key and the entity that holds it."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.kind = ""
        self.owner_id = ""

    def claim(self, kind: str, owner_id: str, what: str) -> None:
        if self.exists:
            raise AlreadyExists(f"{what}已登记 ({self.owner_id}) (already registered)")
        self._record(NaturalKeyClaimed(kind=kind, owner_id=owner_id))

    def _apply(self, event: Event) -> None:
        assert isinstance(event, NaturalKeyClaimed)
        self.kind = event.kind
        self.owner_id = event.owner_id
