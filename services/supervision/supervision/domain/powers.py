"""The villages' lists of small powers (小微权力清单, measure 6 (2)) and the check of the acts
that exercise them (规范小微权力运行).

A village publishes its list for a year (versioned: the latest published is in force); a
village that published none for a year works under the town's default list (the reference
file `supervision/powers/default_list.yaml`). An act funds records names the power item it
exercises and the steps it went through; a step the item's flow requires and the act lacks
is a breach (`PowerFlowBreached`), found once per act.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from shared.kernel import Aggregate, Event, Refused

from .events import PowerFlowBreached, PowerItem, PowerListPublished, PowerStep
from .vocabulary import AFTER_THE_ACT, STEP_LABELS, STEPS, one_of

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_BREACH_ITEM_NS = uuid.UUID("1f3a8c52-5d0e-4f6b-9a7c-2b8e4d6f0a13")


def power_list_stream(village_code: str, year: int) -> str:
    """`powers-<village_code>-<year>`."""
    return f"powers-{village_code}-{year}"


def breach_stream(act_event_id: str) -> str:
    """`breach-<act_event_id>`: one per act, whatever number of deliveries."""
    return f"breach-{act_event_id}"


def breach_item_id(act_event_id: str) -> str:
    """The problem-list item a breach opens: the same for every delivery of the act."""
    return str(uuid.uuid5(_BREACH_ITEM_NS, act_event_id))


def power_items(raw: Sequence[Mapping[str, Any]]) -> tuple[PowerItem, ...]:
    """A list's items from plain data (a request body, the reference file), checked: codes
    unique and well formed, names and actors given, each step once and from the shared
    vocabulary (`Refused` naming what is wrong)."""
    if not raw:
        raise Refused("小微权力清单不能为空 (the list needs at least one item)")
    items: list[PowerItem] = []
    for n, entry in enumerate(raw, start=1):
        code = str(entry.get("code") or "").strip()
        if not _CODE.match(code):
            raise Refused(f"第 {n} 项的编码 “{code}” 无效 (item code: lower-case letters, _)")
        if code in {i.code for i in items}:
            raise Refused(f"权力事项 {code} 重复 (item listed twice)")
        name = str(entry.get("name") or "").strip()
        if not name:
            raise Refused(f"权力事项 {code} 缺少名称 (item name is required)")
        steps: list[PowerStep] = []
        for step in entry.get("steps") or ():
            step_name = one_of(str(step.get("name") or "").strip(), STEPS, f"{name}的流程步骤")
            if step_name in {s.name for s in steps}:
                raise Refused(f"{name}的流程步骤 {step_name} 重复 (step listed twice)")
            actor = str(step.get("actor") or "").strip()
            if not actor:
                raise Refused(f"{name}的步骤 {step_name} 缺少实施主体 (who acts is required)")
            steps.append(
                PowerStep(name=step_name, actor=actor, disclosed=bool(step.get("disclosed")))
            )
        if not steps:
            raise Refused(f"权力事项 {name} 缺少运行流程 (an item needs its flow)")
        items.append(PowerItem(code=code, name=name, steps=tuple(steps)))
    return tuple(items)


def missing_steps(item: PowerItem, done: Iterable[str]) -> tuple[str, ...]:
    """The steps of `item`'s flow an act that went through `done` lacks, in the flow's order
    (a step that follows the act, such as the result's disclosure, is not required of it)."""
    went_through = set(done)
    return tuple(
        s.name for s in item.steps if s.name not in AFTER_THE_ACT and s.name not in went_through
    )


def step_labels(steps: Iterable[str]) -> str:
    """The steps in Chinese, joined (for titles and messages)."""
    return "、".join(STEP_LABELS.get(s, s) for s in steps)


class PowerList(Aggregate):
    """A village's list of small powers for one year, with every version published."""

    KIND = "小微权力清单"

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.versions: list[PowerListPublished] = []

    @property
    def in_force(self) -> PowerListPublished | None:
        """The latest version published (None: none yet)."""
        return self.versions[-1] if self.versions else None

    def in_force_on(self, day: dt.date) -> PowerListPublished | None:
        """The version in force on `day`: the latest published by then (None: none yet), so
        that an act is judged the same whenever its event is read (a redelivery, a replay)."""
        published = [v for v in self.versions if v.published_on <= day]
        return published[-1] if published else None

    def publish(
        self,
        *,
        village: str,
        village_code: str,
        year: int,
        items: tuple[PowerItem, ...],
        on: dt.date,
    ) -> None:
        """Publish (公布) the list for `year`, or republish it changed (a new version)."""
        if on.year < year - 1:
            raise Refused(
                f"{year} 年度的清单最早于上一年公布，{on} 过早 (published too early for the year)"
            )
        current = self.in_force
        if current is not None:
            if on < current.published_on:
                raise Refused(
                    f"公布日期 {on} 早于现行第 {current.version} 版的公布日期 "
                    f"{current.published_on} (a version cannot precede the one in force)"
                )
            if current.items == items:
                raise Refused(
                    f"清单与现行第 {current.version} 版相同，无需重新公布 "
                    "(the same as the list in force)"
                )
        self._record(
            PowerListPublished(
                village=village,
                village_code=village_code,
                year=year,
                version=len(self.versions) + 1,
                items=items,
                published_on=on,
            )
        )

    def _apply(self, event: Event) -> None:
        if isinstance(event, PowerListPublished):
            self.versions.append(event)
        else:
            super()._apply(event)


class PowerBreach(Aggregate):
    """What the check of one act found: nothing (no stream), or the steps it skipped."""

    KIND = "小微权力运行问题"

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.breached: PowerFlowBreached | None = None

    def record(
        self,
        *,
        act_event_id: str,
        act_type: str,
        village: str,
        item: PowerItem,
        done: tuple[str, ...],
        found_on: dt.date,
    ) -> tuple[str, ...]:
        """Check the act against its item's flow; record the steps it skipped, once. The
        steps missing (empty: the act followed its flow, or was checked already)."""
        if self.exists:
            return ()
        missing = missing_steps(item, done)
        if missing:
            self._record(
                PowerFlowBreached(
                    act_event_id=act_event_id,
                    act_type=act_type,
                    village=village,
                    power_item=item.code,
                    missing_steps=missing,
                    item_id=breach_item_id(act_event_id),
                    found_on=found_on,
                )
            )
        return missing

    def _apply(self, event: Event) -> None:
        if isinstance(event, PowerFlowBreached):
            self.breached = event
        else:
            super()._apply(event)
