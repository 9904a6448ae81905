#!/usr/bin/env python3
"""Standalone verifier of a Lianxin audit bundle (连心审计导出包独立核查工具).

Standard library only, no import from the Lianxin codebase: an outside auditor runs

    python3 lianxin_verify.py BUNDLE_DIR

on a directory holding `events.jsonl` (and optionally `checkpoint.json`). It recomputes every
event's SHA-256 from its fields, checks each stream's hash chain, and checks the checkpoint
(RFC 6962 Merkle root, inclusion proofs, every committed stream head still present). Each
problem is named once. Exit status: 0 clean, 1 findings, 2 unreadable input.

The rules implemented here are those of `contracts/hash-spec.md`, written out explicitly.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

GENESIS_HASH = "0" * 64
HASHED_FIELDS = frozenset(
    {
        "event_id",
        "event_type",
        "schema_version",
        "stream_id",
        "stream_version",
        "occurred_at",
        "recorded_at",
        "actor",
        "correlation_id",
        "causation_id",
        "town",
        "payload",
        "prev_hash",
    }
)
CHECKPOINT_TYPE = "integrity.CheckpointRecorded"
_HEX64 = re.compile(r"[0-9a-f]{64}")


class Unreadable(Exception):
    """The bundle cannot be read as the specification describes (exit status 2)."""


# --- canonical JSON (hash-spec.md §3) -------------------------------------------------------

#: The characters with a two-character escape; every other one below U+0020 becomes \u00xx.
_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def canonical_string(text: str) -> str:
    """A JSON string: `"` and `\\` and the C0 controls escaped (lowercase hex), nothing else;
    non-ASCII stays raw, `/` and U+007F and U+2028 are not escaped."""
    out = ['"']
    for ch in text:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ch < " ":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def canonical(value: Any) -> str:
    """The canonical JSON text of a parsed JSON value (keys sorted by code point, no spaces)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)  # integers as written, any size
    if isinstance(value, float):
        return repr(value)  # never produced by Lianxin; Python's shortest round-trip form
    if isinstance(value, str):
        return canonical_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items())  # str keys: Python compares by code point
        return "{" + ",".join(f"{canonical_string(k)}:{canonical(v)}" for k, v in items) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def event_hash(body: dict[str, Any]) -> str | None:
    """SHA-256 (lowercase hex) of the UTF-8 canonical JSON of the hashed fields; None when the
    text cannot be UTF-8 (a lone surrogate): no producer could have sealed such content."""
    hashed = {key: body[key] for key in HASHED_FIELDS}
    try:
        data = canonical(hashed).encode("utf-8")
    except UnicodeEncodeError:
        return None
    return hashlib.sha256(data).hexdigest()


# --- RFC 6962 Merkle tree (hash-spec.md §6) ---------------------------------------------------


