"""What a write service's response shows of people's data unmasked (个人信息展示记录).

A service's presenters show a person's name or ID number through `name` and `id_number`: masked
for a role that may not see it, as it is (and noted) for one that may. Everything one HTTP
response noted is recorded as one row of the service's read-access log when the response is
done (`shared.web.AccessLogged`); a response that showed nothing unmasked records nothing.
The projection does the same through its own edge (`projection.adapters.disclosure`).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field

from shared.kernel import mask_id, mask_name
from shared.personal.secret import person_ref
from shared.personal.tokens import ERASED, PENDING

_ID_NUMBER = re.compile(r"\d{17}[\dXx]")


@dataclass(slots=True)
class Shown:
    """What one response showed unmasked: the people (keyed references) and how many values."""

    persons: set[str] = field(default_factory=set)
    count: int = 0


_current: ContextVar[Shown | None] = ContextVar("lianxin_shown", default=None)


def begin() -> Shown:
    """Start noting for the current request (the middleware calls it)."""
    shown = Shown()
    _current.set(shown)
    return shown


def _note(value: str, of: str | None) -> None:
    shown = _current.get()
    if shown is None or not value or value in (ERASED, PENDING):
        return
    shown.count += 1
    if of and _ID_NUMBER.fullmatch(of.strip()):
        shown.persons.add(person_ref(of))


def id_number(value: str, full: bool) -> str:
    """An ID number as the caller sees it: masked unless `full` (then noted)."""
    if not full:
        return mask_id(value)
    _note(value, value)
    return value


def name(value: str, full: bool, *, of: str | None = None) -> str:
    """A person's name as the caller sees it: masked unless `full` (then noted, as the person
    whose ID number is `of` when known)."""
    if not full:
        return mask_name(value)
    _note(value, of)
    return value
