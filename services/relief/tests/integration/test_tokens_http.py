"""Bearer tokens through relief's HTTP API (the real app, PostgreSQL and Kafka): only the
issuer's tokens for relief pass; forged, foreign, expired, revoked and unsigned tokens are 401
problem+json; without its public key the service does not start outside development mode."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import pytest_asyncio
from relief.bootstrap import build_app

from shared.auth import MissingKey, TokenIssuer, revoke, token_id
from shared.roles import Principal, Role
from shared.settings import Settings
from shared.testing import (
    REPO,
    TEST_ISSUER,
    Infra,
    app_client,
    assert_problem,
    bearer,
    service_settings,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SECRETARY = Principal("secretary", "书记", Role.TOWN_SECRETARY)
OLD_SHARED_SECRET = "lianxin-test-secret-not-for-production-0123456789"
PATH = "/api/v1/households"


@dataclass
class Relief:
    client: httpx.AsyncClient
    settings: Settings


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def relief(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Relief]:
    revoked = tmp_path_factory.mktemp("tokens") / "revoked_tokens.txt"
    settings = service_settings(infra, LIANXIN_TOKEN_REVOKED_FILE=str(revoked))
    async with app_client(build_app(settings)) as client:
        yield Relief(client, settings)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(alg: str, key: bytes | None) -> str:
    """A token with every claim right, signed with `alg` and `key` (None: unsigned)."""
    now = int(dt.datetime.now(dt.UTC).timestamp())
    claims: dict[str, Any] = {
        "iss": "lianxin",
        "sub": "mallory",
        "name": "mallory",
        "role": "system",
        "aud": ["relief"],
        "iat": now,
        "exp": now + 600,
        "jti": "forged",
    }
    head = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    signing_input = f"{head}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest() if key else b""
    return f"{signing_input}.{b64(signature)}"


async def refused(relief: Relief, token: str, reason: str) -> None:
    response = await relief.client.get(PATH, headers={"Authorization": f"Bearer {token}"})
    body = assert_problem(response, 401)
    assert reason in body["detail"], body
    assert response.headers["www-authenticate"] == "Bearer"


async def test_the_issuers_token_for_relief_passes(relief: Relief) -> None:
    response = await relief.client.get(PATH, headers=bearer(Role.TOWN_SECRETARY))
    assert response.status_code == 200, response.text
    only_relief = TEST_ISSUER.issue(SECRETARY, audience=["relief"])
    ok = await relief.client.get(PATH, headers={"Authorization": f"Bearer {only_relief}"})
    assert ok.status_code == 200, ok.text


async def test_a_token_signed_with_a_services_own_material_is_refused(relief: Relief) -> None:
    await refused(relief, jwt.encode({"sub": "x", "role": "system"}, OLD_SHARED_SECRET), "invalid")
    await refused(relief, hand_made("HS256", OLD_SHARED_SECRET.encode()), "invalid")
    not_the_issuer = TokenIssuer.generate()  # an Ed25519 key of a service's own
    forged = not_the_issuer.issue(Principal("x", "x", Role.SYSTEM), allow_system=True)
    await refused(relief, forged, "invalid")


async def test_an_unsigned_token_is_refused(relief: Relief) -> None:
    await refused(relief, hand_made("none", None), "invalid")


async def test_hs256_made_with_the_public_key_as_secret_is_refused(relief: Relief) -> None:
    public = Path(relief.settings.token_public_key_file).read_bytes()
    await refused(relief, hand_made("HS256", public), "invalid")
    await refused(relief, hand_made("HS256", public.strip()), "invalid")


async def test_a_token_for_another_service_is_refused(relief: Relief) -> None:
    for_funds = TEST_ISSUER.issue(SECRETARY, audience=["funds", "projection"])
    await refused(relief, for_funds, "not meant for relief")
    session = TEST_ISSUER.issue_session(SECRETARY, ttl=dt.timedelta(hours=1))
    await refused(relief, session, "not meant for relief")


async def test_an_expired_token_is_refused(relief: Relief) -> None:
    then = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    await refused(relief, TEST_ISSUER.issue(SECRETARY, now=then), "expired")


async def test_a_revoked_token_is_refused(relief: Relief) -> None:
    token = TEST_ISSUER.issue(SECRETARY)
    headers = {"Authorization": f"Bearer {token}"}
    assert (await relief.client.get(PATH, headers=headers)).status_code == 200
    revoke(relief.settings.token_revoked_file, token_id(token), reason="test")
    await refused(relief, token, "revoked")


async def test_without_a_public_key_the_service_does_not_start(
    infra: Infra, tmp_path: Path
) -> None:
    missing = tmp_path / "public" / "token_verify.pem"
    with pytest.raises(MissingKey, match="refuses to start"):
        build_app(service_settings(infra, LIANXIN_TOKEN_PUBLIC_KEY_FILE=str(missing)))
    # as `python -m relief.main` would: a clear message, exit status 2, no key made
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANXIN_")}
    env |= {"LIANXIN_TOKEN_PUBLIC_KEY_FILE": str(missing), "PORT": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "relief.main"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "令牌公钥缺失" in done.stderr and "refuses to start" in done.stderr
    assert not missing.exists()
    # development mode (LIANXIN_DEV=1) starts without it: every token is then refused
    build_app(service_settings(infra, LIANXIN_TOKEN_PUBLIC_KEY_FILE=str(missing), LIANXIN_DEV=1))
