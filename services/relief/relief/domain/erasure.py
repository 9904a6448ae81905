"""A person's erasure (个人信息删除): the town secretary orders a resident's personal data
erased, with a reason; every service then deletes its keys of that person (`shared.personal`).

The stream is the person's (`erasure-<person_ref>`): a second request for the same person is
recorded too (data recorded after the first erasure is new data, with a new key)."""

from __future__ import annotations

import datetime as dt
import re

from relief.domain.events import ErasureRequested
from shared.kernel import Aggregate, Event, Refused

_ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def erasure_stream(person_ref: str) -> str:
    return f"erasure-{person_ref}"


class Erasure(Aggregate):
    """The erasures ordered for one person (by their keyed reference)."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.requests: list[str] = []

    def request(self, *, erasure_id: str, person_ref: str, reason: str, on: dt.date) -> None:
        if not reason.strip():
            raise Refused("删除个人信息须说明理由 (an erasure needs a reason)")
        if _ID_NUMBER.search(reason):  # the reason is kept for ever: no one's number in it
            raise Refused("删除理由中不得写身份证号 (no ID number in the reason: it is kept)")
        self._record(
            ErasureRequested(
                erasure_id=erasure_id, person_ref=person_ref, reason=reason.strip(), requested_on=on
            )
        )

    def _apply(self, event: Event) -> None:
        if isinstance(event, ErasureRequested):
            self.requests.append(event.erasure_id)
