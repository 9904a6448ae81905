"""Authentication and roles: short-lived bearer tokens (EdDSA/Ed25519 JWT) naming a user, a
role and the services they are for.

One issuer signs with an Ed25519 private key; the services hold only the public key, so a
service can check a token but cannot make one, and nobody without the private key can forge one.

- **Keys**: `python -m shared.auth keys` makes the pair on first use: the private key
  `.local/secrets/token_signing.pem` (mode 600, read only by the issuer: this CLI, the demo
  loaders and the dashboard's demo login, `LIANXIN_DEMO_LOGIN=1`) and the public key
  `.local/secrets/public/token_verify.pem` (what the services read). Never committed.
- **Claims**: `iss`, `sub`, `name`, `role`, `village` (village-scoped roles), `town` (the tenant:
  a town's administrative code, or a county's, which covers its towns; a token without it is
  Yisuhe's), `aud` (the services the token is for; each service accepts only tokens naming it),
  `iat`, `exp` (15 minutes by default), `jti` (the token's id), `sid` (the dashboard session
  that minted it, if any).
- **Towns**: a verifier made for a town (`token_verifier`: the service's `town_code`) refuses a
  token whose town does not cover it with `ForeignTown` (403, not 401: the caller is known).
- **Revocation**: `python -m shared.auth revoke <jti>` appends the id to `revoked_tokens.txt`
  next to the public key; every service re-reads it when it changes. A session's id revokes
  every token minted from that session.
- **Fail closed**: a service whose public key is missing refuses to start (`MissingKey`),
  unless in development mode (`LIANXIN_DEV=1`), where it starts but refuses every token until
  the key appears. No service ever creates a key.
- The `system` role is never issued to a person: the CLI refuses it, and `TokenIssuer.issue`
  only makes one when asked with `allow_system=True` (test helpers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.roles import PERSON_ROLES, Principal, Role
from shared.settings import YISUHE_TOWN_CODE

if TYPE_CHECKING:
    from shared.settings import Settings

ALGORITHM = "EdDSA"
ISSUER = "lianxin"
#: The services, each the audience (`aud`) of the tokens meant for it.
SERVICES = ("relief", "funds", "supervision", "party", "projection")
#: The audience of the dashboard's session token: no service accepts it as a bearer token; only
#: the projection's demo login reads it to mint fresh access tokens.
SESSION_AUDIENCE = "projection-session"
DEFAULT_TTL = dt.timedelta(minutes=15)
#: Clock difference tolerated between the issuer and a service.
LEEWAY = dt.timedelta(seconds=10)

DEFAULT_PRIVATE_KEY_FILE = ".local/secrets/token_signing.pem"
DEFAULT_PUBLIC_KEY_FILE = ".local/secrets/public/token_verify.pem"
REVOKED_FILE_NAME = "revoked_tokens.txt"


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired, revoked, for another service or not
    signed by the issuer."""


class ForeignTown(Exception):
    """A valid token, but for another town than the one this service (tenant) serves: 403."""


class MissingKey(RuntimeError):
    """A key the process needs is not there: the process does not start."""


