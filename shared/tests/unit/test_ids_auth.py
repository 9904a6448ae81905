"""UUIDv7 ids sort by time; tokens carry the role and are refused when forged or expired."""

import datetime as dt

import pytest

from shared.auth import InvalidToken, Principal, Role, issue_token, verify_token
from shared.ids import uuid7

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def test_uuid7_is_version_7_and_increasing() -> None:
    ids = [uuid7() for _ in range(2000)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_a_token_names_the_principal() -> None:
    clerk = Principal("u-7", "王文书", Role.VILLAGE_CLERK, village="石壁村")
    assert verify_token(SECRET, issue_token(SECRET, clerk)) == clerk


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = issue_token("another-secret-of-at-least-32-bytes!!", Principal("u", "u", Role.AUDITOR))
    with pytest.raises(InvalidToken, match="invalid"):
        verify_token(SECRET, token)


def test_an_expired_token_is_refused() -> None:
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    token = issue_token(SECRET, Principal("u", "u", Role.AUDITOR), now=past)
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(SECRET, token)
