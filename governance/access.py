"""Per-consumer access databases `PDL_HOME/access/<consumer>.duckdb`: only what the rules allow, nothing else.

DuckDB has no users or grants, so each consumer gets its own database file holding only the views it
may read (`share.<dataset>`, `open.<dataset>`), each limited to the granted columns and reading only
desensitized safe-layer Parquet. Consent-filtered data is materialized as a table of the authorized
subjects' rows, without `_subject`, so no subject key is visible. `pdl.build` and `pdl.views` inside the
file record when it was built, what it reflects and when it goes stale (the first expiry in it).

The file is rebuilt (into a temporary file, then renamed) whenever the consumer's grants, agreements or
authorizations change, and removed when the consumer is suspended or terminated. Reads and exports
served by the platform (`read`, `export`) go through the same file and are audited with row counts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from governance import audit, rules, store
from governance.model import Consumer, ConsumerState, GovernanceError, Holdings, Request, Review, Target
from governance.rules import OPEN_FILE, SHARE_FILE, Access, SafeFile
from governance.session import Gov, transaction
from warehouse.db import quote, sql_string
from warehouse.lake import Lake

CONSUMER_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_CONFIG = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
_INFO_TABLES = """
create schema share;
create schema open;
create schema pdl;
create table pdl.build (consumer_id varchar, consumer_name varchar, built_at timestamptz, stale_after timestamptz,
    materialized boolean, audit_seq bigint, audit_hash varchar, note varchar);
create table pdl.views (view_name varchar, dataset_id varchar, target varchar, columns varchar[], row_scope varchar,
    row_count bigint, basis varchar[], purpose varchar, copy_allowed boolean, valid_until timestamptz);
