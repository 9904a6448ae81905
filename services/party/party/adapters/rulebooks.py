"""Reading the versioned rule files of `party/rules/`: the points rule books
(`points-*.yaml`) and the branch scoring sheets (`assessment-*.yaml`)."""

from __future__ import annotations

from pathlib import Path

import yaml

from party.domain.assessment import ScoringSheets, sheet_from_dict
from party.domain.rules import RuleBooks, rule_book_from_dict

RULES = Path(__file__).resolve().parent.parent / "rules"


def load_rule_books(folder: Path = RULES) -> RuleBooks:
    """Every points rule book in `folder`; a malformed one fails the start, naming the file."""
    books = []
    for path in sorted(folder.glob("points-*.yaml")):
        try:
            books.append(rule_book_from_dict(yaml.safe_load(path.read_text(encoding="utf-8"))))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
    return RuleBooks(books)


def load_scoring_sheets(folder: Path = RULES) -> ScoringSheets:
    """Every branch scoring sheet in `folder`."""
    sheets = []
    for path in sorted(folder.glob("assessment-*.yaml")):
        try:
            sheets.append(sheet_from_dict(yaml.safe_load(path.read_text(encoding="utf-8"))))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
    return ScoringSheets(sheets)
