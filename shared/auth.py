"""Authentication and roles: signed bearer tokens (HS256 JWT) naming a user and a role.

The secret is never committed: it comes from `LIANXIN_TOKEN_SECRET`, or from a key file that
`python -m shared.auth` generates on first use (`.local/secrets/token.key`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import jwt

from shared.envelope import Actor

ALGORITHM = "HS256"
ISSUER = "lianxin"


class Role(StrEnum):
    """The roles of the design brief (角色)."""

    TOWN_SECRETARY = "town_secretary"  # 党委书记: reads all
    DEPUTY_SECRETARY = "deputy_secretary"  # 党委副书记: petitions
    ORGANISATION_MEMBER = "organisation_member"  # 组织委员: party
    DISCIPLINE_SECRETARY = "discipline_secretary"  # 纪委书记: supervision, clues, fund detail
    AGRICULTURE_LEADER = "agriculture_leader"  # 分管农业: relief
    ECONOMIC_LEADER = "economic_leader"  # 分管经济发展: funds, 三资
    VILLAGE_CLERK = "village_clerk"  # 村级代办员/文书: own village only
    BRANCH_SECRETARY = "branch_secretary"  # 村党支部书记: own branch (village) only
    AUDITOR = "auditor"  # 审计: read all, audit, replay
    PUBLIC = "public"  # 公众: published notices only
    SYSTEM = "system"  # a service acting on another's event


#: The roles confined to their own village (`Principal.village`) in every service.
VILLAGE_SCOPED = frozenset({Role.VILLAGE_CLERK, Role.BRANCH_SECRETARY})


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    user_id: str
    name: str
    role: Role
    village: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, role=self.role.value)


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired or not signed by us."""


def load_secret(
    secret: str = "", secret_file: str = ".local/secrets/token.key", *, create: bool = False
) -> str:
    """The signing secret: given, or read from the key file (made once when `create`)."""
    if secret:
        return secret
    path = Path(secret_file)
    if path.exists():
        return path.read_text().strip()
    if not create:
        raise InvalidToken(f"no token secret: set LIANXIN_TOKEN_SECRET or create {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def issue_token(
    secret: str,
    principal: Principal,
    *,
    ttl: dt.timedelta = dt.timedelta(days=7),
    now: dt.datetime | None = None,
) -> str:
    """A signed token for `principal`, valid for `ttl`."""
    issued = now or dt.datetime.now(dt.UTC)
    claims: dict[str, object] = {
        "sub": principal.user_id,
        "name": principal.name,
        "role": principal.role.value,
        "iss": ISSUER,
        "iat": issued,
        "exp": issued + ttl,
    }
    if principal.village:
        claims["village"] = principal.village
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(secret: str, token: str) -> Principal:
    """The principal a token names, or `InvalidToken` with the reason."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "role", "exp"]},
        )
        role = Role(claims["role"])
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("令牌已过期 (token expired)") from exc
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise InvalidToken(f"令牌无效 (invalid token): {exc}") from exc
    return Principal(
        user_id=str(claims["sub"]),
        name=str(claims.get("name", claims["sub"])),
        role=role,
        village=claims.get("village"),
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m shared.auth --user u --role r [--village v]`: print a token."""
    parser = argparse.ArgumentParser(description="Issue a Lianxin bearer token (local use).")
    parser.add_argument("--user", required=True)
    parser.add_argument("--name", default="")
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--village")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument(
        "--secret-file",
        default=os.environ.get("LIANXIN_TOKEN_SECRET_FILE", ".local/secrets/token.key"),
    )
    args = parser.parse_args(argv)
    secret = load_secret(os.environ.get("LIANXIN_TOKEN_SECRET", ""), args.secret_file, create=True)
    principal = Principal(args.user, args.name or args.user, Role(args.role), args.village)
    print(issue_token(secret, principal, ttl=dt.timedelta(days=args.days)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
