"""The towns' reference data (村、社区 and their codes), read from `shared/reference/<code>.yaml`:
one file per town a service may serve (towns are tenants: `shared.tenants`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar

import yaml

from shared.kernel import DomainError, Refused
from shared.settings import YISUHE_TOWN_CODE

REFERENCE = Path(__file__).resolve().parent / "reference"

#: The programme's first day when a town's reference file names none: the plan dates from 2016.
PROGRAMME_SINCE = dt.date(2016, 1, 1)


class ForeignVillage(DomainError):
    """The command names a village of another town: not the caller's to act on (403)."""

    status: ClassVar[int] = 403
    title: ClassVar[str] = "无权限 (forbidden)"


@dataclass(frozen=True, slots=True)
class Village:
    """A village (村) or community (社区) of the town."""

    code: str
    name: str
    kind: str
    poor_village: bool = False


@dataclass(frozen=True, slots=True)
class Town:
    """A town (镇) and its villages and communities."""

    code: str
    name: str
    villages: tuple[Village, ...]
    #: The first day of the town's programme (连心惠民): no business fact is dated before it.
    programme_since: dt.date = PROGRAMME_SINCE

    def village(self, name_or_code: str) -> Village | None:
        """The village with this name or code, if the town has one."""
        for village in self.villages:
            if name_or_code in (village.name, village.code):
                return village
        return None

    def known_village(self, name_or_code: str) -> Village:
        """The village with this name or code (surrounding blanks ignored); a command naming
        a village of another town (one with a reference file) is forbidden (403: a town's
        officials never act on another's), any other is refused (422 "未知村/社区")."""
        wanted = name_or_code.strip()
        village = self.village(wanted)
        if village is not None:
            return village
        other = town_of_village(wanted)
        if other is not None and other.code != self.code:
            raise ForeignVillage(
                f"无权访问该镇的数据：{wanted}属于{other.name}，不属于{self.name}"
                f" (the village is {other.name}'s, {other.code}, not {self.code}'s)"
            )
        raise Refused(f"未知村/社区 (unknown village): {wanted}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.villages)


@cache
def load_town(code: str = YISUHE_TOWN_CODE) -> Town:
    """The town's reference data; `FileNotFoundError` names the missing file."""
    data = yaml.safe_load((REFERENCE / f"{code}.yaml").read_text(encoding="utf-8"))
    villages = tuple(
        Village(str(v["code"]), v["name"], v["kind"], bool(v.get("poor_village")))
        for v in data["villages"]
    )
    since = data.get("programme", {}).get("since", PROGRAMME_SINCE)
    return Town(
        code=str(data["town"]["code"]),
        name=data["town"]["name"],
        villages=villages,
        programme_since=dt.date.fromisoformat(str(since)),
    )


@cache
def reference_towns() -> tuple[Town, ...]:
    """Every town with a reference file, by code."""
    return tuple(load_town(path.stem) for path in sorted(REFERENCE.glob("*.yaml")))


def town_of_village(name_or_code: str) -> Town | None:
    """The town (of those with a reference file) that has a village of this name or code."""
    for town in reference_towns():
        if town.village(name_or_code) is not None:
            return town
    return None
