"""Tokens name the caller's town (the tenant): a token without one is Yisuhe's, as every token
was before; a town that is not an administrative code is refused; a verifier made for a town
refuses a token of another town (403, not 401), and a county's token covers its towns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jwt
import pytest

from shared import auth
from shared.auth import ForeignTown, InvalidToken, TokenIssuer, TokenVerifier
from shared.roles import Principal, Role
from shared.settings import YISUHE_TOWN_CODE

HUASHI = "430321106"
CLERK = Principal("u-9", "花石文书", Role.VILLAGE_CLERK, village="花石村", town=HUASHI)


@pytest.fixture
def issuer() -> TokenIssuer:
    return TokenIssuer.generate()


@pytest.fixture
def public_file(issuer: TokenIssuer, tmp_path: Path) -> Path:
    return issuer.write_public_key(tmp_path / "public" / "token_verify.pem")


def signed(issuer: TokenIssuer, **changes: Any) -> str:
    """A token with the issuer's key and hand-set claims (`None` drops one)."""
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "iss": "lianxin",
        "sub": "u",
        "role": "auditor",
        "aud": ["relief"],
        "iat": now,
        "exp": now + dt.timedelta(minutes=5),
        "jti": "j",
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, issuer._key(), algorithm="EdDSA")


def test_the_token_carries_the_town(issuer: TokenIssuer, public_file: Path) -> None:
    token = issuer.issue(CLERK)
    assert jwt.decode(token, options={"verify_signature": False})["town"] == HUASHI
    assert TokenVerifier("relief", public_file).verify(token) == CLERK
    assert TokenVerifier("relief", public_file, town=HUASHI).verify(token) == CLERK


def test_a_token_without_a_town_is_yisuhes(issuer: TokenIssuer, public_file: Path) -> None:
    principal = TokenVerifier("relief", public_file).verify(signed(issuer))
    assert principal.town == YISUHE_TOWN_CODE
    yisuhe = TokenVerifier("relief", public_file, town=YISUHE_TOWN_CODE)
    assert yisuhe.verify(signed(issuer)).role is Role.AUDITOR


NOT_CODES = [430321106, ["430321106"], "", "43032110x", "4303", "４３０３２１"]


@pytest.mark.parametrize("town", NOT_CODES)
def test_a_town_that_is_not_a_code_is_refused(
    issuer: TokenIssuer, public_file: Path, town: object
) -> None:
    with pytest.raises(InvalidToken, match="not an administrative code"):
        TokenVerifier("relief", public_file).verify(signed(issuer, town=town))


def test_a_token_of_another_town_is_forbidden(issuer: TokenIssuer, public_file: Path) -> None:
    yisuhe = TokenVerifier("relief", public_file, town=YISUHE_TOWN_CODE)
    with pytest.raises(ForeignTown, match="无权访问该镇的数据"):
        yisuhe.verify(issuer.issue(CLERK))
    # the same key and town for another audience
    with pytest.raises(ForeignTown):
        yisuhe.with_audience("funds").verify(issuer.issue(CLERK))


def test_areas_nest_on_a_projection_and_a_tenant_takes_its_own_town_only(
    issuer: TokenIssuer, public_file: Path
) -> None:
    county = Principal("c", "县领导", Role.AUDITOR, town="430321")
    assert county.covers(HUASHI) and county.covers(YISUHE_TOWN_CODE)
    assert not county.covers("430322100")
    # a write service (a tenant) takes its own town's tokens only: a county's token writes
    # nowhere (one town's app reached past the dispatcher refuses it too)
    with pytest.raises(ForeignTown):
        TokenVerifier("relief", public_file, town=HUASHI).verify(issuer.issue(county))
    # a projection's areas nest: a county's token on a town's projection, a town's token on its
    # county's projection (which shows it its own town only); another county's refuses it
    town_view = TokenVerifier("projection", public_file, town=HUASHI, nested=True)
    assert town_view.verify(issuer.issue(county, audience=["projection"])).town == "430321"
    county_view = TokenVerifier("projection", public_file, town="430321", nested=True)
    assert county_view.verify(issuer.issue(CLERK, audience=["projection"])).town == CLERK.town
    other_county = TokenVerifier("projection", public_file, town="430322", nested=True)
    with pytest.raises(ForeignTown):
        other_county.verify(issuer.issue(CLERK, audience=["projection"]))


def test_the_cli_issues_for_a_town(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = tmp_path / "signing.pem", tmp_path / "public" / "verify.pem"
    monkeypatch.setenv("LIANXIN_TOKEN_PRIVATE_KEY_FILE", str(private))
    monkeypatch.setenv("LIANXIN_TOKEN_PUBLIC_KEY_FILE", str(public))
    assert auth.main(["issue", "--user", "a", "--role", "auditor", "--town", HUASHI]) == 0
    token = capsys.readouterr().out.strip()
    assert TokenVerifier("relief", public).verify(token).town == HUASHI
    assert auth.main(["issue", "--user", "a", "--role", "auditor"]) == 0
    assert TokenVerifier("relief", public).verify(capsys.readouterr().out.strip()).town == (
        YISUHE_TOWN_CODE
    )
    with pytest.raises(SystemExit):
        auth.main(["issue", "--user", "a", "--role", "auditor", "--town", "花石镇"])
