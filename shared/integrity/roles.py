"""Who may verify the stores (存储核查: the auditor, the town and discipline secretaries) and who
may record a checkpoint on demand (the auditor and the town secretary)."""

from __future__ import annotations

from shared.roles import Role

VERIFIERS = frozenset({Role.AUDITOR, Role.TOWN_SECRETARY, Role.DISCIPLINE_SECRETARY})
RECORDERS = frozenset({Role.AUDITOR, Role.TOWN_SECRETARY})
