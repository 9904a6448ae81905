"""A personal field's value, encrypted (个人信息密文): `pii1:<owner>:<ref>:<data>`.

`owner` is the service whose key table holds the key, `ref` the person's keyed reference
(`secret.person_ref`), `data` the URL-safe base64 (no padding) of a 12-byte random nonce followed
by the AES-256-GCM ciphertext and tag of the UTF-8 value, with `<owner>:<ref>` as associated data
(a token moved to another person's key does not open). The token is a JSON string where the plain
value was, so event schemas and the hash chain treat it as any text; the hash covers the token.
Once the key is deleted the token opens no more: `ERASED` is shown in its place.
"""

from __future__ import annotations

import base64
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "pii1:"
#: What a token whose key was deleted shows, everywhere (views, exports, audit trails).
ERASED = "已删除 (erased)"
#: What a token whose key has not reached this reader yet shows (the key topic lags).
PENDING = "（密钥未到 key pending）"
KEY_BYTES = 32
_NONCE = 12
_TOKEN = re.compile(r"pii1:([a-z][a-z0-9_-]*):([0-9a-f]{32}):([A-Za-z0-9_-]+)")

KeyId = tuple[str, str]  # (owner, ref)


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def is_token(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def key_id(token: str) -> KeyId | None:
    """`(owner, ref)` of a token, or None if it is not one."""
    found = _TOKEN.fullmatch(token)
    return (found.group(1), found.group(2)) if found else None


def ref_of(value: str) -> str | None:
    """The person's reference a token names (None: not a token)."""
    found = key_id(value) if is_token(value) else None
    return found[1] if found else None


def seal(key: bytes, owner: str, ref: str, value: str) -> str:
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, value.encode(), f"{owner}:{ref}".encode())
    data = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{PREFIX}{owner}:{ref}:{data}"


def open_token(key: bytes, token: str) -> str:
    """The plain value; `ValueError` if the token is malformed or does not open with `key`."""
    found = _TOKEN.fullmatch(token)
    if found is None:
        raise ValueError("not a personal-data token")
    owner, ref, data = found.groups()
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    try:
        plain = AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], f"{owner}:{ref}".encode())
    except InvalidTag as exc:
        raise ValueError("personal-data token does not open with its key") from exc
    return plain.decode()
