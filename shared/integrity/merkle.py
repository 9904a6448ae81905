"""Merkle tree hashes and inclusion proofs exactly as RFC 6962 §2.1 (Certificate Transparency).

A checkpoint (检查点) commits to every stream head of a store at once: the leaves are the heads
`[stream_id, stream_version, hash]`, ordered by stream id (code point order), and the tree's
root is carried by a checkpoint event. An inclusion proof (audit path) shows that one stream's
head is among the leaves without the others. `contracts/hash-spec.md` is the specification an
outsider implements; standard library only, so the standalone verifier can follow it line by line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

Leaf = tuple[str, int, str]


def leaf_bytes(stream_id: str, version: int, head_hash: str) -> bytes:
    """The bytes a leaf hashes: the compact JSON array `[stream_id, version, hash]`, UTF-8."""
    return json.dumps(
        [stream_id, version, head_hash], ensure_ascii=False, separators=(",", ":")
    ).encode()


def leaf_hash(leaf: Leaf) -> bytes:
    """SHA-256(0x00 || leaf bytes)."""
    return hashlib.sha256(b"\x00" + leaf_bytes(*leaf)).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than `n` (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _root(hashes: Sequence[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    level = list(hashes)
    # Bottom-up and equal to RFC 6962's recursive definition: pairing left to right and
    # carrying an odd last node up unchanged builds the same tree as splitting at the largest
    # power of two below n.
    while len(level) > 1:
        paired = [_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def root(leaves: Sequence[Leaf]) -> str:
    """The tree head (hex) of leaves already in order."""
    return _root([leaf_hash(leaf) for leaf in leaves]).hex()


def ordered(leaves: Sequence[Leaf]) -> list[Leaf]:
    """Leaves in the tree's order: by stream id, compared by code point."""
    return sorted(leaves, key=lambda leaf: leaf[0])


def inclusion_proof(hashes: Sequence[bytes], index: int) -> list[str]:
    """The audit path (hex, bottom-up) of leaf `index` among leaf hashes (RFC 6962 §2.1.1)."""
    path: list[bytes] = []

    def walk(lo: int, hi: int, m: int) -> None:
        n = hi - lo
        if n <= 1:
            return
        k = _split(n)
        if m < k:
            walk(lo, lo + k, m)
            path.append(_root(hashes[lo + k : hi]))
        else:
            walk(lo + k, hi, m - k)
            path.append(_root(hashes[lo : lo + k]))

    if not 0 <= index < len(hashes):
        raise IndexError(f"leaf {index} is not in a tree of {len(hashes)}")
    walk(0, len(hashes), index)
    return [h.hex() for h in path]


def all_proofs(hashes: Sequence[bytes]) -> list[list[str]]:
    """Every leaf's audit path at once, from the tree's levels (O(n log n), for exports)."""
    paths: list[list[str]] = [[] for _ in hashes]
    members = [[i] for i in range(len(hashes))]  # which leaves sit under each node
    level = list(hashes)
    while len(level) > 1:
        up: list[bytes] = []
        up_members: list[list[int]] = []
        for i in range(0, len(level) - 1, 2):
            for leaf in members[i]:
                paths[leaf].append(level[i + 1].hex())
            for leaf in members[i + 1]:
                paths[leaf].append(level[i].hex())
            up.append(_node(level[i], level[i + 1]))
            up_members.append(members[i] + members[i + 1])
        if len(level) % 2:  # an odd last node moves up unchanged: no sibling at this level
            up.append(level[-1])
            up_members.append(members[-1])
        level, members = up, up_members
    return paths


def verify_inclusion(
    leaf: Leaf, index: int, tree_size: int, path: Sequence[str], head: str
) -> bool:
    """Whether `path` proves `leaf` at `index` in the tree of `tree_size` leaves with root
    `head` (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = leaf_hash(leaf)
    try:
        siblings = [bytes.fromhex(p) for p in path]
    except ValueError:
        return False
    for p in siblings:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = _node(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r.hex() == head
