"""The standalone verifier (`contracts/verifier/lianxin_verify.py`) as an outside auditor runs
it: `python -I` from an empty directory, on bundles built from real store envelopes. A clean
bundle exits 0; each kind of tampering done in the store is named exactly once (one line);
an unreadable bundle exits 2 with a message, never a traceback."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import importlib.util
import json
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
from sqlalchemy import text

from shared.codec import canonical_json
from shared.envelope import GENESIS_HASH, Actor
from shared.eventstore import ANY_VERSION, CommandContext, EventStore
from shared.kernel import Event
from shared.testing import insert_envelope

VERIFIER = Path(__file__).resolve().parents[2] / "contracts" / "verifier" / "lianxin_verify.py"
CHECKPOINT_STREAM = "checkpoint-relief"  # `checkpoint-<service>` (shared.integrity.events)
FINDING = "问题 (finding)："
CTX = CommandContext(
    actor=Actor("clerk-1", "village_clerk"), town="430321100", correlation_id=uuid.uuid4()
)
STREAMS = {
    "household-a": 4,
    "household-b": 3,
    "household-c": 3,
    "household-d": 2,
    "visit-e": 2,
    "long-f": 7,
    "户-甲\x1d": 2,
}


# Stand-ins, deliberately not registered in EVENT_CLASSES: the store only needs their names.
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Noted(Event):
    """Something was noted (a stand-in for any service's event)."""

    event_type: ClassVar[str] = "verifiertest.Noted"
    n: int
    note: str = "走访记录\u2028第二行"


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CheckpointRecorded(Event):
    """A checkpoint as `contracts/hash-spec.md` §6 specifies it."""

    event_type: ClassVar[str] = "integrity.CheckpointRecorded"
    root: str
    tree_size: int
    service: str


# --- a small RFC 6962 of the test's own ------------------------------------------------------

Leaf = tuple[str, int, str]


def leaf_hash(leaf: Leaf) -> bytes:
    data = json.dumps(list(leaf), ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(b"\x00" + data).digest()


def mth(hashes: list[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)  # the largest power of two below n
    return hashlib.sha256(b"\x01" + mth(hashes[:k]) + mth(hashes[k:])).digest()


def audit_path(m: int, hashes: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1, bottom-up."""
    if len(hashes) <= 1:
        return []
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    if m < k:
        return [*audit_path(m, hashes[:k]), mth(hashes[k:])]
    return [*audit_path(m - k, hashes[k:]), mth(hashes[:k])]


# --- building bundles from a real store ------------------------------------------------------


async def filled(store: EventStore) -> None:
    for stream, n in STREAMS.items():
        await store.append(stream, 0, [Noted(n=i) for i in range(1, n + 1)], CTX)


async def checkpoint(store: EventStore) -> dict[str, Any]:
    """Record a checkpoint as §6 specifies; `checkpoint.json`'s body."""
    async with store.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash"
                f' FROM "{store.schema}".events WHERE stream_id <> :own'
                " ORDER BY stream_id, stream_version DESC"
            ),
            {"own": CHECKPOINT_STREAM},
        )
        leaves = sorted((str(s), int(v), str(h)) for s, v, h in rows)
    hashes = [leaf_hash(leaf) for leaf in leaves]
    event = CheckpointRecorded(root=mth(hashes).hex(), tree_size=len(leaves), service="relief")
    [env] = await store.append(CHECKPOINT_STREAM, ANY_VERSION, [event], CTX)
    return {
        "service": "relief",
        "checkpoint": json.loads(env.to_json()),
        "leaves": [list(leaf) for leaf in leaves],
        "proofs": {
            leaf[0]: {"index": i, "path": [h.hex() for h in audit_path(i, hashes)]}
            for i, leaf in enumerate(leaves)
        },
    }


async def bundle(store: EventStore, out: Path, cp: dict[str, Any] | None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "events.jsonl").open("wb") as lines:
        async for stream in store.streams():
            for env in stream:
                lines.write(env.to_json() + b"\n")
    if cp is not None:
        (out / "checkpoint.json").write_text(json.dumps(cp, ensure_ascii=False, indent=1))
    return out


def run(directory: Path, cwd: Path, verifier: Path = VERIFIER) -> subprocess.CompletedProcess[str]:
    """The verifier in isolated mode (`-I`: no user site, no PYTHON* variables, not even the
    script's directory on sys.path) from an empty working directory: it can import nothing
    of this repository."""
    cwd.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-I", str(verifier), str(directory)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def findings(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.removeprefix(FINDING) for line in done.stdout.splitlines() if FINDING in line]


def assert_named_once(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    lines = findings(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(lines) == len(expected), done.stdout
    for part in expected:
        assert sum(line.startswith(part) for line in lines) == 1, (part, done.stdout)
    assert f"发现 {len(expected)} 个问题" in done.stdout


async def rewrite(store: EventStore, stream: str, version: int, **changes: Any) -> None:
    """Replace an event whole, its hash recomputed (a forger who knows the rules)."""
    env = next(e for e in await store.read_stream(stream) if e.stream_version == version)
    await delete(store, stream, version)
    prev = changes.pop("prev_hash", env.prev_hash)
    await insert_envelope(store, dataclasses.replace(env, **changes).sealed(prev))


async def delete(store: EventStore, stream: str, version: int | None = None) -> None:
    only = "" if version is None else " AND stream_version = :v"
    async with store.engine.begin() as conn:
        await conn.execute(
            text(f'DELETE FROM "{store.schema}".events WHERE stream_id = :s{only}'),
            {"s": stream, "v": version},
        )


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.integration
async def test_a_clean_bundle_passes_and_tampered_checkpoint_files_are_named(
    store: EventStore, tmp_path: Path
) -> None:
    await filled(store)
    cp = await checkpoint(store)
    await store.append("household-a", 4, [Noted(n=5)], CTX)  # life goes on after it
    await store.append("new-g", 0, [Noted(n=1)], CTX)
    out = await bundle(store, tmp_path / "clean", cp)

    done = run(out, tmp_path / "cwd")
    assert done.returncode == 0, done.stdout + done.stderr
    assert findings(done) == [] and "完好" in done.stdout
    assert "事件 (events)：26" in done.stdout and "叶子 7 个" in done.stdout

    # a wrong leaf: the leaves no longer give the root, and nothing more is claimed
    wrong = json.loads(json.dumps(cp))
    wrong["leaves"][0][2] = "f" * 64
    (out / "checkpoint.json").write_text(json.dumps(wrong, ensure_ascii=False))
    assert_named_once(run(out, tmp_path / "cwd"), f"检查点 {CHECKPOINT_STREAM}：叶子算出的根")

    # a bad audit path: that stream's proof fails, only that one
    bad = json.loads(json.dumps(cp))
    bad["proofs"]["household-b"]["path"][0] = "0" * 64
    (out / "checkpoint.json").write_text(json.dumps(bad, ensure_ascii=False))
    assert_named_once(run(out, tmp_path / "cwd"), "流 household-b：包含证明不成立")

    # the checkpoint event's root changed: its own hash fails, once
    forged = json.loads(json.dumps(cp))
    forged["checkpoint"]["payload"]["root"] = "e" * 64
    (out / "checkpoint.json").write_text(json.dumps(forged, ensure_ascii=False))
    assert_named_once(run(out, tmp_path / "cwd"), f"检查点 {CHECKPOINT_STREAM} 版本 1 内容被篡改")

    (out / "checkpoint.json").unlink()
    assert run(out, tmp_path / "cwd").returncode == 0


@pytest.mark.integration
async def test_an_edited_payload_is_named_once(store: EventStore, tmp_path: Path) -> None:
    await filled(store)
    cp = await checkpoint(store)
    async with store.engine.begin() as conn:
        await conn.execute(
            text(
                f'UPDATE "{store.schema}".events SET payload = jsonb_set(payload, '
                "'{note}', '\"改过\"') WHERE stream_id = 'household-a' AND stream_version = 2"
            )
        )
    done = run(await bundle(store, tmp_path / "b", cp), tmp_path / "cwd")
    assert_named_once(done, "流 household-a：版本 2 内容被篡改 (edited)")


@pytest.mark.integration
async def test_deleted_middle_events_are_one_gap_each(store: EventStore, tmp_path: Path) -> None:
    await filled(store)
    cp = await checkpoint(store)
    await delete(store, "household-b", 2)
    for version in (3, 4, 5):
        await delete(store, "long-f", version)
    await delete(store, "户-甲\x1d", 1)
    done = run(await bundle(store, tmp_path / "b", cp), tmp_path / "cwd")
    assert_named_once(
        done,
        "流 household-b：版本 2 缺失 (missing)",
        "流 long-f：版本 3–5 缺失 (missing)",
        "流 '户-甲\\x1d'：版本 1 缺失 (missing)",
    )


@pytest.mark.integration
async def test_events_inserted_with_a_wrong_link_are_replaced(
    store: EventStore, tmp_path: Path
) -> None:
    await filled(store)
    cp = await checkpoint(store)
    # a forged middle event, self-consistent, chained after the genesis hash
    await rewrite(store, "household-c", 2, payload={"n": 2, "note": "伪造"}, prev_hash=GENESIS_HASH)
    # a forged event added at a stream's end, linked to nothing in it
    [last] = (await store.read_stream("visit-e"))[-1:]
    extra = dataclasses.replace(last, event_id=uuid.uuid4(), stream_version=3)
    await insert_envelope(store, extra.sealed("1" * 64))
    done = run(await bundle(store, tmp_path / "b", cp), tmp_path / "cwd")
    assert_named_once(
        done,
        "流 household-c：版本 2 被替换 (replaced)",
        "流 visit-e：版本 3 被替换 (replaced)",
    )


@pytest.mark.integration
async def test_what_was_deleted_after_a_checkpoint_is_named(
    store: EventStore, tmp_path: Path
) -> None:
    await filled(store)
    cp = await checkpoint(store)
    await delete(store, "household-d", 2)  # the tail: the chain alone cannot see it
    await delete(store, "long-f", 6)
    await delete(store, "long-f", 7)
    await delete(store, "visit-e")  # a whole stream
    out = await bundle(store, tmp_path / "b", cp)
    assert_named_once(
        run(out, tmp_path / "cwd"),
        "流 household-d：版本 2 在检查点之后被删除 (deleted after checkpoint)",
        "流 long-f：版本 6–7 在检查点之后被删除 (deleted after checkpoint)",
        "流 visit-e 整个被删除 (stream deleted)",
    )
    (out / "checkpoint.json").unlink()
    assert run(out, tmp_path / "cwd").returncode == 0  # why checkpoints exist


@pytest.mark.integration
async def test_a_head_rewritten_after_a_checkpoint_is_one_edit(
    store: EventStore, tmp_path: Path
) -> None:
    await filled(store)
    cp = await checkpoint(store)
    # the head at checkpoint time, replaced with a recomputed hash: the chain is consistent
    await rewrite(store, "household-a", 4, payload={"n": 4, "note": "改过"})
    # a head rewritten after the stream went on: its successor's link breaks too, one finding
    await store.append("household-b", 3, [Noted(n=4)], CTX)
    await rewrite(store, "household-b", 3, payload={"n": 3, "note": "改过"})
    done = run(await bundle(store, tmp_path / "b", cp), tmp_path / "cwd")
    assert_named_once(
        done,
        "流 household-a：版本 4 内容被篡改 (edited)",
        "流 household-b：版本 3 内容被篡改 (edited)",
    )


def test_an_unreadable_bundle_is_a_message_and_exit_2(tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"
    assert run(tmp_path / "absent", cwd).returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run(empty, cwd)
    assert done.returncode == 2 and "events.jsonl" in done.stderr
    (empty / "events.jsonl").write_text('{"not": "an event"}\n')
    done = run(empty, cwd)
    assert done.returncode == 2 and "第 1 行" in done.stderr
    (empty / "events.jsonl").write_text("")
    (empty / "checkpoint.json").write_text("[1, 2")
    done = run(empty, cwd)
    assert done.returncode == 2 and "checkpoint.json" in done.stderr


def verifier_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lianxin_verify", VERIFIER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_verifier_imports_only_the_standard_library() -> None:
    tree = ast.parse(VERIFIER.read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert {name.partition(".")[0] for name in imported} <= sys.stdlib_module_names | {"__future__"}


ADVERSARIAL: list[Any] = [
    {"b": 1, "a": [1, {"d": None, "c": True}], "é": '\x1d\x00\x7f/\\"\b\f\n\r\t', "Z": False},
    {"😀": "𠀀", "\uffff": "\u2028\u2029\ufeff", "": 2**70, "-": -(10**30)},
    ["汉字", "", 0, -1, [[[]]], {}],
]


def test_the_verifiers_canonical_json_is_the_codecs() -> None:
    verifier = verifier_module()
    for value in ADVERSARIAL:
        assert verifier.canonical(value).encode() == canonical_json(value)


def test_the_merkle_implementations_agree() -> None:
    """The test's RFC 6962, the verifier's and, where it exists, `shared.integrity.merkle`."""
    verifier = verifier_module()
    try:
        shared_merkle: ModuleType | None = importlib.import_module("shared.integrity.merkle")
    except ImportError:
        shared_merkle = None
    for n in range(40):
        leaves = [
            (f"s-{i:03d}-流", i + 1, hashlib.sha256(bytes([i])).hexdigest()) for i in range(n)
        ]
        hashes = [leaf_hash(leaf) for leaf in leaves]
        root = mth(hashes)
        assert verifier.merkle_root([verifier.leaf_hash(*leaf) for leaf in leaves]) == root
        if shared_merkle is not None:
            assert shared_merkle.root(leaves) == root.hex()
            assert shared_merkle.all_proofs(hashes) == [
                [h.hex() for h in audit_path(i, hashes)] for i in range(n)
            ]
        for i, leaf in enumerate(leaves):
            path = audit_path(i, hashes)
            assert verifier.verify_inclusion(hashes[i], i, n, path, root)
            assert not verifier.verify_inclusion(hashes[i], (i + 1) % n, n, path, root) or n == 1
            if shared_merkle is not None:
                assert shared_merkle.inclusion_proof(hashes, i) == [h.hex() for h in path]
                assert shared_merkle.verify_inclusion(
                    leaf, i, n, [h.hex() for h in path], root.hex()
                )


@pytest.mark.integration
async def test_the_exporters_bundle_is_read_clean(store: EventStore, tmp_path: Path) -> None:
    """`shared.integrity` (built alongside) records a checkpoint and writes a bundle; the
    standalone verifier reads it clean and sees its tail deletion."""
    exporter = pytest.importorskip("shared.integrity.bundle")
    recorder = pytest.importorskip("shared.integrity.checkpoint")
    await recorder.migrate_checkpoints(store)
    await filled(store)
    await recorder.record(store, "relief", CTX.actor, town=CTX.town)
    await exporter.write_bundle(store, "relief", tmp_path / "export")
    done = run(tmp_path / "export", tmp_path / "cwd")
    assert done.returncode == 0 and "叶子 7 个" in done.stdout, done.stdout + done.stderr
    await delete(store, "household-d", 2)
    await exporter.write_bundle(store, "relief", tmp_path / "after")
    assert_named_once(
        run(tmp_path / "after", tmp_path / "cwd"),
        "流 household-d：版本 2 在检查点之后被删除 (deleted after checkpoint)",
    )


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Registered(Event):
    """A stand-in with personal fields (declared below), as a household registration has."""

    event_type: ClassVar[str] = "verifiertest.Registered"
    name: str
    id_number: str


async def test_an_exported_bundle_verifies_with_its_own_copy_and_names_edits_deletes_inserts(
    engine: Any, tmp_path: Path
) -> None:
    """The bundle carries the specification and the verifier; run from the bundle (no
    codebase), it passes on the export, and an event edited, one deleted and one inserted in
    `events.jsonl` itself are each named. Personal fields are in it encrypted only."""
    from shared.integrity.bundle import write_bundle
    from shared.integrity.checkpoint import migrate_checkpoints, record
    from shared.personal.declared import Person, personal
    from shared.personal.keys import KeyTable
    from shared.testing import unique

    personal("verifiertest.Registered", Person("id_number", ("name", "id_number")))
    schema = unique("bundle")
    store = EventStore(engine, schema=schema, topic="t", keys=KeyTable(schema, "relief"))
    await store.migrate()
    await migrate_checkpoints(store)
    await filled(store)
    await store.append(
        "household-z", 0, [Registered(name="甄鬯鑫", id_number="430321190001010012")], CTX
    )
    await record(store, "relief", CTX.actor, town=CTX.town)
    out = tmp_path / "bundle"
    await write_bundle(store, "relief", out)
    assert (out / "hash-spec.md").exists()
    own = out / "lianxin_verify.py"
    raw = (out / "events.jsonl").read_bytes()
    assert "甄鬯鑫".encode() not in raw and b"430321190001010012" not in raw

    def verify(directory: Path) -> subprocess.CompletedProcess[str]:
        return run(directory, tmp_path / "cwd", verifier=own)

    clean = verify(out)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    def variant(name: str, change: Any) -> Path:
        target = tmp_path / name
        target.mkdir()
        for part in out.iterdir():
            (target / part.name).write_bytes(part.read_bytes())
        lines = (target / "events.jsonl").read_text(encoding="utf-8").rstrip("\n").split("\n")
        (target / "events.jsonl").write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
        return target

    def at(lines: list[str], stream: str, version: int) -> int:
        return next(
            i
            for i, line in enumerate(lines)
            if json.loads(line)["stream_id"] == stream
            and json.loads(line)["stream_version"] == version
        )

    def edited(lines: list[str]) -> list[str]:
        i = at(lines, "household-a", 2)
        body = json.loads(lines[i])
        body["payload"]["n"] = 99
        return [*lines[:i], json.dumps(body, ensure_ascii=False), *lines[i + 1 :]]

    def deleted(lines: list[str]) -> list[str]:
        i = at(lines, "long-f", 3)
        return [*lines[:i], *lines[i + 1 :]]

    def inserted(lines: list[str]) -> list[str]:
        i = at(lines, "household-b", 2)
        body = json.loads(lines[i])
        body["event_id"] = str(uuid.uuid4())
        return [*lines[: i + 1], json.dumps(body, ensure_ascii=False), *lines[i + 1 :]]

    for name, change, where in (
        ("edited", edited, "household-a"),
        ("deleted", deleted, "long-f"),
        ("inserted", inserted, "household-b"),
    ):
        done = verify(variant(name, change))
        assert done.returncode == 1, (name, done.stdout + done.stderr)
        named = [line for line in findings(done) if where in line]
        assert named, (name, done.stdout)
        assert all(where in line for line in findings(done)), (name, done.stdout)
