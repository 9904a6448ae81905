"""The deployment's personal-data secret (个人信息密钥根): 32 random bytes, generated, never
committed. Every service of one deployment holds the same one, so that a resident ID number has
one keyed reference across services (erasure names a person once for all of them).

From it are derived, by HMAC-SHA256 with a label:
- the reference key: `person_ref(id_number)` = HMAC(reference key, normalised ID number), the
  only form in which an ID number appears in stream ids, lookup columns and key tables;
- the transport key: wraps the per-person keys published on the key topic (`sharing`).

Where it comes from: `LIANXIN_PERSONAL_SECRET` (hex) if set, else the file
`LIANXIN_PERSONAL_SECRET_FILE` (default `.local/secrets/personal.key`, mode 600); in development
mode (`LIANXIN_DEV=1`) a missing file is made (exclusively: of two first starts one wins).
Outside development mode a missing secret stops the service with `MissingSecret`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

DEFAULT_FILE = ".local/secrets/personal.key"
SECRET_ENV = "LIANXIN_PERSONAL_SECRET"
FILE_ENV = "LIANXIN_PERSONAL_SECRET_FILE"


class MissingSecret(RuntimeError):
    """No personal-data secret: set LIANXIN_PERSONAL_SECRET or make the file."""


def _dev_mode() -> bool:
    return os.environ.get("LIANXIN_DEV", "").strip().lower() in {"1", "true", "yes", "on"}


def ensure_file(path: str | Path = DEFAULT_FILE) -> bool:
    """Make the secret file if missing (mode 600, exclusively); True if this call made it."""
    target = Path(path)
    if target.exists():
        return False
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, scratch = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(scratch, target)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(scratch)


@functools.cache
def deployment_secret() -> bytes:
    """The secret, read once per process."""
    value = os.environ.get(SECRET_ENV, "").strip()
    path = Path(os.environ.get(FILE_ENV, "").strip() or DEFAULT_FILE)
    if not value:
        if not path.exists() and _dev_mode():
            ensure_file(path)
        if not path.exists():
            raise MissingSecret(
                f"个人信息密钥缺失 (personal-data secret missing): set {SECRET_ENV} or create"
                f" {path} (python -m shared.personal.secret {path})"
            )
        value = path.read_text().strip()
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = value.encode()
    if len(raw) < 16:
        raise MissingSecret("个人信息密钥过短 (the personal-data secret needs ≥ 16 bytes)")
    return raw


def _derived(label: str) -> bytes:
    return hmac.new(deployment_secret(), label.encode(), hashlib.sha256).digest()


@functools.cache
def transport_key() -> bytes:
    """The AES-256 key that wraps per-person keys on the key topic."""
    return _derived("lianxin/person-key-transport/v1")


@functools.cache
def _reference_key() -> bytes:
    return _derived("lianxin/person-ref/v1")


def normalised_id(id_number: str) -> str:
    """An ID number as compared: trimmed, upper case (the check character X)."""
    return id_number.strip().upper()


def person_ref(id_number: str) -> str:
    """A person's keyed reference (32 hex): HMAC-SHA256 of the normalised ID number. Equal
    numbers give equal references; without the secret, a reference does not lead back to the
    number (an unkeyed hash would: ID numbers are few enough to enumerate)."""
    digest = hmac.new(_reference_key(), normalised_id(id_number).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


if __name__ == "__main__":  # python -m shared.personal.secret [FILE]
    import sys

    where = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_FILE
    print(("made " if ensure_file(where) else "kept ") + where)
