"""Identifiers and stream ids of the funds service.

Ids derived from natural keys (a programme's code, a voucher number, a flag's code and subject)
make commands idempotent: the same key names the same stream, which then `exists`.
"""

from __future__ import annotations

import uuid

from shared.ids import uuid7
from shared.personal.secret import person_ref

#: The namespace of every name-based id of the funds service (UUIDv5).
FUNDS_NAMESPACE = uuid.UUID("6f1d8a52-3c1e-5b7a-9e43-2a5c1f0b7d11")


def name_id(*parts: str) -> str:
    """A stable UUIDv5 for a natural key."""
    return str(uuid.uuid5(FUNDS_NAMESPACE, "\x1f".join(parts)))


def child_id(parent: str, kind: str, reference: str | None) -> str:
    """An entity's id within `parent`: from the client's reference when given (idempotent: the
    same reference names the same entity), else a new UUIDv7."""
    return name_id(kind, parent, reference.strip()) if reference else str(uuid7())


def person_key(id_number: str) -> str:
    """A stable key for a resident ID number that does not show it: the person's keyed
    reference (`shared.personal.secret.person_ref`, HMAC with the deployment's secret; an
    unkeyed hash of an ID number can be reversed by trying every number)."""
    return person_ref(id_number)


def programme_id_for(town: str, code: str) -> str:
    """A programme's id from its code (项目编号), unique in the town."""
    return name_id("programme", town, code.strip())


def flag_id_for(code: str, subject: str) -> str:
    """A red flag's id: one flag per rule code and subject (a disbursement, a programme ...)."""
    return name_id("redflag", code, subject)


def programme_stream(programme_id: str) -> str:
    return f"programme-{programme_id}"


def beneficiary_stream(id_number: str) -> str:
    return f"beneficiary-{person_key(id_number)}"


def red_flag_stream(flag_id: str) -> str:
    return f"redflag-{flag_id}"


def ledger_stream(village_code: str) -> str:
    """A village's collective 三资 ledger."""
    return f"assets-{village_code}"


def economy_stream(village_code: str) -> str:
    """A village's collective economy (income, 清零)."""
    return f"collective-{village_code}"


def disclosure_stream(village_code: str) -> str:
    """A village's finance disclosures (阳光村务)."""
    return f"disclosure-{village_code}"


def decision_stream(decision_id: str) -> str:
    """A village collective decision (四议两公开)."""
    return f"decision-{decision_id}"


def project_id_for(decision_id: str) -> str:
    """A collective project's id: one project per decision that allows it."""
    return name_id("cproject", decision_id)


def project_stream(project_id: str) -> str:
    """A village collective economy project."""
    return f"cproject-{project_id}"


def books_stream(village_code: str, year: int) -> str:
    """A village's books for a year, kept by the town's agency (村账乡代理)."""
    return f"books-{village_code}-{year}"
