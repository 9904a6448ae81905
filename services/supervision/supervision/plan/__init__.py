"""The plan files (方案): versioned YAML beside this module, read and checked by `load_plan`."""

from __future__ import annotations

from pathlib import Path

import yaml

from supervision.domain.plan import Plan, PlanError, parse_plan

PLAN_DIR = Path(__file__).resolve().parent
DEFAULT_PLAN = PLAN_DIR / "2016.yaml"


def load_plan(path: Path | str = DEFAULT_PLAN) -> Plan:
    """The plan in `path`; `PlanError` names the file and the problem when it is malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}: not valid YAML: {exc}") from exc
    return parse_plan(data, str(path))
