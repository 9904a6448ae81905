"""Resident ID numbers (居民身份证号) are validated by GB 11643-1999 and masked for views."""

import datetime as dt

import pytest

from shared.kernel import InvalidResidentId, ResidentId, make_resident_id, mask_name


def test_a_valid_number_is_accepted_and_masked() -> None:
    rid = make_resident_id("43032119800101123")
    assert rid.birth_date == dt.date(1980, 1, 1)
    assert rid.area_code == "430321"
    assert rid.masked == "430321********123" + rid.value[-1]
    assert str(rid) == rid.masked


def test_the_published_example_checks() -> None:
    assert ResidentId("11010519491231002X").value == "11010519491231002X"
    assert ResidentId("11010519491231002x").value == "11010519491231002X"


def _with_check(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11010519491231002", "格式"),
        ("110105194912310021", "校验位"),
        (_with_check("43032119801301123"), "出生日期"),  # month 13, check character right
    ],
)
def test_bad_numbers_are_refused_with_the_reason(value: str, reason: str) -> None:
    with pytest.raises(InvalidResidentId, match=reason):
        ResidentId(value)


def test_names_keep_the_family_name() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳修文") == "欧阳**"
