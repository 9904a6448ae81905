"""Helpers of relief's integration tests: valid ID numbers, and a party event published as
party would (built on `shared.testing`)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

from shared.envelope import Actor, Envelope
from shared.kernel import make_resident_id
from shared.testing import foreign_envelope, publish


def resident(seed: int, born: str = "19680214") -> str:
    """A valid ID number; `seed` (0–999) makes it distinct."""
    return make_resident_id(f"430321{born}{seed % 1000:03d}").value


_SEQUENCE = itertools.count(uuid.uuid4().int % 1000)


def fresh_resident(born: str = "19680214") -> str:
    """A valid ID number not handed out before in this test session (up to 1000 per date)."""
    return resident(next(_SEQUENCE), born)


async def publish_member_joined(
    bootstrap: str, *, member_id: str, name: str, village: str | None, branch_id: str = "b-test"
) -> Envelope:
    """A `party.MemberJoined` on `party.events`, as party would publish it."""
    env = foreign_envelope(
        "party.MemberJoined",
        f"member-{member_id}",
        {
            "member_id": member_id,
            "branch_id": branch_id,
            "name": name,
            "village": village,
            "id_number": resident(77, "19750101"),
            "membership": "full",
            "joined_party_on": "1998-07-01",
            "joined_on": "2016-02-01",
        },
        occurred_at=dt.datetime(2016, 2, 1, 12, tzinfo=dt.UTC),
        actor=Actor("organisation", "organisation_member"),
    )
    await publish(bootstrap, "party.events", env)
    return env