# ---------------------------------------------------------------------------------------------
# Key files


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _parse_private(data: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def _parse_public(data: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint of a public key (the token header's `kid`)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    """`path` holds `data` (mode `mode`) all at once: written aside, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def ensure_keys(
    private_file: str | Path = DEFAULT_PRIVATE_KEY_FILE,
    public_file: str | Path = DEFAULT_PUBLIC_KEY_FILE,
    *,
    rotate: bool = False,
) -> bool:
    """The issuer's key pair for local development: made when the private key is missing (or
    `rotate`), the public key (re)written beside it when missing. True if a new pair was made.
    Only the issuer calls this (the CLI, the demo loaders); a service never does."""
    private, public = Path(private_file), Path(public_file)
    made = False
    if rotate or not private.exists():
        if not private.parent.exists():
            private.parent.mkdir(mode=0o700, parents=True)
        key = Ed25519PrivateKey.generate()
        if rotate:
            _write_atomically(private, _private_pem(key), 0o600)
            made = True
        else:  # exclusive: of two first runs, one key wins and the other reads it
            fd, scratch = tempfile.mkstemp(dir=private.parent, prefix=f".{private.name}.")
            with os.fdopen(fd, "wb") as handle:
                handle.write(_private_pem(key))
            try:
                os.link(scratch, private)
                made = True
            except FileExistsError:
                pass
            finally:
                os.unlink(scratch)
    key = _parse_private(private.read_bytes())
    pem = _public_pem(key.public_key())
    if made or not public.exists() or public.read_bytes() != pem:
        _write_atomically(public, pem, 0o644)
    return made


def revoked_file_for(public_key_file: str | Path, revoked_file: str | Path = "") -> Path:
    """The revocation list: given, or `revoked_tokens.txt` next to the public key."""
    if revoked_file:
        return Path(revoked_file)
    return Path(public_key_file).with_name(REVOKED_FILE_NAME)


T = TypeVar("T")


class _Watched(Generic[T]):
    """A file's parsed content, read again whenever the file changes (mtime, size, inode)."""

    def __init__(self, path: Path, parse: Callable[[bytes], T]) -> None:
        self.path, self._parse = path, parse
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._value: T | None = None

    def get(self) -> T:
        """The content; `FileNotFoundError` or `ValueError` when missing or unreadable."""
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        with self._lock:
            if stamp != self._stamp or self._value is None:
                self._value = self._parse(self.path.read_bytes())
                self._stamp = stamp
            return self._value


def _parse_revoked(data: bytes) -> frozenset[str]:
    ids = (line.split("#", 1)[0].strip() for line in data.decode().splitlines())
    return frozenset(i for i in ids if i)


def revoke(revoked_file: str | Path, token_id: str, *, reason: str = "") -> None:
    """Add `token_id` (a token's `jti` or a session's `sid`) to the revocation list."""
    token_id = token_id.strip()
    if not token_id or any(c.isspace() or c == "#" for c in token_id):
        raise ValueError(f"not a token id: {token_id!r}")
    path = Path(revoked_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    note = " ".join(f"{when} {reason}".split())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:  # one short append: atomic
        handle.write(f"{token_id}  # {note}\n")


def token_id(token: str) -> str:
    """The `jti` of a token, unverified (to revoke it)."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError as exc:
        raise ValueError(f"not a token: {exc}") from exc
    return str(claims.get("jti", ""))


# ---------------------------------------------------------------------------------------------
# Issuing


class TokenIssuer:
    """Signs tokens with the Ed25519 private key. Only the issuer holds one: the CLI, the demo
    loaders, the dashboard's demo login (development mode) and test helpers."""

    def __init__(self, key: Ed25519PrivateKey | Callable[[], Ed25519PrivateKey]) -> None:
        self._key = key if callable(key) else (lambda: key)

    @classmethod
    def from_file(cls, private_file: str | Path) -> TokenIssuer:
        """The issuer whose key is in `private_file` (read again when it changes);
        `MissingKey` when it is not there."""
        watched = _Watched(Path(private_file), _parse_private)
        try:
            watched.get()
        except (OSError, ValueError) as exc:
            raise MissingKey(
                f"令牌签名私钥缺失或无法读取 (no usable token signing key at {private_file}: {exc};"
                " make one with `python -m shared.auth keys`)"
            ) from exc
        return cls(watched.get)

    @classmethod
    def generate(cls) -> TokenIssuer:
        """An issuer with a fresh key of its own (tests, benchmarks)."""
        return cls(Ed25519PrivateKey.generate())

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._key().public_key()

    @property
    def public_pem(self) -> bytes:
        return _public_pem(self.public_key)

    def write_public_key(self, public_file: str | Path) -> Path:
        """Write the public key (for a service started by a test or a benchmark)."""
        path = Path(public_file)
        _write_atomically(path, self.public_pem, 0o644)
        return path

    def write_private_key(self, private_file: str | Path) -> Path:
        """Write the private key, mode 600 (a test's or a benchmark's issuer)."""
        path = Path(private_file)
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True)
        _write_atomically(path, _private_pem(self._key()), 0o600)
        return path

    def issue(
        self,
        principal: Principal,
        *,
        audience: Iterable[str] = SERVICES,
        ttl: dt.timedelta = DEFAULT_TTL,
        now: dt.datetime | None = None,
        session: str | None = None,
        allow_system: bool = False,
    ) -> str:
        """A signed token for `principal`, for the services in `audience`, valid for `ttl`."""
        if principal.role is Role.SYSTEM and not allow_system:
            raise ValueError("the system role is never issued to a person")
        aud = sorted(set(audience))
        if not aud:
            raise ValueError("a token needs an audience")
        issued = now or dt.datetime.now(dt.UTC)
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "sub": principal.user_id,
            "name": principal.name,
            "role": principal.role.value,
            "town": principal.town,
            "aud": aud,
            "iat": issued,
            "exp": issued + ttl,
            "jti": uuid.uuid4().hex,
        }
        if principal.village:
            claims["village"] = principal.village
        if session:
            claims["sid"] = session
        key = self._key()
        return jwt.encode(
            claims, key, algorithm=ALGORITHM, headers={"kid": key_id(key.public_key())}
        )

    def issue_session(
        self, principal: Principal, *, ttl: dt.timedelta, now: dt.datetime | None = None
    ) -> str:
        """The dashboard's session token: only the projection's demo login reads it back, to
        mint access tokens (`sid` = its `jti`); no service accepts it as a bearer token."""
        return self.issue(principal, audience=[SESSION_AUDIENCE], ttl=ttl, now=now)


# ---------------------------------------------------------------------------------------------
# Verifying


class TokenVerifier:
    """Checks tokens for one audience (a service's name) with the issuer's public key, read
    from `public_key_file`, and the revocation list; both are read again when they change.
    Made for a `town`, `verify` also refuses a principal whose town does not cover it."""

    def __init__(
        self,
        audience: str,
        public_key_file: str | Path = DEFAULT_PUBLIC_KEY_FILE,
        revoked_file: str | Path = "",
        *,
        dev: bool = False,
        town: str | None = None,
        nested: bool = False,
    ) -> None:
        self.audience = audience
        self.town = town
        self.nested = nested
        self.public_key_file = Path(public_key_file)
        self.revoked_file = revoked_file_for(public_key_file, revoked_file)
        self._key = _Watched(self.public_key_file, _parse_public)
        self._revoked = _Watched(self.revoked_file, _parse_revoked)
        try:
            self._key.get()
        except (OSError, ValueError) as exc:
            if not dev:
                raise MissingKey(self._missing(exc)) from exc

    def _missing(self, exc: Exception) -> str:
        return (
            f"令牌公钥缺失或无法读取，服务拒绝启动 (no usable token public key at"
            f" {self.public_key_file}: {exc}; the service refuses to start. Give the issuer's"
            " public key in LIANXIN_TOKEN_PUBLIC_KEY_FILE — locally `python -m shared.auth keys`"
            " makes the pair — or set LIANXIN_DEV=1 for local development)"
        )

    def trusts(self, issuer: TokenIssuer) -> bool:
        """The issuer's tokens pass this verifier's key (True while the key file is missing
        in development mode: nothing passes then, whoever signs)."""
        try:
            key = self._key.get()
        except (OSError, ValueError):
            return True
        return _public_pem(key) == issuer.public_pem

    def with_audience(self, audience: str) -> TokenVerifier:
        """The same key and revocation list, for another audience."""
        return TokenVerifier(
            audience,
            self.public_key_file,
            self.revoked_file,
            dev=True,
            town=self.town,
            nested=self.nested,
        )

    def claims(self, token: str) -> dict[str, Any]:
        """The verified claims of a token, or `InvalidToken` with the reason."""
        try:
            key = self._key.get()
        except (OSError, ValueError) as exc:
            raise InvalidToken(
                f"服务没有可用的令牌公钥 (no token public key at {self.public_key_file};"
                " run `python -m shared.auth keys`)"
            ) from exc
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=ISSUER,
                leeway=LEEWAY,
                options={"require": ["iss", "sub", "role", "aud", "iat", "exp", "jti"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("令牌已过期 (token expired)") from exc
        except jwt.InvalidAudienceError as exc:
            raise InvalidToken(
                f"令牌不是发给本服务的 (invalid token: not meant for {self.audience})"
            ) from exc
        except jwt.InvalidTokenError as exc:
            raise InvalidToken(f"令牌无效 (invalid token): {exc}") from exc
        try:
            revoked = self._revoked.get()
        except FileNotFoundError:
            revoked = frozenset()
        except (OSError, ValueError) as exc:  # a list that cannot be read revokes everything
            raise InvalidToken(
                f"吊销名单无法读取 (revocation list {self.revoked_file} unreadable)"
            ) from exc
        if str(claims["jti"]) in revoked or str(claims.get("sid", "")) in revoked:
            raise InvalidToken("令牌已吊销 (token revoked)")
        return claims

    def verify(self, token: str) -> Principal:
        """The principal a token names, or `InvalidToken` with the reason; `ForeignTown` when
        the verifier is an area's (a town's, a county's) and the token's area neither covers it
        nor lies within it."""
        claims = self.claims(token)
        try:
            role = Role(claims["role"])
        except ValueError as exc:
            raise InvalidToken(f"令牌无效 (invalid token): unknown role {claims['role']}") from exc
        principal = principal_of(claims, role)
        # a write service (a tenant) takes its own town's tokens only; a projection (`nested`)
        # takes tokens of an area covering its own, or within it (a county's projection takes
        # its towns' tokens and shows each its own town only)
        if self.town is None:
            admitted = True
        elif self.nested:
            admitted = principal.covers(self.town) or principal.town.startswith(self.town)
        else:
            admitted = principal.town == self.town
        if not admitted:
            raise ForeignTown(
                f"无权访问该镇的数据：令牌属于 {principal.town}，本服务为 {self.town}"
                f" (the token is for town {principal.town}, not {self.town})"
            )
        return principal


def is_town_code(value: object) -> bool:
    """An administrative code (行政区划代码) as a tenant: a string of 6 to 12 digits (a county's
    6, a town's 9)."""
    return isinstance(value, str) and value.isascii() and value.isdigit() and 6 <= len(value) <= 12


def principal_of(claims: dict[str, Any], role: Role | None = None) -> Principal:
    """The principal verified claims name (a token without `town` is Yisuhe's, as every token
    was before towns were tenants; a `town` that is not a code is `InvalidToken`)."""
    village = claims.get("village")
    town = claims.get("town", YISUHE_TOWN_CODE)
    if not is_town_code(town):
        raise InvalidToken(f"令牌无效 (invalid token): town {town!r} is not an administrative code")
    return Principal(
        user_id=str(claims["sub"]),
        name=str(claims.get("name", claims["sub"])),
        role=role or Role(claims["role"]),
        village=str(village) if village else None,
        town=town,
    )


def token_verifier(settings: Settings, service: str, *, dev: bool | None = None) -> TokenVerifier:
    """The verifier of `service` from its settings; outside development mode (`LIANXIN_DEV`) a
    missing public key is `MissingKey`: the service does not start."""
    return TokenVerifier(
        service,
        settings.token_public_key_file,
        settings.token_revoked_file,
        dev=settings.dev_mode if dev is None else dev,
        # the service's area: a write service's (tenant's) town; a projection's town or county
        # (which admits its towns' tokens and limits each to its own town in its views)
        town=settings.town_code,
        nested=service == "projection",
    )


# ---------------------------------------------------------------------------------------------
# The CLI


def main(argv: list[str] | None = None) -> int:
    """`python -m shared.auth keys | issue --user u --role r | revoke <jti>` (local use)."""
    from shared.settings import Settings

    settings = Settings()
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in and args_in[0].startswith("-") and args_in[0] not in ("-h", "--help"):
        args_in.insert(0, "issue")  # `python -m shared.auth --user u --role r`, as before
    parser = argparse.ArgumentParser(
        prog="python -m shared.auth", description="Lianxin bearer tokens: keys, issue, revoke."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    keys = commands.add_parser("keys", help="make the key pair if missing; print where it is")
    keys.add_argument("--rotate", action="store_true", help="a new pair: every token ends")
    issue = commands.add_parser("issue", help="print a token for a person")
    issue.add_argument("--user", required=True)
    issue.add_argument("--name", default="")
    issue.add_argument(
        "--role", required=True, choices=[r.value for r in PERSON_ROLES], help="never system"
    )
    issue.add_argument("--village")
    issue.add_argument(
        "--town",
        default=settings.town_code,
        help="the tenant: a town's code (default: LIANXIN town_code, Yisuhe 430321100)"
        " or a county's (430321, every town of it)",
    )
    issue.add_argument("--minutes", type=float, default=settings.token_minutes)
    issue.add_argument(
        "--audience",
        action="append",
        choices=SERVICES,
        help="a service the token is for (repeatable; default: all five)",
    )
    revoke_cmd = commands.add_parser("revoke", help="revoke a token (or a session) by its id")
    revoke_cmd.add_argument("token_id", nargs="?", help="the token's jti or a session's sid")
    revoke_cmd.add_argument("--token", help="the token itself (its jti is read from it)")
    revoke_cmd.add_argument("--reason", default="")
    args = parser.parse_args(args_in)
    private, public = settings.token_private_key_file, settings.token_public_key_file
    revoked = revoked_file_for(public, settings.token_revoked_file)
    if args.command == "keys":
        made = ensure_keys(private, public, rotate=args.rotate)
        print(f"{'made' if made else 'kept'}: private {private} (issuer only), public {public}")
        print(f"revocation list: {revoked}")
    elif args.command == "issue":
        if args.role == Role.SYSTEM.value:  # choices already refuse it; never issued to a person
            parser.error("the system role is never issued to a person")
        ensure_keys(private, public)
        if not is_town_code(args.town):
            parser.error(f"--town {args.town!r} is not an administrative code (6 to 12 digits)")
        principal = Principal(
            args.user, args.name or args.user, Role(args.role), args.village, args.town
        )
        token = TokenIssuer.from_file(private).issue(
            principal,
            audience=args.audience or SERVICES,
            ttl=dt.timedelta(minutes=args.minutes),
        )
        print(f"jti: {token_id(token)}", file=sys.stderr)
        print(token)
    else:
        which = args.token_id or (token_id(args.token) if args.token else "")
        if not which:
            parser.error("give a token id or --token")
        revoke(revoked, which, reason=args.reason)
        print(f"revoked {which} in {revoked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
