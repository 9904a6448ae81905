"""Masking personal data (names, ID numbers, phone numbers) for roles that may not see it, by an
allow-list: every field is declared in `field_classes` with its class; a field that is not is
replaced by `UNDECLARED` for every role.

For a role that sees personal data masked (`full=False`): person names keep the family name
(`mask_name`), ID numbers their area code and last four characters (`mask_id`), phone numbers
their first three and last four digits; public fields and free text are shown with ID-number-
and mobile-shaped strings in them masked (defence in depth: officials are asked not to write
them into notes). For `access.FULL_DETAIL` (`full=True`) every declared field is shown as
recorded.

Personal fields arrive encrypted (`shared.personal.tokens`: the write services store tokens in
place of names and ID numbers): a token is opened first with the `keys` the caller fetched for
the value, then masked like any text unless `full`. A token whose key is gone shows
`tokens.ERASED`, one whose key has not arrived `tokens.PENDING`, as is, masked for no one.
With `full`, `seen` collects what the value showed unmasked, for the read-access log.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from projection.domain.field_classes import (
    UNDECLARED,
    Declaration,
    KeyedBy,
    Sensitivity,
    declaration,
)
from shared.kernel import mask_id, mask_name
from shared.personal.declared import Keys
from shared.personal.tokens import ERASED, PENDING, is_token, ref_of

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


#: The classes whose values are a person's data (what the read-access log counts).
PERSONAL = frozenset({Sensitivity.PERSON_NAME, Sensitivity.ID_NUMBER, Sensitivity.PHONE})
#: Keys for a value without tokens (a token met without keys shows `PENDING`).
_NONE = Keys({})


@dataclass(slots=True)
class Seen:
    """What a response showed unmasked (filled by `redact(full=True)`): the references of the
    people whose encrypted values were opened and shown, and how many personal values (names,
    ID numbers, phone numbers; plain or opened; erased and pending ones not) were shown."""

    persons: set[str] = field(default_factory=set)
    shown: int = 0


def redact(
    value: Any,
    *,
    full: bool,
    kind: str | None = None,
    keys: Keys | None = None,
    seen: Seen | None = None,
) -> Any:
    """`value` (a view row, an event's payload, an entity's state, a text) as a role sees it:
    tokens opened with `keys`, personal data masked unless `full`, undeclared fields replaced
    for everyone. `kind` is the entity kind of a payload or state (None: a view row). A bare
    text is free text. With `full`, what was shown unmasked is noted into `seen`."""
    return _Walk(full, keys=keys or _NONE, seen=seen if full else None).value(
        value, Sensitivity.FREE_TEXT, kind, ""
    )


def undeclared(value: Any, *, kind: str | None = None) -> list[str]:
    """The paths (`members[].name`) of the fields in `value` that are not declared."""
    walk = _Walk(full=True, missing=[])
    walk.value(value, Sensitivity.FREE_TEXT, kind, "")
    return walk.missing or []


class _Walk:
    """One pass over a value: opens tokens, masks (unless `full`), notes undeclared fields'
    paths and what was shown unmasked."""

    __slots__ = ("full", "keys", "missing", "seen")

    def __init__(
        self,
        full: bool,
        missing: list[str] | None = None,
        *,
        keys: Keys = _NONE,
        seen: Seen | None = None,
    ) -> None:
        self.full = full
        self.missing = missing
        self.keys = keys
        self.seen = seen

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
        if not isinstance(value, str):
            return value
        sensitivity = declared.values if isinstance(declared, KeyedBy) else declared
        return self.text(value, sensitivity)

    def text(self, value: str, sensitivity: Sensitivity) -> str:
        ref = None
        if is_token(value):
            ref, value = ref_of(value), self.keys.open(value)
            if value in (ERASED, PENDING):
                return value
        if not self.full:
            return _MASKERS[sensitivity](value)
        if self.seen is not None and value and (ref is not None or sensitivity in PERSONAL):
            # an opened token is a person's data whatever its field's class
            self.seen.shown += 1
            if ref is not None:
                self.seen.persons.add(ref)
        return value

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
