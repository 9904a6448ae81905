"""Relief's view of the party members: `party.MemberJoined` adds a member (only the fields the
contract names); every other event of `party.events` is ignored; a malformed one fails (the
consumer sends it to the dead-letter topic)."""

import asyncio
from typing import Any

import pytest
from relief.domain.values import KnownMember
from relief.entrypoints.reactions import party_member_joined

from shared.envelope import Envelope
from shared.testing import foreign_envelope


class RecordingView:
    def __init__(self) -> None:
        self.added: list[KnownMember] = []

    async def add(self, conn: Any, member: KnownMember, env: Envelope | None = None) -> None:
        self.added.append(member)


def envelope(event_type: str, payload: dict[str, Any]) -> Envelope:
    return foreign_envelope(event_type, "member-m-1", payload)


JOINED = {
    "member_id": "m-1",
    "branch_id": "b-1",
    "name": "黄德明",
    "village": "石壁村",
    "membership": "full",
    "joined_on": "2016-02-01",
}


def test_a_member_who_joined_is_added_with_the_contract_fields() -> None:
    view = RecordingView()
    handle = party_member_joined(view)  # type: ignore[arg-type]
    asyncio.run(handle(None, envelope("party.MemberJoined", JOINED)))  # type: ignore[arg-type]
    assert view.added == [KnownMember("m-1", "b-1", "黄德明", "石壁村")]


def test_other_party_events_are_ignored() -> None:
    view = RecordingView()
    handle = party_member_joined(view)  # type: ignore[arg-type]
    asyncio.run(handle(None, envelope("party.BranchScored", {"branch_id": "b-1"})))  # type: ignore[arg-type]
    assert view.added == []


def test_a_member_without_a_branch_is_malformed() -> None:
    handle = party_member_joined(RecordingView())  # type: ignore[arg-type]
    payload = {k: v for k, v in JOINED.items() if k != "branch_id"}
    with pytest.raises(KeyError):
        asyncio.run(handle(None, envelope("party.MemberJoined", payload)))  # type: ignore[arg-type]