def leaf_hash(stream_id: str, version: int, head: str) -> bytes:
    return hashlib.sha256(b"\x00" + canonical([stream_id, version, head]).encode("utf-8")).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(hashes: list[bytes]) -> bytes:
    """MTH(D[n]) of RFC 6962 §2.1, recursively: split at the largest power of two below n."""
    n = len(hashes)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashes[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return _node(merkle_root(hashes[:k]), merkle_root(hashes[k:]))


def verify_inclusion(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: whether `path` proves leaf hash `leaf` at `index` of `size`."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
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
    return sn == 0 and r == root


# --- reading the bundle -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One event of the bundle: where it sits, its hashes, whether its content matches."""

    stream_id: str
    version: int
    prev_hash: str
    hash: str
    intact: bool
    body: dict[str, Any]


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    body = dict(pairs)
    if len(body) != len(pairs):
        raise ValueError("duplicate key in a JSON object")
    return body


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _parse_json(text: str) -> Any:
    return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)


def to_event(body: Any, where: str) -> Event:
    """Check a wire-form body's shape (hash-spec.md §5) and recompute its hash."""
    if not isinstance(body, dict) or set(body) != HASHED_FIELDS | {"hash"}:
        raise Unreadable(f"{where}：不是事件的传输形式 (not an event's wire form)")
    sid, version, prev, sealed = (
        body[k] for k in ("stream_id", "stream_version", "prev_hash", "hash")
    )
    if not isinstance(sid, str) or not isinstance(version, int) or isinstance(version, bool):
        raise Unreadable(f"{where}：stream_id 或 stream_version 类型不对 (wrong type)")
    if version < 1 or not isinstance(prev, str) or not isinstance(sealed, str):
        raise Unreadable(f"{where}：stream_version、prev_hash 或 hash 不合规 (invalid)")
    return Event(sid, version, prev, sealed, event_hash(body) == sealed, body)


def read_events(path: Path) -> list[Event]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise Unreadable(f"找不到 {path} (file not found)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Unreadable(f"无法读取 {path} (cannot read): {exc}") from None
    events = []
    for number, line in enumerate(text.split("\n"), start=1):  # LF only: U+2028 may be raw
        if not line.strip():
            continue
        try:
            body = _parse_json(line)
        except ValueError as exc:
            raise Unreadable(
                f"events.jsonl 第 {number} 行不是 JSON (line {number}): {exc}"
            ) from None
        events.append(to_event(body, f"events.jsonl 第 {number} 行 (line {number})"))
    return events


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """`checkpoint.json`: the checkpoint event, its leaves and the inclusion proofs."""

    service: str
    event: Event
    leaves: list[tuple[str, int, str]]
    proofs: dict[str, tuple[int, list[bytes]]]


def read_checkpoint(path: Path) -> Checkpoint | None:
    if not path.exists():
        return None
    try:
        doc = _parse_json(path.read_bytes().decode("utf-8"))
        event = to_event(doc["checkpoint"], "checkpoint.json 的 checkpoint")
        payload = event.body["payload"]
        if event.body["event_type"] != CHECKPOINT_TYPE or not isinstance(payload, dict):
            raise ValueError(f"the checkpoint is not an {CHECKPOINT_TYPE} event")
        leaves = [(str(s), _int(v), str(h)) for s, v, h in doc["leaves"]]
        proofs = {
            str(sid): (_int(p["index"]), [bytes.fromhex(h) for h in p["path"]])
            for sid, p in doc.get("proofs", {}).items()
        }
        return Checkpoint(str(doc["service"]), event, leaves, proofs)
    except Unreadable:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Unreadable(f"checkpoint.json 格式不对 (malformed): {exc!r}") from None


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{value!r} is not an integer")
    return value


# --- checks -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, named once: where (stream, first version) and what (`kind`)."""

    stream_id: str
    version: int
    kind: str
    text: str
    single_link: bool = False  # a `replaced` finding from one broken link (ambiguous side)


def show(stream_id: str) -> str:
    """A stream id on one line: quoted and escaped when it holds unprintable characters."""
    return stream_id if stream_id.isprintable() and stream_id.strip() else repr(stream_id)


def span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def edited(stream_id: str, version: int, why: str) -> Finding:
    return Finding(
        stream_id,
        version,
        "edited",
        f"流 {show(stream_id)}：版本 {version} 内容被篡改 (edited)：{why}",
    )


def check_stream(stream_id: str, events: list[Event]) -> list[Finding]:
    """One stream's chain in version order: edits, gaps (one finding each, no cascade: the
    event after a gap is not linked to a wrong predecessor) and replaced events."""
    found: list[Finding] = []
    broken: list[int] = []  # versions whose link to the previous event fails, both intact
    expected_version, expected_prev, seen = 1, GENESIS_HASH, set()
    for ev in events:
        if ev.version in seen:
            found.append(
                Finding(
                    stream_id,
                    ev.version,
                    "duplicate",
                    f"流 {show(stream_id)}：版本 {ev.version} 重复出现 (duplicate)",
                )
            )
            continue
        seen.add(ev.version)
        if ev.version > expected_version:
            gap = span(expected_version, ev.version - 1)
            found.append(
                Finding(
                    stream_id,
                    expected_version,
                    "missing",
                    f"流 {show(stream_id)}：版本 {gap} 缺失 (missing)",
                )
            )
        elif ev.intact and ev.prev_hash != expected_prev:
            broken.append(ev.version)
        if not ev.intact:
            found.append(
                edited(stream_id, ev.version, "内容与其哈希不符 (content does not match its hash)")
            )
        expected_version, expected_prev = ev.version + 1, ev.hash
    found += _replaced(stream_id, broken)
    return found


def _replaced(stream_id: str, broken: list[int]) -> list[Finding]:
    """Broken links in runs: links v and v+1 both broken means event v was replaced whole; a
    lone broken link at v means v or its predecessor was (the chain cannot tell which)."""
    runs: list[list[int]] = []
    for version in broken:
        if runs and runs[-1][-1] == version - 1:
            runs[-1].append(version)
        else:
            runs.append([version])
    found = []
    for run in runs:
        first = run[0]
        if len(run) == 1:
            before = f"版本 {first - 1}" if first > 1 else "创世哈希 (genesis)"
            why = f"与{before}的链接不符，两者各自完整 (link to the previous event broken)"
            found.append(
                Finding(
                    stream_id,
                    first,
                    "replaced",
                    f"流 {show(stream_id)}：版本 {first} 被替换 (replaced)：{why}",
                    True,
                )
            )
        else:
            versions = span(first, run[-2])
            why = "与前后版本的链接都不符 (links to both neighbours broken)"
            found.append(
                Finding(
                    stream_id,
                    first,
                    "replaced",
                    f"流 {show(stream_id)}：版本 {versions} 被替换 (replaced)：{why}",
                )
            )
    return found


def check_checkpoint(cp: Checkpoint, streams: dict[str, dict[int, Event]]) -> list[Finding]:
    """The checkpoint event's own hash, the root from the leaves, every proof, and every
    committed stream head still among the events."""
    ev, payload = cp.event, cp.event.body["payload"]
    own = show(ev.stream_id)
    if not ev.intact:
        text = f"检查点 {own} 版本 {ev.version} 内容被篡改 (checkpoint edited)：内容与其哈希不符"
        return [Finding(ev.stream_id, ev.version, "checkpoint", text)]
    found = []
    stored = streams.get(ev.stream_id, {})
    if ev.version not in stored and (not stored or max(stored) < ev.version):
        text = f"检查点 {own} 版本 {ev.version} 不在事件中，被删除 (checkpoint event deleted)"
        found.append(Finding(ev.stream_id, ev.version, "checkpoint", text))
    elif ev.version in stored and stored[ev.version].hash != ev.hash and stored[ev.version].intact:
        text = f"检查点 {own} 版本 {ev.version} 与事件中的不同，被替换 (checkpoint replaced)"
        found.append(Finding(ev.stream_id, ev.version, "checkpoint", text))
    root, size = payload.get("root"), payload.get("tree_size")
    leaf_ids = [leaf[0] for leaf in cp.leaves]
    problem = ""
    if payload.get("service") != cp.service:
        problem = f"服务名与检查点事件不符 (service {cp.service!r} is not the event's)"
    elif size != len(cp.leaves):
        problem = f"叶子数 {len(cp.leaves)} 与 tree_size {size} 不符 (tree size mismatch)"
    elif leaf_ids != sorted(set(leaf_ids)):
        problem = "叶子未按流标识排序或有重复 (leaves out of order or repeated)"
    elif (
        not isinstance(root, str)
        or merkle_root([leaf_hash(*leaf) for leaf in cp.leaves]).hex() != root
    ):
        problem = "叶子算出的根与检查点的根不符 (leaves do not give the checkpoint's root)"
    if problem:  # the leaves are not the ones committed to: nothing more can be proved
        return [*found, Finding(ev.stream_id, ev.version, "checkpoint", f"检查点 {own}：{problem}")]
    found += _check_proofs(cp, bytes.fromhex(root))
    found += _check_heads(cp, streams)
    return found


def _check_proofs(cp: Checkpoint, root: bytes) -> list[Finding]:
    found = []
    position = {leaf[0]: index for index, leaf in enumerate(cp.leaves)}
    for sid in sorted(set(position) | set(cp.proofs)):
        proof = cp.proofs.get(sid)
        if proof is None:
            text = f"流 {show(sid)}：缺少包含证明 (inclusion proof missing)"
        elif position.get(sid) != proof[0] or not verify_inclusion(
            leaf_hash(*cp.leaves[proof[0]]), proof[0], len(cp.leaves), proof[1], root
        ):
            text = f"流 {show(sid)}：包含证明不成立 (inclusion proof fails)"
        else:
            continue
        found.append(Finding(sid, 0, "proof", text))
    return found


def _check_heads(cp: Checkpoint, streams: dict[str, dict[int, Event]]) -> list[Finding]:
    found = []
    for sid, version, head in cp.leaves:
        stored = streams.get(sid)
        if not stored:
            text = f"流 {show(sid)} 整个被删除 (stream deleted)：检查点记录到版本 {version}"
            found.append(Finding(sid, 1, "stream-deleted", text))
        elif max(stored) < version:
            gone = span(max(stored) + 1, version)
            text = f"流 {show(sid)}：版本 {gone} 在检查点之后被删除 (deleted after checkpoint)"
            found.append(Finding(sid, max(stored) + 1, "deleted-after-checkpoint", text))
        elif version in stored and stored[version].hash != head:
            why = "哈希与检查点记录的不同 (hash differs from the checkpoint's)"
            found.append(edited(sid, version, why))
        # a version absent inside the stream is the chain's `missing` finding already
    return found


def merge(chain: list[Finding], checkpoint: list[Finding]) -> list[Finding]:
    """Name each problem once: an edit seen by both is one finding, and an event the
    checkpoint shows edited explains the lone broken link after it."""
    edits = {(f.stream_id, f.version) for f in checkpoint if f.kind == "edited"}
    found: list[Finding] = []
    keys: set[tuple[str, int, str]] = set()
    for f in [*chain, *checkpoint]:
        if f.single_link and (f.stream_id, f.version - 1) in edits:
            continue
        if (f.stream_id, f.version, f.kind) not in keys:
            keys.add((f.stream_id, f.version, f.kind))
            found.append(f)
    return found


def verify(bundle: Path) -> tuple[list[str], list[Finding]]:
    """The report's heading lines and the findings of a bundle directory."""
    if not bundle.is_dir():
        raise Unreadable(f"{bundle} 不是目录 (not a directory)")
    events = read_events(bundle / "events.jsonl")
    by_stream: dict[str, list[Event]] = {}
    for ev in events:
        by_stream.setdefault(ev.stream_id, []).append(ev)
    chain: list[Finding] = []
    streams: dict[str, dict[int, Event]] = {}
    for sid in sorted(by_stream):
        ordered = sorted(by_stream[sid], key=lambda e: e.version)
        chain += check_stream(sid, ordered)
        streams[sid] = {}
        for ev in ordered:
            streams[sid].setdefault(ev.version, ev)
    cp = read_checkpoint(bundle / "checkpoint.json")
    heading = [
        "连心事件核查 (Lianxin bundle verification)",
        f"导出包 (bundle)：{bundle}",
        f"事件 (events)：{len(events)}，流 (streams)：{len(streams)}",
    ]
    if cp is None:
        heading.append("检查点 (checkpoint)：无 (none: chains only, a deleted tail cannot be seen)")
        return heading, chain
    heading.append(
        f"检查点 (checkpoint)：服务 {cp.service}，{show(cp.event.stream_id)}"
        f" 版本 {cp.event.version}，叶子 {len(cp.leaves)} 个 (leaves)"
    )
    return heading, merge(chain, check_checkpoint(cp, streams))


def main(argv: list[str]) -> int:
    for stream in (sys.stdout, sys.stderr):  # a console that cannot show Chinese: no crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print("用法 (usage)：python3 lianxin_verify.py BUNDLE_DIR", file=sys.stderr)
        return 2
    try:
        heading, findings = verify(Path(argv[0]))
    except Unreadable as exc:
        print(f"无法核查 (cannot verify)：{exc}", file=sys.stderr)
        return 2
    except RecursionError:
        print("无法核查 (cannot verify)：JSON 嵌套过深 (nested too deeply)", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for an auditor: say what and stop
        print(f"无法核查 (cannot verify)：{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    print("\n".join(heading))
    for finding in sorted(findings, key=lambda f: (f.stream_id, f.version, f.kind)):
        print(f"问题 (finding)：{finding.text}")
    if findings:
        plural = "s" if len(findings) > 1 else ""
        print(f"结论 (result)：发现 {len(findings)} 个问题 ({len(findings)} finding{plural})")
        return 1
    print("结论 (result)：完好，未发现问题 (clean)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
