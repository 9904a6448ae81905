"""The town's default list of a village's small powers (村级小微权力参考清单): a reference file
beside this module, read and checked by `load_default_powers`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from shared.kernel import Refused
from supervision.domain.events import PowerItem
from supervision.domain.powers import power_items

DEFAULT_POWERS = Path(__file__).resolve().parent / "default_list.yaml"


class PowerListError(ValueError):
    """The reference list is malformed (the service does not start with it)."""


@cache
def load_default_powers(path: Path = DEFAULT_POWERS) -> tuple[PowerItem, ...]:
    """The default list's items, checked as a published list is."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return power_items(data["items"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, Refused) as exc:
        raise PowerListError(f"{path}: {exc}") from exc
