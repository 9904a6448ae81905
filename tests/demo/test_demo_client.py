"""The demo loaders' HTTP side: signed demo users, an expected answer's body, and a repeated
create (409) taken as "already there"."""

from pathlib import Path

import httpx
import pytest

from demo.client import DemoError, answer, demo_headers, written
from shared.auth import TokenIssuer, TokenVerifier
from shared.roles import Role


def client(status: int, body: object = None) -> httpx.Client:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body if body is not None else {"status": status})

    return httpx.Client(transport=httpx.MockTransport(reply), base_url="http://demo")


def test_each_demo_user_gets_a_signed_bearer_header(tmp_path: Path) -> None:
    issuer = TokenIssuer.generate()
    headers = demo_headers(issuer, ["agriculture", "clerk-shibi"])
    scheme, token = headers["clerk-shibi"]["Authorization"].split()
    verifier = TokenVerifier("relief", issuer.write_public_key(tmp_path / "verify.pem"))
    principal = verifier.verify(token)
    assert scheme == "Bearer" and principal.role is Role.VILLAGE_CLERK
    assert principal.village == "石壁村"
    assert set(headers) == {"agriculture", "clerk-shibi"}


def test_an_expected_answer_gives_its_body_and_anything_else_names_the_request() -> None:
    assert answer(client(201, {"id": "x"}).post("/api/v1/things", json={})) == {"id": "x"}
    assert answer(client(200, [1]).get("/api/v1/things"), 200) == [1]
    with pytest.raises(DemoError, match=r"GET /api/v1/things → 201"):
        answer(client(201).get("/api/v1/things", params={"a": "b"}), 200)
    with pytest.raises(DemoError, match=r"POST /api/v1/things → 422: .*422"):
        answer(client(422).post("/api/v1/things", json={}))


def test_a_repeated_create_is_already_there() -> None:
    assert written(client(201).post("/api/v1/things", json={})) is True
    assert written(client(409).post("/api/v1/things", json={})) is False
    assert written(client(200).post("/api/v1/things", json={}), 200) is True
    with pytest.raises(DemoError, match="→ 200"):
        written(client(200).post("/api/v1/things", json={}), 201)
    with pytest.raises(DemoError, match="→ 403"):
        written(client(403).post("/api/v1/things", json={}))
