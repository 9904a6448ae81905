"""Masking personal data (names, ID numbers, phone numbers) for roles that may not see it, by an
allow-list: every field is declared in `field_classes` with its class; a field that is not is
replaced by `UNDECLARED` for every role.

For a role that sees personal data masked (`full=False`): person names keep the family name
(`mask_name`), ID numbers their area code and last four characters (`mask_id`), phone numbers
their first three and last four digits; public fields and free text are shown with ID-number-
and mobile-shaped strings in them masked (defence in depth: officials are asked not to write
them into notes). For `access.FULL_DETAIL` (`full=True`) every declared field is shown as
recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from projection.domain.field_classes import (
    UNDECLARED,
    Declaration,
    KeyedBy,
    Sensitivity,
    declaration,
)
from shared.kernel import mask_id, mask_name

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def _mask_text(value: str) -> str:
    value = _ID_NUMBER.sub(lambda m: mask_id(m.group(0)), value)
    return _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", value)


#: How a string of each class is shown to a role that sees personal data masked.
_MASKERS: dict[Sensitivity, Callable[[str], str]] = {
    Sensitivity.PUBLIC: _mask_text,
    Sensitivity.FREE_TEXT: _mask_text,
    Sensitivity.PERSON_NAME: mask_name,
    Sensitivity.ID_NUMBER: mask_id,
    Sensitivity.PHONE: _mask_text,
}


def redact(value: Any, *, full: bool, kind: str | None = None) -> Any:
    """`value` (a view row, an event's payload, an entity's state, a text) as a role sees it:
    personal data masked unless `full`, undeclared fields replaced for everyone. `kind` is the
    entity kind of a payload or state (None: a view row). A bare text is free text."""
    return _Walk(full).value(value, Sensitivity.FREE_TEXT, kind, "")


def undeclared(value: Any, *, kind: str | None = None) -> list[str]:
    """The paths (`members[].name`) of the fields in `value` that are not declared."""
    walk = _Walk(full=True, missing=[])
    walk.value(value, Sensitivity.FREE_TEXT, kind, "")
    return walk.missing or []


class _Walk:
    """One pass over a value: masks (unless `full`) and notes undeclared fields' paths."""

    __slots__ = ("full", "missing")

    def __init__(self, full: bool, missing: list[str] | None = None) -> None:
        self.full = full
        self.missing = missing

    def value(self, value: Any, declared: Declaration, kind: str | None, path: str) -> Any:
        if isinstance(value, dict):
            if isinstance(declared, KeyedBy):
                return {
                    key: self.value(item, declared.values, kind, f"{path}.*")
                    for key, item in value.items()
                }
            return self.record(value, kind, path)
        if isinstance(value, list):
            return [self.value(item, declared, kind, f"{path}[]") for item in value]
        if self.full or not isinstance(value, str):
            return value
        return _MASKERS[declared.values if isinstance(declared, KeyedBy) else declared](value)

    def record(self, record: dict[str, Any], kind: str | None, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in record.items():
            where = f"{path}.{key}" if path else key
            declared = declaration(key, kind)
            if declared is None:
                if self.missing is not None:
                    self.missing.append(where)
                out[key] = UNDECLARED
            else:  # a list's records are people's or parts': looked up without the kind
                inner = None if isinstance(item, list) else kind
                out[key] = self.value(item, declared, inner, where)
        return out
