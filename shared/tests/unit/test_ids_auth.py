"""UUIDv7 ids sort by time; tokens carry the role, are signed by the issuer alone (EdDSA) and are
refused when forged, for another service, expired or revoked; a service without the public key
does not start outside development mode."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared import auth
from shared.auth import (
    InvalidToken,
    MissingKey,
    TokenIssuer,
    TokenVerifier,
    ensure_keys,
    revoke,
    token_id,
)
from shared.ids import uuid7
from shared.roles import Principal, Role

OLD_SHARED_SECRET = "lianxin-test-secret-not-for-production-0123456789"
AUDITOR = Principal("u", "u", Role.AUDITOR)


def test_uuid7_is_version_7_and_increasing() -> None:
    ids = [uuid7() for _ in range(2000)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


@pytest.fixture
def issuer() -> TokenIssuer:
    return TokenIssuer.generate()


@pytest.fixture
def public_file(issuer: TokenIssuer, tmp_path: Path) -> Path:
    return issuer.write_public_key(tmp_path / "public" / "token_verify.pem")


@pytest.fixture
def relief(public_file: Path) -> TokenVerifier:
    return TokenVerifier("relief", public_file)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict[str, Any], claims: dict[str, Any], sign: Any) -> str:
    """A token assembled by hand (PyJWT itself refuses to make some of these)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def good_claims(**changes: Any) -> dict[str, Any]:
    now = int(dt.datetime.now(dt.UTC).timestamp())
    claims = {
        "iss": "lianxin",
        "sub": "mallory",
        "name": "mallory",
        "role": "system",
        "aud": list(auth.SERVICES),
        "iat": now,
        "exp": now + 600,
        "jti": "forged",
    }
    return claims | changes


def test_a_token_names_the_principal(issuer: TokenIssuer, relief: TokenVerifier) -> None:
    clerk = Principal("u-7", "王文书", Role.VILLAGE_CLERK, village="石壁村")
    token = issuer.issue(clerk)
    assert relief.verify(token) == clerk
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == "EdDSA" and header["kid"] == auth.key_id(issuer.public_key)
    assert claims["aud"] == sorted(auth.SERVICES) and len(claims["jti"]) == 32
    assert claims["exp"] - claims["iat"] == 15 * 60  # minutes, not days


def test_a_token_signed_with_the_old_shared_secret_is_refused(relief: TokenVerifier) -> None:
    token = jwt.encode(good_claims(), OLD_SHARED_SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken, match="invalid"):
        relief.verify(token)


def test_a_token_signed_with_another_ed25519_key_is_refused(relief: TokenVerifier) -> None:
    token = TokenIssuer.generate().issue(AUDITOR)  # a service's own key, not the issuer's
    with pytest.raises(InvalidToken, match="invalid"):
        relief.verify(token)


def test_an_unsigned_token_is_refused(relief: TokenVerifier) -> None:
    for alg in ("none", "None", "NONE"):
        token = hand_made({"alg": alg, "typ": "JWT"}, good_claims(), lambda _: b"")
        with pytest.raises(InvalidToken, match="invalid"):
            relief.verify(token)
        with pytest.raises(InvalidToken, match="invalid"):
            relief.verify(token.rstrip("."))


def test_hs256_with_the_public_key_as_its_secret_is_refused(
    relief: TokenVerifier, public_file: Path, issuer: TokenIssuer
) -> None:
    """Algorithm confusion: the public key is no secret, so an HMAC made with it proves nothing."""
    kid = auth.key_id(issuer.public_key)
    for secret in (public_file.read_bytes(), issuer.public_pem.strip()):
        token = hand_made(
            {"alg": "HS256", "typ": "JWT", "kid": kid},
            good_claims(),
            lambda data, key=secret: hmac.new(key, data, hashlib.sha256).digest(),
        )
        with pytest.raises(InvalidToken, match="invalid"):
            relief.verify(token)


def test_a_token_for_another_service_is_refused(issuer: TokenIssuer, relief: TokenVerifier) -> None:
    token = issuer.issue(AUDITOR, audience=["funds"])
    with pytest.raises(InvalidToken, match="not meant for relief"):
        relief.verify(token)
    assert relief.with_audience("funds").verify(token) == AUDITOR
    session = issuer.issue_session(AUDITOR, ttl=dt.timedelta(hours=1))
    with pytest.raises(InvalidToken, match="not meant for relief"):
        relief.verify(session)  # a dashboard session is no bearer token


