"""Masking personal data (names, ID numbers, phone numbers) for roles that may not see it.

Whose names: the people the plan's work is about — household heads and members, beneficiaries
and their relatives, students, petitioners, party members, the subjects of clues, adjustments
and accountability. Officials named in their official function (linked leaders, first
secretaries, helpers, visitors, duty cadres, team members) are shown: leaders need to know who
is responsible, and those roles are public.

Fields are recognised by name: `*id_number*` and ID-shaped strings anywhere (also inside free
text) are masked with `mask_id`; person-name fields (`head_name`, `subject_name`, …, and `name`
except on institutions such as branches, programmes or projects) with `mask_name`; phone
numbers keep their first three and last four digits. Free text is otherwise shown as recorded:
officials are asked not to write names into notes.
"""

from __future__ import annotations

import re
from typing import Any

from shared.kernel import mask_id, mask_name

PERSON_NAME_KEYS = frozenset(
    {
        "head_name",
        "subject_name",
        "member_name",
        "beneficiary_name",
        "beneficiary_names",
        "relative_name",
        "cadre_name",
        "petitioner_name",
        "complainant_name",
        "reporter_name",
        "informant_name",
        "person_name",
        "payee_name",
        "recipient_name",
        "student_name",
        "applicant",
        "signed_by",
        "people",
        "names",
        "member_names",
    }
)
#: Kinds whose own `name` is an institution's, not a person's.
INSTITUTION_KINDS = frozenset(
    {
        "branch",
        "programme",
        "program",
        "project",
        "asset",
        "measure",
        "item",
        "site",
        "station",
        "activity",
        "enterprise",
        "village",
        "notice",
        "disposal",
        "training",
        "directive",
        "team",
    }
)
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def is_person_key(key: str, kind: str | None) -> bool:
    if key in PERSON_NAME_KEYS:
        return True
    if key == "name":
        return kind not in INSTITUTION_KINDS
    return False


def _mask_text(value: str) -> str:
    value = _ID_NUMBER.sub(lambda m: mask_id(m.group(0)), value)
    return _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", value)


def redact(value: Any, *, full: bool, kind: str | None = None) -> Any:
    """`value` with personal data masked unless `full`. Nested records (e.g. a household's
    members) are treated as persons."""
    if full:
        return value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if "id_number" in key or key in ("id_no", "resident_id"):
                out[key] = _mask_value(item, mask_id)
            elif is_person_key(key, kind):
                out[key] = _mask_value(item, mask_name)
            elif "phone" in key or "mobile" in key:
                out[key] = _mask_value(item, _mask_text)
            else:
                out[key] = redact(item, full=False, kind=None if isinstance(item, list) else kind)
        return out
    if isinstance(value, list):
        return [redact(item, full=False, kind=kind) for item in value]
    if isinstance(value, str):
        return _mask_text(value)
    return value


def _mask_value(value: Any, masker: Any) -> Any:
    if isinstance(value, str):
        return masker(value)
    if isinstance(value, list):
        return [_mask_value(v, masker) for v in value]
    return value
