"""The relief policy (`relief/policy.yaml`: poverty lines per year, the plan's targets), read
once at start into the domain's `Policy`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from relief.domain.values import Policy, PovertyLines, Targets

POLICY_FILE = Path(__file__).resolve().parent.parent / "policy.yaml"


def load_policy(path: Path = POLICY_FILE) -> Policy:
    """Parse and check the policy file; a malformed file stops the service at start."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = {int(year): Decimal(str(value)) for year, value in data["poverty_lines"].items()}
    if any(line <= 0 for line in lines.values()):
        raise ValueError(f"{path}: poverty lines must be positive")
    raw = data.get("targets", {})
    defaults = Targets()
    deadline = raw.get("deadline", defaults.deadline)
    targets = Targets(
        posts=int(raw.get("posts", defaults.posts)),
        students=int(raw.get("students", defaults.students)),
        clinics=int(raw.get("clinics", defaults.clinics)),
        clinic_staff=int(raw.get("clinic_staff", defaults.clinic_staff)),
        deadline=deadline if isinstance(deadline, dt.date) else dt.date.fromisoformat(deadline),
        community_site_min_area_m2=Decimal(
            str(raw.get("community_site_min_area_m2", defaults.community_site_min_area_m2))
        ),
    )
    return Policy(lines=PovertyLines(revision=str(data["revision"]), lines=lines), targets=targets)
