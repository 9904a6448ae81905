"""个人信息删除 (relief's erasure command), given/when/then on the aggregate: an erasure names the
person by reference only, needs a reason, and the reason (kept for ever) may hold no ID number."""

from __future__ import annotations

import datetime as dt

import pytest
from relief.domain.erasure import Erasure, erasure_stream
from relief.domain.events import ErasureRequested

from shared.kernel import Refused

REF = "a" * 32
ON = dt.date(2016, 9, 1)


def test_an_erasure_is_recorded_by_reference_with_its_reason() -> None:
    erasure = Erasure(erasure_stream(REF))
    erasure.request(erasure_id="e-1", person_ref=REF, reason="  本人申请删除  ", on=ON)
    assert erasure.take_pending() == [
        ErasureRequested(erasure_id="e-1", person_ref=REF, reason="本人申请删除", requested_on=ON)
    ]


@pytest.mark.parametrize(
    ("reason", "why"),
    [("   ", "须说明理由"), ("本人 430321197001010014 申请", "不得写身份证号")],
)
def test_an_erasure_without_a_proper_reason_is_refused(reason: str, why: str) -> None:
    erasure = Erasure(erasure_stream(REF))
    with pytest.raises(Refused, match=why):
        erasure.request(erasure_id="e-1", person_ref=REF, reason=reason, on=ON)
    assert erasure.take_pending() == []
