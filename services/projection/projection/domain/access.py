"""Who may read what in the leadership views, and what they see of people.

- Personal names and ID numbers are shown in full to the town secretary, the discipline
  secretary and the auditor; every other role sees them masked (`张*`, `430321********1234`).
- Village clerks and branch secretaries see their own village only (asking for another: 403).
- Micro-corruption clues and inaction reports (measure 11, 13) are listed in detail for the town
  secretary, the discipline secretary and the auditor; other leaders see their counts only.
- Replay reports and the 系统运行 page (lag, backlog, dead letters) are for the auditor and the
  town secretary.
- The public role reads only the public page of published notices (公示).
- Every response that shows a name or ID number unmasked is recorded in the read-access log
  (个人信息访问记录); the auditor and the town secretary read the log, the auditor verifies it.
- 乡村治理 (四议两公开, 村账乡代理, 小微权力, 村务监督委员会) and 年度绩效考核 are read like every
  view: the town's leaders and the auditor the whole town, village clerks and branch secretaries
  their own village (in 年度绩效考核 their branch secretary's row only; the appraisal's audit
  trail, which names every subject, is town-level), the public none of them.
- Towns (tenants): a token names the area it holds (`town`: a town's code, or a county's). A
  county projection shows the county to a county's token, with any of its towns as a filter; a
  town's token there sees its own town only (asking for another: 403), as on its town's own
  projection.
"""

from __future__ import annotations

from collections.abc import Collection

from shared.integrity.roles import VERIFIERS
from shared.roles import VILLAGE_SCOPED, Principal, Role

FULL_DETAIL = frozenset({Role.TOWN_SECRETARY, Role.DISCIPLINE_SECRETARY, Role.AUDITOR})
CLUE_READERS = FULL_DETAIL
REPLAY_READERS = frozenset({Role.AUDITOR, Role.TOWN_SECRETARY})
OPERATIONS_READERS = REPLAY_READERS
#: Who may start a what-if (推演) replay; its result is a view every leader reads.
WHATIF_RUNNERS = REPLAY_READERS
#: Every role that reads the leadership views (everyone but the public).
VIEW_READERS = tuple(r for r in Role if r is not Role.PUBLIC)


class OutOfScope(Exception):
    """The caller asked for a village outside their scope."""


def sees_full_detail(principal: Principal) -> bool:
    return principal.role in FULL_DETAIL


def verifies_sources(principal: Principal) -> bool:
    """Whether the caller may read the 存储核查 page."""
    return principal.role in VERIFIERS


def sees_operations(principal: Principal) -> bool:
    """Whether the caller may read the 系统运行 page."""
    return principal.role in OPERATIONS_READERS


def sees_clues(principal: Principal) -> bool:
    return principal.role in CLUE_READERS


def village_scope(principal: Principal, requested: str | None) -> str | None:
    """The village a request is limited to: the caller's own for village-scoped roles."""
    if principal.role in VILLAGE_SCOPED:
        if not principal.village:
            raise OutOfScope("该账号未绑定村/社区 (no village on this account)")
        if requested and requested != principal.village:
            raise OutOfScope(
                f"只能查看本村数据 (only {principal.village} may be read with this role)"
            )
        return principal.village
    return requested or None


def may_read_village(principal: Principal, village: str | None) -> bool:
    """Whether an entity of `village` (None: town level) is within the caller's scope."""
    if principal.role in VILLAGE_SCOPED:
        return village is not None and village == principal.village
    return principal.role is not Role.PUBLIC


def held_area(principal: Principal, default: str) -> str:
    """The area a caller's token holds (`default` if it names none)."""
    return principal.town or default


def town_scope(held: str, area: str, asked: str | None, towns: Collection[str] = ()) -> str | None:
    """The town a request on `area` is limited to: the caller's own town when the token holds
    one town of a county (one of `towns`, the county's); else the town asked for (None: the
    whole area). `asked` is one of the area's towns (checked before)."""
    if area.startswith(held):  # the token holds the area or more (a county, a province)
        return asked
    if held.startswith(area):  # one town of the county
        if held not in towns:  # not a town this projection rolls up (or below a town)
            raise OutOfScope(f"本驾驶舱没有该镇的数据 (no town {held} in {area})")
        if asked is not None and asked != held:
            raise OutOfScope(f"只能查看本镇数据 (only town {held} may be read with this token)")
        return held
    raise OutOfScope(f"该账号不属于本区域 (the token holds {held}, not {area})")
