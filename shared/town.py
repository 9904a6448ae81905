"""The town's reference data (村、社区 and their codes), read from `shared/reference/`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from shared.kernel import Refused
from shared.settings import YISUHE_TOWN_CODE

REFERENCE = Path(__file__).resolve().parent / "reference"

#: The programme's first day when a town's reference file names none: the plan dates from 2016.
PROGRAMME_SINCE = dt.date(2016, 1, 1)


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
        any other is refused (422 "未知村/社区")."""
        village = self.village(name_or_code.strip())
        if village is None:
            raise Refused(f"未知村/社区 (unknown village): {name_or_code.strip()}")
        return village

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
