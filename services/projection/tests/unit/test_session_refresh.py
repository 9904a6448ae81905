"""The dashboard keeps working past a token's expiry: a stale access cookie is replaced by one
minted from the session cookie (demo login); a revoked session ends it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import httpx
import jwt
import pytest
from fastapi import APIRouter, Depends
from projection.entrypoints.auth import COOKIE, SESSION_COOKIE, CookieBearer, Sessions

from shared.auth import InvalidToken, TokenIssuer, TokenVerifier, revoke, token_id
from shared.roles import Principal, Role
from shared.testing import assert_problem
from shared.web import create_app, current_principal

pytestmark = pytest.mark.asyncio
SECRETARY = Principal("secretary", "书记", Role.TOWN_SECRETARY)
TTL = dt.timedelta(minutes=15)


class Dashboard:
    def __init__(self, tmp_path: Path) -> None:
        self.issuer = TokenIssuer.generate()
        public = self.issuer.write_public_key(tmp_path / "public" / "token_verify.pem")
        self.verifier = TokenVerifier("projection", public)
        self.sessions = Sessions.of(self.issuer, self.verifier, TTL, secure=False)
        router = APIRouter()

        @router.get("/me")
        async def me(principal: Annotated[Principal, Depends(current_principal)]) -> str:
            return principal.user_id

        app = create_app(title="t", verifier=self.verifier, routers=[router])
        app.add_middleware(CookieBearer, sessions=self.sessions)
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )

    async def me(self, **cookies: str) -> httpx.Response:
        jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return await self.client.get("/me", headers={"cookie": jar} if jar else {})


def fresh_cookie(response: httpx.Response) -> str:
    (value,) = [v for v in response.headers.get_list("set-cookie") if v.startswith(COOKIE)]
    assert "HttpOnly" in value and "SameSite=lax" in value
    return value.split("=", 1)[1].split(";", 1)[0]


async def test_an_expired_token_is_replaced_from_the_session(tmp_path: Path) -> None:
    board = Dashboard(tmp_path)
    token, session = board.sessions.start(SECRETARY)
    sid = token_id(session)
    expired = board.issuer.issue(
        SECRETARY, session=sid, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
    )
    with pytest.raises(InvalidToken, match="expired"):
        board.verifier.verify(expired)
    answer = await board.me(**{COOKIE: expired, SESSION_COOKIE: session})
    assert answer.status_code == 200 and answer.json() == "secretary"
    renewed = fresh_cookie(answer)
    assert board.verifier.verify(renewed) == SECRETARY
    claims = jwt.decode(renewed, options={"verify_signature": False})
    assert claims["sid"] == sid and claims["exp"] - claims["iat"] == TTL.total_seconds()
    assert set(claims["aud"]) >= {"relief", "funds", "supervision", "party", "projection"}
    # no token cookie at all (the browser dropped it): the session still signs the user in
    assert (await board.me(**{SESSION_COOKIE: session})).status_code == 200
    # a token with most of its life ahead is left alone
    untouched = await board.me(**{COOKIE: token, SESSION_COOKIE: session})
    assert untouched.status_code == 200 and not untouched.headers.get_list("set-cookie")


async def test_without_a_session_or_with_a_revoked_one_the_expired_token_is_refused(
    tmp_path: Path,
) -> None:
    board = Dashboard(tmp_path)
    token, session = board.sessions.start(SECRETARY)
    expired = board.issuer.issue(SECRETARY, now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert_problem(await board.me(**{COOKIE: expired}), 401)
    revoke(board.verifier.revoked_file, token_id(session), reason="logged out")
    assert_problem(await board.me(**{COOKIE: expired, SESSION_COOKIE: session}), 401)
    # the tokens the session minted end with it
    refused = await board.me(**{COOKIE: token, SESSION_COOKIE: session})
    assert "revoked" in assert_problem(refused, 401)["detail"]


async def test_a_session_token_is_no_bearer_token(tmp_path: Path) -> None:
    board = Dashboard(tmp_path)
    _, session = board.sessions.start(SECRETARY)
    answer = await board.client.get("/me", headers={"Authorization": f"Bearer {session}"})
    assert "not meant for projection" in assert_problem(answer, 401)["detail"]
    assert_problem(await board.me(**{COOKIE: session}), 401)
