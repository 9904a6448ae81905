"""What the party handlers and reads need, handed in by `bootstrap` (`Work.deps`): the reader,
the lookup-table queries, the rule books and scoring sheets, the appraisal facts kept from
supervision — and the party's one scope rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from party.adapters.queries import Queries
from party.domain.appraisal import AppraisalFacts
from party.domain.assessment import ScoringSheets
from party.domain.branches import TERRITORIAL, VillageRef
from party.domain.rules import RuleBooks
from shared.ids import uuid7
from shared.kernel import NotFound
from shared.pipeline import Scope
from shared.readers import AggregateReader
from shared.town import Town


class FactsSource(Protocol):
    """The appraisal facts supervision recorded, as party keeps them (latest per year)."""

    async def facts(self, year: int) -> AppraisalFacts | None: ...


@dataclass(frozen=True, slots=True)
class Deps:
    """The handlers' (and reads') dependencies."""

    reader: AggregateReader
    queries: Queries
    books: RuleBooks
    sheets: ScoringSheets
    facts: FactsSource


def branch_village(kind: str, village: str | None) -> str | None:
    """The village a branch is scoped by (支部所属村): its own for a village or
    community branch; none — town level — for an organ or enterprise branch, even one located
    in a village. A branch secretary (village-scoped) may act only on the territorial branch
    of their own village: a limited `Scope` never allows a town-level branch."""
    return village if kind in TERRITORIAL else None


def check_branch(scope: Scope, row: dict[str, Any] | None, what: str = "党支部") -> None:
    """`NotFound` (404) if there is no such branch; `OutOfScope` (403) if it is not the
    caller's."""
    if row is None:
        raise NotFound(f"{what}不存在 (does not exist)")
    scope.check(branch_village(str(row["kind"]), row["village"]))


def village_ref(town: Town, name: str) -> VillageRef:
    """The town's village or community of this name or code; `Refused` for another."""
    village = town.known_village(name)
    return VillageRef(village.code, village.name, village.kind)


def new_id(kind: str) -> str:
    """A generated id for an entity the caller gave none (`member-…`, `training-…`)."""
    return f"{kind}-{uuid7().hex}"
