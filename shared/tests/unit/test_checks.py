"""The checks every service's commands share: a known village of the town (未知村/社区 is
refused), the caller's expected version (a stale one is a conflict), a valid resident ID
number in a request body, and the roles confined to their own village."""

from typing import Annotated

import pytest
from pydantic import AfterValidator, BaseModel, ValidationError

from shared.kernel import (
    Aggregate,
    ConcurrencyConflict,
    Refused,
    check_version,
    make_resident_id,
)
from shared.roles import VILLAGE_SCOPED, Role
from shared.town import load_town
from shared.web import resident_id_number


def test_a_village_is_known_by_name_or_code_and_any_other_is_refused() -> None:
    town = load_town()
    shibi = town.known_village("石壁村")
    assert town.known_village(f" {shibi.code} ") == shibi == town.village("石壁村")
    with pytest.raises(Refused, match=r"未知村/社区 .*: 桃源村$"):
        town.known_village(" 桃源村 ")


def test_a_stale_expected_version_is_a_conflict() -> None:
    counter = Aggregate("counter-1")
    counter.version = 2
    check_version(counter, None)
    check_version(counter, 2)
    with pytest.raises(ConcurrencyConflict, match=r"counter-1 .*当前版本 2，请求基于版本 1"):
        check_version(counter, 1)


class Person(BaseModel):
    id_number: Annotated[str, AfterValidator(resident_id_number)]


def test_a_request_bodys_resident_id_number_is_checked_and_normalised() -> None:
    valid = make_resident_id("43032119680214001").value
    assert Person(id_number=valid.lower()).id_number == valid
    with pytest.raises(ValidationError, match="校验位错误"):
        Person(id_number=valid[:17] + ("0" if valid[17] != "0" else "1"))


def test_clerks_and_branch_secretaries_are_confined_to_their_village() -> None:
    assert {Role.VILLAGE_CLERK, Role.BRANCH_SECRETARY} == VILLAGE_SCOPED
