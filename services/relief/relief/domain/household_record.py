"""The household's record (建档): its members, head first, with valid and distinct ID numbers,
its causes of poverty, and the index that lets a head's ID number register one household."""

from __future__ import annotations

from dataclasses import dataclass

from relief.domain.events import HeadIdNumberClaimed, MemberRecord
from relief.domain.values import HEAD_RELATION, POVERTY_CAUSES, check_vocabulary
from shared.kernel import Aggregate, AlreadyExists, Event, Refused, ResidentId
from shared.personal.secret import person_ref


def head_index_stream(head_id_number: str) -> str:
    """The uniqueness index of a head's ID number: one stream per number, never the number."""
    return f"household-head-{person_ref(ResidentId(head_id_number).value)}"


@dataclass(frozen=True, slots=True)
class Person:
    """A member as given in a command (the ID number not yet validated)."""

    name: str
    id_number: str
    relation: str


class HeadIndex(Aggregate):
    """The index stream that makes a head's ID number register at most one household."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.claimed_by = ""

    def claim(self, household_id: str, masked_id: str) -> None:
        if self.exists:
            raise AlreadyExists(
                f"户主身份证号 {masked_id} 已建档 (a household with this head is already "
                f"registered: {self.claimed_by})"
            )
        self._record(HeadIdNumberClaimed(household_id=household_id))

    def _apply(self, event: Event) -> None:
        if isinstance(event, HeadIdNumberClaimed):
            self.claimed_by = event.household_id


def members_of(head: Person, others: list[Person]) -> list[MemberRecord]:
    """The household's members, head first; ID numbers valid and each person once."""
    if not head.name.strip():
        raise Refused("户主姓名不能为空 (head name is required)")
    records = [
        MemberRecord(name=head.name.strip(), id_number=head.id_number, relation=HEAD_RELATION)
    ]
    for person in others:
        if person.relation.strip() == HEAD_RELATION:
            raise Refused("一户只能有一位户主 (only one head per household)")
        if not person.name.strip() or not person.relation.strip():
            raise Refused("家庭成员须有姓名和与户主关系 (members need a name and a relation)")
        records.append(
            MemberRecord(
                name=person.name.strip(), id_number=person.id_number, relation=person.relation
            )
        )
    seen: set[str] = set()
    valid = []
    for record in records:
        number = ResidentId(record.id_number)
        if number.value in seen:
            raise Refused(f"身份证号 {number.masked} 在本户重复 (a person is listed twice)")
        seen.add(number.value)
        valid.append(
            MemberRecord(name=record.name, id_number=number.value, relation=record.relation)
        )
    return valid


def valid_causes(causes: list[str]) -> list[str]:
    if not causes:
        raise Refused("至少填写一项致贫原因 (at least one cause of poverty)")
    for cause in causes:
        check_vocabulary(cause, POVERTY_CAUSES, "致贫原因")
    return list(dict.fromkeys(causes))
