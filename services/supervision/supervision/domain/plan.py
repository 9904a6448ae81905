"""The plan as data: its groups, posts, units and 14 measures, checked when read.

`parse_plan` turns the mapping read from a plan file into a `Plan`, or raises `PlanError`
naming the file, the place in it and what is wrong (e.g. `measures[3].deadline`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.kernel import Refused

from .events import Target

STANDING = "长期"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
MEASURE_COUNT = 14
_TOP_KEYS = {"plan", "principles", "posts", "units", "groups", "measures"}
_MEASURE_KEYS = {
    "number",
    "group",
    "title",
    "lead_post",
    "lead_units",
    "deadline",
    "tasks",
    "targets",
    "problems",
}


class PlanError(ValueError):
    """A plan file that does not describe the plan: the message says where and what."""


@dataclass(frozen=True, slots=True)
class Group:
    """One of the plan's four groups of measures, e.g. (一)抓民生实事."""

    number: int
    title: str


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """One measure as the plan states it."""

    number: int
    group: int
    title: str
    lead_post: str
    lead_units: tuple[str, ...]
    deadline: str
    tasks: tuple[str, ...]
    targets: tuple[Target, ...]
    problems: tuple[str, ...]

    @property
    def due_on(self) -> dt.date | None:
        """The last day of the deadline month; None for a standing (长期) measure."""
        return deadline_day(self.deadline)


@dataclass(frozen=True, slots=True)
class Plan:
    """The implementation plan (实施方案): what the supervision service holds the town to."""

    plan_id: str
    version: int
    title: str
    posts: tuple[str, ...]
    units: tuple[str, ...]
    groups: tuple[Group, ...]
    measures: tuple[MeasureSpec, ...]

    def measure(self, number: int) -> MeasureSpec:
        """The measure with this number, or `Refused` (the plan has 14)."""
        for spec in self.measures:
            if spec.number == number:
                return spec
        raise Refused(
            f"方案中没有第 {number} 项措施 (the plan has measures 1–{len(self.measures)})"
        )

    def group(self, number: int) -> Group:
        for group in self.groups:
            if group.number == number:
                return group
        raise KeyError(number)

    def require_post(self, post: str) -> str:
        """`post` if it is one of the plan's leading posts, else `Refused` listing them."""
        if post not in self.posts:
            raise Refused(f"牵头领导“{post}”不是方案中的职务，应为：{'、'.join(self.posts)}")
        return post


