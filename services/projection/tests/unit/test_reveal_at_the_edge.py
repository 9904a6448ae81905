"""Personal data arrives encrypted (tokens): `redact` opens a token with the keys the caller
read, then masks it as any value of its field's class unless the role sees full detail; an
erased or pending token shows as such, for everyone; with full detail, `seen` notes whose data
was shown and how many personal values."""

from __future__ import annotations

from projection.domain.masking import Seen, redact

from shared.personal import tokens
from shared.personal.declared import Keys
from shared.personal.tokens import ERASED, PENDING

ZHANG, LI = "a" * 32, "b" * 32
KEY_ZHANG, KEY_LI = tokens.new_key(), tokens.new_key()


def sealed(ref: str, key: bytes, value: str) -> str:
    return tokens.seal(key, "relief", ref, value)


def household() -> dict[str, object]:
    return {
        "village": "石壁村",
        "head_name": sealed(ZHANG, KEY_ZHANG, "张大山"),
        "head_id_number": sealed(ZHANG, KEY_ZHANG, "430321196001010004"),
        "members": [{"name": sealed(LI, KEY_LI, "李小梅"), "relation": "配偶"}],
        "helper_name": "刘干部",
    }


KEYS = Keys({("relief", ZHANG): KEY_ZHANG, ("relief", LI): KEY_LI})


def test_a_token_is_opened_for_the_roles_that_see_full_detail() -> None:
    seen = Seen()
    shown = redact(household(), full=True, kind="household", keys=KEYS, seen=seen)
    assert shown["head_name"] == "张大山"
    assert shown["head_id_number"] == "430321196001010004"
    assert shown["members"] == [{"name": "李小梅", "relation": "配偶"}]
    assert seen.persons == {ZHANG, LI}
    assert seen.shown == 3  # two names and an ID number; the helper is an official


def test_an_opened_token_is_masked_for_the_other_roles_and_nothing_is_noted() -> None:
    seen = Seen()
    shown = redact(household(), full=False, kind="household", keys=KEYS, seen=seen)
    assert shown["head_name"] == "张**"
    assert shown["head_id_number"] == "430321********0004"
    assert shown["members"][0]["name"] == "李**"
    assert seen == Seen()


def test_an_erased_token_shows_erased_unmasked_and_is_not_counted() -> None:
    erased = Keys({("relief", LI): KEY_LI}, frozenset({ZHANG}))
    for full in (True, False):
        seen = Seen()
        shown = redact(household(), full=full, kind="household", keys=erased, seen=seen)
        assert shown["head_name"] == ERASED
        assert shown["head_id_number"] == ERASED
        assert shown["members"][0]["name"] == ("李小梅" if full else "李**")
        assert seen.persons == ({LI} if full else set())
        assert seen.shown == (1 if full else 0)
    # a key that is not held and not known erased is pending, never the token
    assert redact(household(), full=True, kind="household", keys=Keys({}))["head_name"] == PENDING


def test_a_token_whose_key_has_not_arrived_shows_pending() -> None:
    seen = Seen()
    shown = redact(household(), full=True, kind="household", keys=Keys({}), seen=seen)
    assert shown["head_name"] == PENDING
    assert shown["members"][0]["name"] == PENDING
    assert seen == Seen()
    # no keys asked for at all: never the ciphertext
    assert redact(household(), full=False, kind="household")["head_name"] == PENDING


def test_a_token_opened_with_another_persons_key_is_erased_not_leaked() -> None:
    wrong = Keys({("relief", ZHANG): KEY_LI})
    assert redact(household(), full=True, kind="household", keys=wrong)["head_name"] == ERASED


def test_plain_personal_values_are_counted_too_but_no_person_is_named() -> None:
    seen = Seen()
    row = {"head_name": "欧阳娜娜", "head_id_number": "", "village": "石壁村", "phone": "1"}
    assert redact(row, full=True, seen=seen) == row
    assert (seen.persons, seen.shown) == (set(), 2)  # an empty value is not shown


def test_seen_adds_up_over_several_values_of_one_response() -> None:
    seen = Seen()
    for _ in range(2):
        redact(household(), full=True, kind="household", keys=KEYS, seen=seen)
    assert (seen.persons, seen.shown) == ({ZHANG, LI}, 6)