def test_a_token_without_an_audience_or_id_is_refused(relief: TokenVerifier) -> None:
    for missing in ("aud", "jti", "exp"):
        claims = good_claims()
        del claims[missing]
        with pytest.raises(InvalidToken, match="invalid"):
            relief.verify(jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA"))


def test_an_expired_token_is_refused(issuer: TokenIssuer, relief: TokenVerifier) -> None:
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(InvalidToken, match="expired"):
        relief.verify(issuer.issue(AUDITOR, now=past))
    a_while_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    with pytest.raises(InvalidToken, match="expired"):
        relief.verify(issuer.issue(AUDITOR, now=a_while_ago))


def test_a_revoked_token_or_session_is_refused(issuer: TokenIssuer, relief: TokenVerifier) -> None:
    kept, revoked = issuer.issue(AUDITOR), issuer.issue(AUDITOR)
    assert relief.verify(revoked) == AUDITOR  # read before the list exists
    revoke(relief.revoked_file, token_id(revoked), reason="lost laptop")
    with pytest.raises(InvalidToken, match="revoked"):
        relief.verify(revoked)
    assert relief.verify(kept) == AUDITOR
    minted = issuer.issue(AUDITOR, session="session-1")
    assert relief.verify(minted) == AUDITOR
    revoke(relief.revoked_file, "session-1")  # the session ends, with every token it minted
    with pytest.raises(InvalidToken, match="revoked"):
        relief.verify(minted)
    assert "lost laptop" in relief.revoked_file.read_text()


def test_the_system_role_is_never_issued_to_a_person(issuer: TokenIssuer) -> None:
    machine = Principal("system", "system", Role.SYSTEM)
    with pytest.raises(ValueError, match="never issued to a person"):
        issuer.issue(machine)
    assert issuer.issue(machine, allow_system=True)  # test helpers only
    with pytest.raises(SystemExit):
        auth.main(["issue", "--user", "x", "--role", "system"])


def test_a_service_without_its_public_key_does_not_start(tmp_path: Path) -> None:
    missing = tmp_path / "public" / "token_verify.pem"
    with pytest.raises(MissingKey, match=r"服务拒绝启动.*refuses to start"):
        TokenVerifier("relief", missing)
    assert not missing.exists()  # nothing was made on the way


def test_in_development_mode_it_starts_and_refuses_tokens_until_the_key_appears(
    tmp_path: Path, issuer: TokenIssuer
) -> None:
    missing = tmp_path / "public" / "token_verify.pem"
    verifier = TokenVerifier("relief", missing, dev=True)
    token = issuer.issue(AUDITOR)
    with pytest.raises(InvalidToken, match="no token public key"):
        verifier.verify(token)
    issuer.write_public_key(missing)
    assert verifier.verify(token) == AUDITOR


def test_a_rotated_key_ends_the_old_tokens(
    issuer: TokenIssuer, relief: TokenVerifier, public_file: Path
) -> None:
    old = issuer.issue(AUDITOR)
    assert relief.verify(old) == AUDITOR
    successor = TokenIssuer.generate()
    successor.write_public_key(public_file)
    with pytest.raises(InvalidToken, match="invalid"):
        relief.verify(old)
    assert relief.verify(successor.issue(AUDITOR)) == AUDITOR


def test_the_key_pair_is_made_once_with_a_private_key_only_its_owner_reads(
    tmp_path: Path,
) -> None:
    private, public = tmp_path / "secrets" / "signing.pem", tmp_path / "secrets" / "pub" / "v.pem"
    assert ensure_keys(private, public) is True
    first = private.read_bytes()
    assert ensure_keys(private, public) is False and private.read_bytes() == first
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(private.parent.stat().st_mode) == 0o700
    issuer = TokenIssuer.from_file(private)
    assert public.read_bytes() == issuer.public_pem
    assert b"PRIVATE" not in public.read_bytes()
    before = public.read_bytes()
    assert ensure_keys(private, public, rotate=True) is True
    assert private.read_bytes() != first and public.read_bytes() != before
    assert issuer.public_pem == public.read_bytes()  # the issuer follows the rotation


def test_the_cli_makes_keys_issues_and_revokes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = tmp_path / "signing.pem", tmp_path / "public" / "verify.pem"
    monkeypatch.setenv("LIANXIN_TOKEN_PRIVATE_KEY_FILE", str(private))
    monkeypatch.setenv("LIANXIN_TOKEN_PUBLIC_KEY_FILE", str(public))
    # the old form (no sub-command) still issues
    assert auth.main(["--user", "clerk", "--role", "village_clerk", "--village", "石壁村"]) == 0
    out = capsys.readouterr()
    token = out.out.strip()
    verifier = TokenVerifier("party", public)
    assert verifier.verify(token) == Principal("clerk", "clerk", Role.VILLAGE_CLERK, "石壁村")
    assert f"jti: {token_id(token)}" in out.err
    assert auth.main(["issue", "--user", "a", "--role", "auditor", "--audience", "funds"]) == 0
    funds_only = capsys.readouterr().out.strip()
    with pytest.raises(InvalidToken, match="not meant for party"):
        verifier.verify(funds_only)
    assert auth.main(["revoke", "--token", token, "--reason", "test"]) == 0
    with pytest.raises(InvalidToken, match="revoked"):
        verifier.verify(token)
    assert auth.main(["keys"]) == 0
    assert "kept" in capsys.readouterr().out
    assert os.path.exists(public.with_name("revoked_tokens.txt"))