def deadline_day(deadline: str) -> dt.date | None:
    """`2016-12` → 2016-12-31 (a month deadline means its end); `长期` → None."""
    if deadline == STANDING:
        return None
    match = _MONTH.match(deadline)
    if not match:
        raise ValueError(f"“{deadline}” is neither YYYY-MM nor {STANDING}")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"“{deadline}” has no month {month}")
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class _Reader:
    """Reads one plan document, naming the place of the first problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> PlanError:
        return PlanError(f"{self.source}: {where}: {problem}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"expected a mapping, found {type(value).__name__}")
        return value

    def known(self, data: Mapping[str, Any], keys: set[str], where: str) -> None:
        unknown = sorted(str(k) for k in data if k not in keys)
        if unknown:
            place = where or "(top level)"
            raise self.fail(place, f"unknown key(s) {unknown}; expected some of {sorted(keys)}")

    def field(self, data: Mapping[str, Any], name: str, where: str) -> Any:
        if name not in data or data[name] is None:
            raise self.fail(f"{where}.{name}" if where else name, "missing")
        return data[name]

    def text(self, data: Mapping[str, Any], name: str, where: str) -> str:
        value = self.field(data, name, where)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{name}", f"expected non-empty text, found {value!r}")
        return value.strip()

    def integer(self, data: Mapping[str, Any], name: str, where: str) -> int:
        value = self.field(data, name, where)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{where}.{name}", f"expected a whole number, found {value!r}")
        return value

    def texts(self, data: Mapping[str, Any], name: str, where: str, *, empty: bool) -> list[str]:
        value = data.get(name, [] if empty else None)
        if value is None:
            raise self.fail(f"{where}.{name}", "missing")
        if not isinstance(value, list):
            raise self.fail(f"{where}.{name}", f"expected a list, found {type(value).__name__}")
        if not value and not empty:
            raise self.fail(f"{where}.{name}", "must not be empty")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{where}.{name}[{i}]", f"expected non-empty text, found {item!r}")
        if len(set(value)) != len(value):
            raise self.fail(f"{where}.{name}", "lists an entry twice")
        return [item.strip() for item in value]

    def items(self, data: Mapping[str, Any], name: str, where: str) -> list[Any]:
        value = self.field(data, name, where)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{where}.{name}" if where else name, "expected a non-empty list")
        return value


def parse_plan(data: Any, source: str = "plan") -> Plan:
    """The plan described by `data` (as read from YAML), or `PlanError` saying what is wrong."""
    r = _Reader(source)
    root = r.mapping(data, "(top level)")
    r.known(root, _TOP_KEYS, "")
    head = r.mapping(r.field(root, "plan", ""), "plan")
    plan_id = r.text(head, "id", "plan")
    version = r.integer(head, "version", "plan")
    if version < 1:
        raise r.fail("plan.version", f"must be 1 or more, found {version}")
    title = r.text(head, "title", "plan")
    posts = r.texts(root, "posts", "", empty=False)
    units = r.texts(root, "units", "", empty=False)
    groups = []
    for i, raw in enumerate(r.items(root, "groups", "")):
        g = r.mapping(raw, f"groups[{i}]")
        groups.append(
            Group(r.integer(g, "number", f"groups[{i}]"), r.text(g, "title", f"groups[{i}]"))
        )
    if [g.number for g in groups] != list(range(1, len(groups) + 1)):
        raise r.fail("groups", "must be numbered 1, 2, 3 … in order")
    measures = [
        _measure(r, raw, f"measures[{i}]", posts, units, len(groups))
        for i, raw in enumerate(r.items(root, "measures", ""))
    ]
    numbers = [m.number for m in measures]
    if numbers != list(range(1, MEASURE_COUNT + 1)):
        raise r.fail(
            "measures", f"must be the plan's measures 1–{MEASURE_COUNT} in order, found {numbers}"
        )
    return Plan(plan_id, version, title, tuple(posts), tuple(units), tuple(groups), tuple(measures))


def _measure(
    r: _Reader, raw: Any, where: str, posts: list[str], units: list[str], groups: int
) -> MeasureSpec:
    m = r.mapping(raw, where)
    r.known(m, _MEASURE_KEYS, where)
    number = r.integer(m, "number", where)
    group = r.integer(m, "group", where)
    if not 1 <= group <= groups:
        raise r.fail(f"{where}.group", f"must be 1–{groups}, found {group}")
    lead_post = r.text(m, "lead_post", where)
    if lead_post not in posts:
        raise r.fail(f"{where}.lead_post", f"“{lead_post}” is not one of posts: {posts}")
    lead_units = r.texts(m, "lead_units", where, empty=False)
    for i, unit in enumerate(lead_units):
        if unit not in units:
            raise r.fail(f"{where}.lead_units[{i}]", f"“{unit}” is not one of units")
    deadline = str(r.field(m, "deadline", where)).strip()
    try:
        deadline_day(deadline)
    except ValueError as exc:
        raise r.fail(f"{where}.deadline", str(exc)) from None
    targets = [
        _target(r, raw_t, f"{where}.targets[{i}]")
        for i, raw_t in enumerate(r.items(m, "targets", where))
    ]
    if len({t.key for t in targets}) != len(targets):
        raise r.fail(f"{where}.targets", "target keys must be unique within a measure")
    return MeasureSpec(
        number=number,
        group=group,
        title=r.text(m, "title", where),
        lead_post=lead_post,
        lead_units=tuple(lead_units),
        deadline=deadline,
        tasks=tuple(r.texts(m, "tasks", where, empty=False)),
        targets=tuple(targets),
        problems=tuple(r.texts(m, "problems", where, empty=True)),
    )


def _target(r: _Reader, raw: Any, where: str) -> Target:
    t = r.mapping(raw, where)
    r.known(t, {"key", "text", "quantity", "unit"}, where)
    key = r.text(t, "key", where)
    if not _KEY.match(key):
        raise r.fail(f"{where}.key", f"“{key}” must be lower-case letters, digits and dashes")
    quantity = t.get("quantity")
    unit = t.get("unit")
    if quantity is not None:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise r.fail(
                f"{where}.quantity", f"expected a positive whole number, found {quantity!r}"
            )
        if not isinstance(unit, str) or not unit.strip():
            raise r.fail(
                f"{where}.unit", "a target with a quantity needs its unit (e.g. 个, 名, 次)"
            )
    elif unit is not None:
        raise r.fail(f"{where}.unit", "a unit without a quantity")
    return Target(
        key=key,
        text=r.text(t, "text", where),
        quantity=quantity,
        unit=unit.strip() if isinstance(unit, str) else None,
    )
