"""Generate (or `--check`) the published event contracts under `contracts/` — a build tool,
outside the runtime package: it is told which modules hold the published events.

    python contracts/generate.py [--check] [module ...]

Without modules, the write services' `<service>.domain.events` (`EVENT_MODULES`). The shared
contexts' events (the stores' checkpoints) are always included.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from shared.contracts import ROOT, contexts_of, expected_files
from shared.kernel import EVENT_CLASSES

#: The modules whose events the write services publish, one per service.
EVENT_MODULES = (
    "relief.domain.events",
    "funds.domain.events",
    "supervision.domain.events",
    "party.domain.events",
)
SHARED_MODULES = ("shared.integrity.events",)


def load(modules: Sequence[str] = EVENT_MODULES) -> list[str]:
    """Import the modules (so that their events register); the contexts they publish, in the
    modules' order."""
    for name in (*SHARED_MODULES, *modules):
        importlib.import_module(name)
    found: list[str] = []
    for module in modules:
        keys = [key for key, cls in EVENT_CLASSES.items() if cls.__module__ == module]
        found += [c for c in contexts_of(keys) if c not in found]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate or check the event contracts.")
    parser.add_argument("--check", action="store_true", help="fail if files are out of date")
    parser.add_argument("modules", nargs="*", help="modules holding published events")
    args = parser.parse_args(argv)
    services = load(tuple(args.modules) or EVENT_MODULES)
    stale = []
    for path, content in expected_files(services).items():
        if path.exists() and path.read_text() == content:
            continue
        if args.check:
            stale.append(str(path.relative_to(ROOT.parent)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
            print(f"wrote {path.relative_to(ROOT.parent)}")
    if stale:
        print(
            "contracts out of date (run: make contracts):\n  " + "\n  ".join(stale),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
