"""The read-access log's hash chain (`shared.personal.access_log.breaks`): a chain as written
verifies; an edited row, a deleted row and a broken link are each named."""

from __future__ import annotations

import dataclasses
import datetime as dt

from shared.personal.access_log import GENESIS, Entry, breaks

T0 = dt.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=dt.UTC)


def chain(n: int) -> list[Entry]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = Entry(
            seq=seq,
            at=T0 + dt.timedelta(minutes=seq),
            user_id=f"u-{seq}",
            role="town_secretary",
            endpoint=f"GET /api/v1/audit/household-{seq}",
            persons=("a" * 32,),
            shown=2,
            prev_hash=prev,
        )
        entry = dataclasses.replace(entry, hash=entry.hashed())
        entries.append(entry)
        prev = entry.hash
    return entries


def test_a_chain_as_written_verifies() -> None:
    assert breaks(chain(5)) == []
    assert breaks([]) == []


def test_the_hash_covers_every_field_and_at_to_the_microsecond() -> None:
    entry = chain(1)[0]
    for change in (
        {"at": entry.at + dt.timedelta(microseconds=1)},
        {"user_id": "u-x"},
        {"role": "auditor"},
        {"endpoint": "GET /elsewhere"},
        {"persons": ()},
        {"shown": 3},
        {"prev_hash": "f" * 64},
        {"seq": 2},
    ):
        assert dataclasses.replace(entry, **change).hashed() != entry.hash, change
    # the same instant in another time zone is the same row
    local = entry.at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert dataclasses.replace(entry, at=local).hashed() == entry.hash


def test_an_edited_row_is_named() -> None:
    rows = chain(4)
    rows[1] = dataclasses.replace(rows[1], user_id="someone-else")
    assert [(b.seq, b.kind) for b in breaks(rows)] == [(2, "edited")]


def test_an_edited_row_whose_hash_was_recomputed_breaks_the_next_link() -> None:
    rows = chain(4)
    forged = dataclasses.replace(rows[1], persons=())
    rows[1] = dataclasses.replace(forged, hash=forged.hashed())
    assert [(b.seq, b.kind) for b in breaks(rows)] == [(3, "link")]


def test_a_deleted_row_is_named() -> None:
    rows = chain(5)
    del rows[2]
    found = breaks(rows)
    assert [(b.seq, b.kind) for b in found] == [(3, "missing")]
    assert "3" in found[0].reason
    rows = chain(6)
    del rows[1:4]
    assert [(b.seq, b.kind) for b in breaks(rows)] == [(2, "missing")]
    assert "2–4" in breaks(rows)[0].reason


def test_a_deleted_first_row_is_named() -> None:
    assert [(b.seq, b.kind) for b in breaks(chain(3)[1:])] == [(1, "missing")]