"""
NOTE = (
    "Built by the Deqing public-data platform from desensitized data only; open read-only. "
    "Holds only what this consumer's grants, agreements and data-subject authorizations allow."
)


@dataclass(frozen=True)
class BuiltView:
    view: str
    rows: int
    columns: tuple[str, ...]
    row_scope: str
    basis: tuple[str, ...]


@dataclass(frozen=True)
class BuildResult:
    consumer_id: str
    path: Path | None  # None: removed (consumer not active)
    views: tuple[BuiltView, ...]
    stale_after: datetime | None = None


def path_for(lake: Lake, consumer_id: str) -> Path:
    if not CONSUMER_ID.fullmatch(consumer_id):
        raise GovernanceError(f"consumer id {consumer_id!r} must be lowercase letters, digits and '_'")
    return lake.access_dir / f"{consumer_id}.duckdb"


def safe_files(lake: Lake, dataset_ids: list[str]) -> dict[tuple[str, str], SafeFile]:
    """The desensitized safe-layer files that exist, with their columns (schema only, no data read)."""
    found = {}
    for ds_id in dataset_ids:
        for destination in {*SHARE_FILE.values(), OPEN_FILE}:
            path = lake.layer_dir("safe", ds_id) / f"{destination}.parquet"
            if path.is_file():
                found[(ds_id, destination)] = SafeFile(str(path), tuple(pq.read_schema(path).names))
    return found


def _consumer(gov: Gov, consumer_id: str) -> Consumer:
    found = store.get(gov.con, Consumer, consumer_id)
    if found is None:
        raise GovernanceError(f"no consumer {consumer_id}; register it with `pdl consumer add`")
    return found


def _stale_after(accesses: list[Access], holdings: Holdings, now: datetime) -> datetime | None:
    """The first moment something in the database expires: a grant, an agreement or an authorization."""
    times = [a.valid_until for a in accesses if a.valid_until is not None]
    consent = {a.dataset_id for a in accesses if a.subject_keys is not None}
    times += [a.expires_at for a in holdings.authorizations if a.dataset_id in consent and a.current(now)]
    times += [a.granted_at for a in holdings.authorizations if a.dataset_id in consent and a.granted_at > now]
    return min(times, default=None)


def _create(con: duckdb.DuckDBPyConnection, access: Access, materialize: bool) -> int:
    name = f"{access.target.value}.{quote(access.dataset_id)}"
    select = f"select {', '.join(quote(c) for c in access.columns)} from read_parquet({sql_string(access.path)})"
    if access.subject_keys is None:
        con.execute(f"create {'table' if materialize else 'view'} {name} as {select}")
    else:
        con.execute("create temp table authorized (subject_key varchar)")
        if access.subject_keys:
            con.executemany("insert into authorized values (?)", [[k] for k in sorted(access.subject_keys)])
        subject = quote(rules.SUBJECT_COLUMN)
        con.execute(f"create table {name} as {select} where {subject} in (select subject_key from authorized)")
        con.execute("drop table authorized")
    kind = "view" if access.subject_keys is None and not materialize else "table"
    con.execute(f"comment on {kind} {name} is {sql_string('purpose: ' + access.purpose)}")
    return con.execute(f"select count(*) from {name}").fetchone()[0]


def _write(
    path: Path, consumer: Consumer, accesses: list[Access], gov: Gov, stale_after: datetime | None, materialize: bool
) -> list[BuiltView]:
    seq, head = audit.head(gov.con)
    con = duckdb.connect(str(path), config=_CONFIG)
    try:
        con.execute(_INFO_TABLES)
        built = []
        for a in accesses:
            rows = _create(con, a, materialize)
            built.append(BuiltView(a.view, rows, a.columns, a.row_scope.value, a.basis))
            con.execute(
                "insert into pdl.views values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    a.view,
                    a.dataset_id,
                    a.target.value,
                    list(a.columns),
                    a.row_scope.value,
                    rows,
                    list(a.basis),
                    a.purpose,
                    a.copy,
                    a.valid_until,
                ],
            )
        con.execute(
            "insert into pdl.build values (?, ?, ?, ?, ?, ?, ?, ?)",
            [consumer.consumer_id, consumer.name, gov.now, stale_after, materialize, seq, head, NOTE],
        )
        con.execute("checkpoint")
        return built
    finally:
        con.close()


def _unlink(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def materialize_default() -> bool:
    """`PDL_ACCESS_MATERIALIZE=1` (read now): self-contained tables, for consumers who cannot read the lake."""
    return os.environ.get("PDL_ACCESS_MATERIALIZE", "") in ("1", "true", "yes")


def build(gov: Gov, consumer_id: str, materialize: bool | None = None) -> BuildResult:
    """Rebuild one consumer's access database now (or remove it when the consumer is not active)."""
    materialize = materialize_default() if materialize is None else materialize
    consumer = _consumer(gov, consumer_id)
    if consumer.state != ConsumerState.ACTIVE:
        return remove(gov, consumer_id, f"consumer is {consumer.state.value}")
    catalog = gov.catalog()
    holdings = store.holdings(gov.con, consumer_id)
    accesses = rules.readable(consumer, catalog.values(), holdings, safe_files(gov.lake, list(catalog)), gov.now)
    stale_after = _stale_after(accesses, holdings, gov.now)
    path = path_for(gov.lake, consumer_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{consumer_id}.building.duckdb")
    _unlink(partial)
    views = _write(partial, consumer, accesses, gov, stale_after, materialize)
    os.chmod(partial, 0o600)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    os.replace(partial, path)
    _record(gov, consumer_id, str(path), views, {"materialized": materialize})
    return BuildResult(consumer_id, path, tuple(views), stale_after)


def _record(gov: Gov, consumer_id: str, path: str | None, views: list[BuiltView], extra: dict) -> None:
    basis = sorted({b for v in views for b in v.basis})
    with transaction(gov):
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "access.build" if path else "access.remove",
            consumer_id=consumer_id,
            row_count=sum(v.rows for v in views),
            details={"views": {v.view: v.rows for v in views}, "basis": basis, **extra},
        )
        store.record_build(gov.con, consumer_id, gov.now, path, [v.view for v in views], basis)


def remove(gov: Gov, consumer_id: str, reason: str) -> BuildResult:
    """Delete a consumer's access database at once (suspension, termination)."""
    _unlink(path_for(gov.lake, consumer_id))
    _record(gov, consumer_id, None, [], {"reason": reason})
    return BuildResult(consumer_id, None, ())


def rebuild(gov: Gov, consumer_ids: list[str]) -> list[BuildResult]:
    return [build(gov, c) for c in dict.fromkeys(consumer_ids)]


def rebuild_all(gov: Gov, materialize: bool | None = None) -> list[BuildResult]:
    """Every consumer's access database, e.g. after a class change or on a schedule (expiry)."""
    return [build(gov, c.consumer_id, materialize) for c in store.select(gov.con, Consumer)]


def _info(path: Path) -> tuple[dict[str, tuple[str, bool]], datetime | None]:
    """The views of an access database (purpose, copy allowed) and when it goes stale."""
    with duckdb.connect(str(path), read_only=True, config=_CONFIG) as con:
        rows = con.execute("select view_name, purpose, copy_allowed from pdl.views").fetchall()
        stale = con.execute("select stale_after from pdl.build").fetchone()[0]
    return {r[0]: (r[1], r[2]) for r in rows}, stale


