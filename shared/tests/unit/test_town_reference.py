"""Each town's villages come from its reference file; a command naming a village of another
town with a reference file is forbidden (403), an unknown one refused (422)."""

from __future__ import annotations

import pytest

from shared.kernel import Refused
from shared.pipeline import Scope
from shared.settings import YISUHE_TOWN_CODE
from shared.town import ForeignVillage, load_town, reference_towns, town_of_village

HUASHI = "430321106"


def test_the_second_town_is_read_from_its_own_file() -> None:
    huashi = load_town(HUASHI)
    assert huashi.name == "花石镇" and huashi.code == HUASHI
    assert all(v.code.startswith(HUASHI) and len(v.code) == 12 for v in huashi.villages)
    assert {t.code for t in reference_towns()} >= {YISUHE_TOWN_CODE, HUASHI}
    names = [v.name for t in reference_towns() for v in t.villages]
    assert len(names) == len(set(names)), "a village name must say which town it is in"


def test_a_village_of_another_town_is_forbidden_not_unknown() -> None:
    yisuhe, huashi = load_town(YISUHE_TOWN_CODE), load_town(HUASHI)
    with pytest.raises(ForeignVillage, match="无权访问该镇的数据") as caught:
        yisuhe.known_village("竹山村")
    assert caught.value.status == 403
    with pytest.raises(ForeignVillage):
        huashi.known_village(" 石壁村 ")
    with pytest.raises(ForeignVillage):
        Scope().checked_village(huashi, "430321100201")  # by code too
    with pytest.raises(Refused, match="未知村"):
        huashi.known_village("无此村")
    assert huashi.known_village("竹山村").code == "430321106202"
    assert town_of_village("石壁村") == yisuhe
