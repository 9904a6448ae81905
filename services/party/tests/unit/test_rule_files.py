"""The rule files are data: a malformed rule book or sheet is refused when it is loaded."""

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from party.adapters.rulebooks import RULES, load_rule_books
from party.domain.assessment import sheet_from_dict
from party.domain.rules import rule_book_from_dict

BOOK_DATA: dict[str, Any] = yaml.safe_load((RULES / "points-2016.yaml").read_text(encoding="utf-8"))
SHEET_DATA: dict[str, Any] = yaml.safe_load(
    (RULES / "assessment-2016.yaml").read_text(encoding="utf-8")
)


def broken(data: dict[str, Any], change: Any) -> dict[str, Any]:
    copied = copy.deepcopy(data)
    change(copied)
    return copied


def test_the_2016_book_governs_2016_and_later_years_but_not_2015() -> None:
    books = load_rule_books()
    assert books.for_year(2017).version == "2016.1"
    with pytest.raises(Exception, match="没有适用"):
        books.for_year(2015)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rules"].append(dict(d["rules"][0])), "duplicate"),
        (lambda d: d["rules"][0].update(kind="bonus"), "award or deduction"),
        (lambda d: d["rules"][0].update(points=0), "positive"),
        (lambda d: d["rules"][0].update(cap_per_year=0), "cap"),
        (lambda d: d["levels"].reverse(), "levels"),
        (lambda d: d["accountability"].update(default="KJ01"), "uncapped deduction"),
        (lambda d: d["accountability"]["kinds"].update({"警告": "KF01"}), "uncapped deduction"),
    ],
)
def test_a_malformed_rule_book_is_refused(change: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rule_book_from_dict(broken(BOOK_DATA, change))


def test_sheet_weights_must_add_up_to_100() -> None:
    with pytest.raises(ValueError, match="100"):
        sheet_from_dict(broken(SHEET_DATA, lambda d: d["items"][0].update(weight=30)))


def test_the_rule_files_live_in_the_service() -> None:
    assert Path(RULES).name == "rules" and (RULES / "points-2016.yaml").exists()