def explain(gov: Gov, consumer_id: str, target: Target, dataset_id: str) -> rules.Verdict:
    """The verdict for one view, its reason completed with what the latest request still waits for."""
    ds = gov.dataset(dataset_id)
    consumer = _consumer(gov, consumer_id)
    holdings = store.holdings(gov.con, consumer_id)
    decide_one = rules.share_verdict if target == Target.SHARE else rules.open_verdict
    verdict = decide_one(consumer, ds, holdings, safe_files(gov.lake, [ds.id]), gov.now)
    if verdict.allowed:
        return verdict
    asked = store.select(
        gov.con, Request, order=("requested_at",), consumer_id=consumer_id, dataset_id=ds.id, target=target
    )
    latest = asked[-1] if asked else None
    reviews = store.select(gov.con, Review, request_id=latest.request_id) if latest else []
    pending = rules.request_reason(ds, latest, reviews)
    return rules.Verdict(
        None, f"{verdict.reason}; request {latest.request_id}: {pending}" if pending else verdict.reason
    )


def _refuse(gov: Gov, consumer_id: str, view: str, reason: str) -> GovernanceError:
    """Audit a refused read or export, and the error that says why."""
    with transaction(gov):
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "access.denied",
            consumer_id=consumer_id,
            dataset_id=view.partition(".")[2] or None,
            details={"view": view, "reason": reason},
        )
    return GovernanceError(f"{consumer_id} may not read {view}: {reason}")


def _served_view(gov: Gov, consumer_id: str, view: str) -> tuple[Path, str, bool]:
    """The consumer's current access database (rebuilt first if something in it expired) and the view's terms."""
    target, _, ds_id = view.partition(".")
    if target not in {t.value for t in Target}:
        raise GovernanceError(f"view must be share.<dataset> or open.<dataset>; got {view!r}")
    consumer = _consumer(gov, consumer_id)
    if consumer.state != ConsumerState.ACTIVE:
        raise _refuse(
            gov, consumer_id, view, f"consumer {consumer_id} is {consumer.state.value}; all its access is closed"
        )
    path = path_for(gov.lake, consumer_id)
    views, stale = _info(path) if path.exists() else ({}, None)
    if not path.exists() or (stale is not None and gov.now >= stale):
        build(gov, consumer_id)
        views, stale = _info(path)
    if view not in views:
        raise _refuse(gov, consumer_id, view, explain(gov, consumer_id, Target(target), ds_id).reason)
    purpose, copy_allowed = views[view]
    return path, purpose, copy_allowed


def read(gov: Gov, consumer_id: str, view: str, limit: int = 20) -> tuple[list[str], list[tuple]]:
    """Serve rows of one of the consumer's views through its access database; audited with the row count."""
    path, purpose, _ = _served_view(gov, consumer_id, view)
    target, _, ds_id = view.partition(".")
    with duckdb.connect(str(path), read_only=True, config=_CONFIG) as con:
        rel = con.sql(f"select * from {target}.{quote(ds_id)} limit {int(limit)}")
        columns, rows = rel.columns, rel.fetchall()
    with transaction(gov):
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "access.read",
            consumer_id=consumer_id,
            dataset_id=ds_id,
            purpose=purpose,
            row_count=len(rows),
            details={"view": view},
        )
    return columns, rows


def export(gov: Gov, consumer_id: str, dataset_id: str) -> tuple[Path, int]:
    """Write a copy of `share.<dataset>` for the consumer: only under a grant approved for copying (art. 15)."""
    view = f"share.{dataset_id}"
    path, purpose, copy_allowed = _served_view(gov, consumer_id, view)
    if not copy_allowed:
        raise _refuse(
            gov,
            consumer_id,
            view,
            "interface access only; a copy needs its own approval by the authority "
            f"(art. 15): pdl request share {dataset_id} --consumer {consumer_id} --mode copy",
        )
    out = gov.lake.access_dir / "exports" / consumer_id / f"{dataset_id}-{gov.now:%Y%m%dT%H%M%S}.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path), read_only=True, config=_CONFIG) as con:
        rows = con.execute(f"select count(*) from share.{quote(dataset_id)}").fetchone()[0]
        con.execute(f"copy share.{quote(dataset_id)} to {sql_string(str(out))} (format parquet)")
    with transaction(gov):
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "access.export",
            consumer_id=consumer_id,
            dataset_id=dataset_id,
            purpose=purpose,
            row_count=rows,
            details={"view": view, "file": out.name},
        )
    return out, rows
