"""The append-only, hash-chained audit log of every governance decision and every access served (art. 36-37).

Each entry carries a sequence number and the hash of the previous entry inside its own hashed payload:
`hash = sha256(canonical JSON of the entry, prev_hash included)`. `verify` walks the log in stored
order and names the first broken place and its kind: an entry whose content no longer matches its hash
was edited; a missing sequence number was deleted; an entry the chain links over was inserted; an entry
found before its predecessor was reordered.

A chain without a secret proves order and integrity against edits that do not rewrite everything after
them. Whoever can rewrite the whole table can recompute every hash, and removing the newest entries
leaves a valid shorter chain: `head()` gives the newest (seq, hash), to be kept outside the lake (the
authority's records, each access database's build record), and `verify(..., head=...)` checks it.

The audit never holds raw personal values: ids and counts only, and `append` refuses any text that looks
like a resident ID, a mobile number or a bank card.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from governance.model import GovernanceError

GENESIS = "0" * 64
EDITED, DELETED, INSERTED, REORDERED, TRUNCATED = "edited", "deleted", "inserted", "reordered", "truncated"
_PERSONAL = (
    ("a resident ID number", re.compile(r"(?<![0-9A-Za-z])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")),
    ("a mobile number", re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")),
    ("a bank card number", re.compile(r"(?<![0-9A-Za-z])[0-9]{16,19}(?![0-9A-Za-z])")),
)
_COLUMNS = "seq, logged_at, actor, action, consumer_id, dataset_id, ref, purpose, row_count, details, prev_hash, hash"


@dataclass(frozen=True)
class Entry:
    seq: int
    logged_at: datetime
    actor: str
    action: str
    consumer_id: str | None
    dataset_id: str | None
    ref: str | None
    purpose: str | None
    row_count: int | None
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    position: int | None = None  # 1-based place in stored order of the first problem
    seq: int | None = None
    kind: str | None = None
    message: str = ""


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _payload(entry: Entry) -> dict[str, Any]:
    data = asdict(entry)
    data.pop("hash")
    data["logged_at"] = entry.logged_at.astimezone(UTC).isoformat(timespec="microseconds")
    return data


def digest(entry: Entry) -> str:
    """The hash an entry must carry: sha256 over its canonical payload, previous hash included."""
    return hashlib.sha256(canonical(_payload(entry)).encode("utf-8")).hexdigest()


def personal_value_in(text: str) -> str | None:
    """What kind of personal identifier `text` seems to hold, or None."""
    return next((name for name, pattern in _PERSONAL if pattern.search(text)), None)


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _refuse_personal(fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        found = next((kind for s in _strings(value) if (kind := personal_value_in(s))), None)
        if found:
            raise GovernanceError(f"the {name} seems to hold {found}; the audit log never holds personal values")


def _last(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    row = con.execute("select seq, hash from meta.audit_log order by rowid desc limit 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(
    con: duckdb.DuckDBPyConnection,
    now: datetime,
    actor: str,
    action: str,
    *,
    consumer_id: str | None = None,
    dataset_id: str | None = None,
    ref: str | None = None,
    purpose: str | None = None,
    row_count: int | None = None,
    details: dict[str, Any] | None = None,
) -> Entry:
    """Append one entry after the newest one; the caller's transaction makes it atomic with the decision."""
    text = {
        "actor": actor,
        "action": action,
        "consumer": consumer_id,
        "dataset": dataset_id,
        "reference": ref,
        "purpose": purpose,
        "details": details or {},
    }
    _refuse_personal(text)
    seq, prev = _last(con)
    draft = Entry(
        seq + 1,
        now,
        actor,
        action,
        consumer_id,
        dataset_id,
        ref,
        purpose,
        row_count,
        canonical(details or {}),
        prev,
        "",
    )
    entry = Entry(**{**asdict(draft), "hash": digest(draft)})
    con.execute(f"insert into meta.audit_log ({_COLUMNS}) values ({', '.join('?' * 12)})", list(asdict(entry).values()))
    return entry


def entries(con: duckdb.DuckDBPyConnection) -> list[Entry]:
    """Every entry in stored (append) order."""
    rows = con.execute(f"select {_COLUMNS} from meta.audit_log order by rowid").fetchall()
    return [Entry(*r) for r in rows]


def head(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    """(seq, hash) of the newest entry: record it elsewhere to detect truncation or a rewritten chain."""
    return _last(con)


def verify(log: list[Entry], head: tuple[int, str] | None = None) -> Verification:
    """Check every hash and link; on the first break, say where and what kind of tampering it was."""
    prev_hash, expected = GENESIS, 1
    for pos, entry in enumerate(log):
        if digest(entry) != entry.hash:
            return _broken(pos, entry.seq, EDITED, "its content no longer matches its hash", len(log))
        if entry.prev_hash == prev_hash and entry.seq == expected:
            prev_hash, expected = entry.hash, expected + 1
            continue
        return _diagnose(log, pos, prev_hash, expected)
    if head is not None and not any((e.seq, e.hash) == tuple(head) for e in log):
        return _broken(
            len(log),
            head[0],
            TRUNCATED,
            "the recorded head is not in the log: newest entries removed or the chain rewritten",
            len(log),
        )
    return Verification(True, len(log), message=f"{len(log)} entries, chain intact")


def _diagnose(log: list[Entry], pos: int, prev_hash: str, expected: int) -> Verification:
    entry = log[pos]
    where = {e.hash: i for i, e in enumerate(log)}.get(entry.prev_hash)
    following = log[pos + 1] if pos + 1 < len(log) else None
    if where is not None and where > pos:
        return _broken(pos, entry.seq, REORDERED, f"it comes before entry {log[where].seq}, which it follows", len(log))
    if following is not None and following.prev_hash == prev_hash:
        return _broken(pos, entry.seq, INSERTED, "the chain links over it", len(log))
    if where is not None and where < pos - 1:
        return _broken(pos - 1, log[pos - 1].seq, INSERTED, "the chain links over it", len(log))
    if where is None and entry.seq > expected:
        missing = ", ".join(str(s) for s in range(expected, entry.seq))
        return _broken(pos, entry.seq, DELETED, f"entry {missing} is missing before it", len(log))
    if entry.seq < expected:
        return _broken(
            pos, entry.seq, INSERTED, f"its sequence number repeats or goes back (expected {expected})", len(log)
        )
    if pos == 0:
        return _broken(pos, entry.seq, EDITED, "the first entry does not start the chain", len(log))
    return _broken(
        pos - 1,
        log[pos - 1].seq,
        EDITED,
        "its hash was recomputed; the next entry still links to the old one",
        len(log),
    )


def _broken(pos: int, seq: int | None, kind: str, why: str, count: int) -> Verification:
    message = f"audit log broken at position {pos + 1} (entry {seq}): {kind}, {why}"
    return Verification(False, count, pos + 1, seq, kind, message)
