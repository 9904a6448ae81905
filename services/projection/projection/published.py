"""The write services' published events as the projection reads them (公开事件).

The projection folds payloads, not event classes; but an event stored in an older schema
version must fold as its newest version does, so the projection reads every payload through
`shared.codec.upcast`. The upcasters live beside the events they upcast, in each service's
`domain.events` (the published language the contracts are generated from): importing those
modules registers them. They are plain dataclasses and functions, no service code runs.
"""

from __future__ import annotations

import importlib

#: The modules holding the write services' published events and their upcasters.
EVENT_MODULES = (
    "relief.domain.events",
    "funds.domain.events",
    "supervision.domain.events",
    "party.domain.events",
)


def register_upcasters() -> None:
    """Import the published event modules, so that their upcasters apply to what is read."""
    for module in EVENT_MODULES:
        importlib.import_module(module)
