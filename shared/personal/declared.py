"""Which fields of which event are personal, and whose (个人信息字段声明).

Declared beside the events by the service that owns them (`personal(...)` in its
`domain.events`), never guessed: a `Person` names the key of a record's ID number and the keys
of that record encrypted under that person's key (`within` a list: every record of it is one
person). A record without an ID number in it names the person another way (`id` a function of
the record). `protect` encrypts a payload's declared fields on write (the event store, before the
hash); `reveal` opens every token in any value on read, whatever the event, with the keys given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from shared.personal import tokens
from shared.personal.secret import person_ref
from shared.personal.tokens import ERASED, PENDING, KeyId

Record = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Person:
    """One person's fields in a record: `id` is the key of their ID number in the record (or a
    function giving it), `fields` the keys encrypted under their key; `within` a list-valued
    key whose records are each one person."""

    id: str | Callable[[Record], str | None]
    fields: tuple[str, ...]
    within: str | None = None

    def records(self, payload: Record) -> Iterator[dict[str, Any]]:
        if self.within is None:
            yield payload  # type: ignore[misc]  # the payload being protected is a dict
            return
        for item in payload.get(self.within) or []:
            if isinstance(item, dict):
                yield item

    def id_number(self, record: Record) -> str | None:
        value = self.id(record) if callable(self.id) else record.get(self.id)
        return value.strip() if isinstance(value, str) and value.strip() else None


#: Personal fields per event type (the newest version: only new events are protected).
DECLARED: dict[str, tuple[Person, ...]] = {}


def personal(event_type: str, *people: Person) -> None:
    """Declare the personal fields of `event_type` (once, beside its class)."""
    if event_type in DECLARED and DECLARED[event_type] != people:
        raise ValueError(f"personal fields of {event_type} declared twice")
    DECLARED[event_type] = people


def subjects(event_type: str, payload: Record) -> set[str]:
    """The references of the people whose fields `payload` holds (whose keys it needs)."""
    found: set[str] = set()
    for person in DECLARED.get(event_type, ()):
        for record in person.records(payload):
            if (number := person.id_number(record)) is not None and not tokens.is_token(number):
                found.add(person_ref(number))
    return found


def protect(
    event_type: str, payload: dict[str, Any], owner: str, keys: Mapping[str, bytes]
) -> dict[str, Any]:
    """`payload` with its declared personal fields encrypted (a new dict; lists of records
    copied). `keys[ref]` must hold every subject's key (`subjects`)."""
    people = DECLARED.get(event_type)
    if not people:
        return payload
    out = {
        key: [dict(item) if isinstance(item, dict) else item for item in value]
        if isinstance(value, list)
        else value
        for key, value in payload.items()
    }
    for person in people:
        for record in person.records(out):
            number = person.id_number(record)
            if number is None or tokens.is_token(number):
                continue
            ref = person_ref(number)
            for field in person.fields:
                value = record.get(field)
                if isinstance(value, str) and value and not tokens.is_token(value):
                    record[field] = tokens.seal(keys[ref], owner, ref, value)
    return out


def tokens_in(value: Any) -> set[KeyId]:
    """The keys (`(owner, ref)`) of every token in a JSON value."""
    found: set[KeyId] = set()
    _collect(value, found)
    return found


def any_token(value: Any) -> bool:
    """Whether a JSON value holds a token anywhere (a quick look before a key lookup)."""
    if isinstance(value, str):
        return value.startswith(tokens.PREFIX)
    if isinstance(value, dict):
        return any(any_token(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(any_token(item) for item in value)
    return False


def _collect(value: Any, found: set[KeyId]) -> None:
    if isinstance(value, str):
        if tokens.is_token(value) and (kid := tokens.key_id(value)) is not None:
            found.add(kid)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, found)


@dataclass(slots=True)
class Keys:
    """The keys a reader holds for some tokens, and which people it knows to be erased."""

    found: Mapping[KeyId, bytes]
    erased: frozenset[str] = frozenset()

    def open(self, value: str) -> str:
        """A token's plain value, `ERASED` when its person's key is gone (or the token is
        damaged), `PENDING` when this reader has not received the key yet; other text as is."""
        kid = tokens.key_id(value) if tokens.is_token(value) else None
        if kid is None:
            return ERASED if tokens.is_token(value) else value
        key = self.found.get(kid)
        if key is None:
            return ERASED if kid[1] in self.erased else PENDING
        try:
            return tokens.open_token(key, value)
        except ValueError:
            return ERASED


def reveal(value: Any, keys: Keys) -> Any:
    """`value` (a payload, a row, a list …) with every token opened (see `Keys.open`)."""
    if isinstance(value, str):
        return keys.open(value) if tokens.is_token(value) else value
    if isinstance(value, dict):
        return {key: reveal(item, keys) for key, item in value.items()}
    if isinstance(value, list):
        return [reveal(item, keys) for item in value]
    return value
