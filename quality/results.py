"""Write and read quality results in `meta` (migration 0002): scores per load and quarantine history.

`record()` is re-runnable for a load: it replaces that load's `meta.quality_results` row and upserts
`meta.quarantine_history`, whose rows name a quarantined row by (load, line) with its rules and
columns, never by value. A row's status moves from `quarantined` to `released` when a later row with
its key passes (the correction), to `replaced` when a newer snapshot no longer needs it, and
`superseded` marks older valid versions of append rows. History rows are never deleted.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import duckdb
import polars as pl

from catalog.model import Dataset
from catalog.vocabulary import ColumnType, LoadMode
from quality.freshness import Freshness, freshness
from quality.gate import CheckOutcome, SplitLike, blocked_by
from quality.split import SUPERSEDED, Split

_UPSERT_HISTORY = """
insert into meta.quarantine_history
select ?, _load_id, _row_number, _source_file, _rules, _columns, status, ?, ?, resolved_by, resolved_at
from history_rows
on conflict (dataset_id, load_id, row_number) do update set
    rules = excluded.rules,
    columns = excluded.columns,
    status = case when status = 'released' then status else excluded.status end,
    last_evaluated_by = excluded.last_evaluated_by,
    resolved_by = coalesce(resolved_by, excluded.resolved_by),
    resolved_at = coalesce(resolved_at, excluded.resolved_at)
"""


def column_label(dataset: Dataset, column: str) -> str:
    """How the agency knows a column: the header it sends (first alias) and the catalog name."""
    names = {c.name: c for c in dataset.columns}
    parts = [f"{names[p].aliases[0]}（{p}）" if p in names and names[p].aliases else p for p in column.split("+")]
    return " + ".join(parts)


def _rules_json(dataset: Dataset, split: SplitLike) -> str:
    return json.dumps(
        [
            {
                "rule": r.rule,
                "column": r.column,
                "column_label": column_label(dataset, r.column),
                "severity": r.severity,
                "dimension": r.dimension,
                "count": r.count,
                "examples": list(r.examples),
                "details": dict(r.details),
            }
            for r in split.stats.failing
        ],
        ensure_ascii=False,
    )


def _checks_json(outcomes: list[CheckOutcome]) -> str:
    return json.dumps(
        [
            {
                "name": o.name,
                "passed": o.passed,
                "blocking": o.blocking,
                "description": o.description,
                "metadata": o.metadata,
            }
            for o in outcomes
        ],
        ensure_ascii=False,
    )


def _as_timestamp(moment: date | datetime | None) -> datetime | None:
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day)


def _result_row(
    dataset: Dataset,
    load_id: str,
    split: SplitLike,
    outcomes: list[CheckOutcome],
    scores: dict[str, float],
    at: datetime,
) -> list[Any]:
    stats = split.stats
    return [
        dataset.id,
        dataset.title,
        dataset.provider.code,
        dataset.provider.name,
        load_id,
        at,
        scores["completeness"],
        scores["accuracy"],
        scores["timeliness"],
        scores["uniqueness"],
        scores["consistency"],
        stats.rows,
        split.clean_rows,
        split.quarantined_rows,
        stats.load_rows,
        stats.load_quarantined,
        sum(stats.normalized.values()),
        stats.superseded,
        stats.released,
        _as_timestamp(stats.newest_event),
        bool(blocked_by(outcomes)),
        blocked_by(outcomes),
        _rules_json(dataset, split),
        _checks_json(outcomes),
        list(stats.skipped),
    ]


def _history_rows(split: Split, at: datetime) -> pl.DataFrame:
    released = split.released.rename({"_released_by": "resolved_by"})
    quarantine = split.quarantine
    if "_source_file" not in quarantine.columns:
        quarantine = quarantine.with_columns(pl.lit(None, pl.String).alias("_source_file"))
    rows = quarantine.select("_load_id", "_row_number", "_source_file", "_rules", "_columns").join(
        released, on=["_load_id", "_row_number"], how="left"
    )
    only_superseded = pl.col("_rules").list.len().eq(1) & pl.col("_rules").list.first().eq(SUPERSEDED)
    status = (
        pl.when(pl.col("resolved_by").is_not_null())
        .then(pl.lit("released"))
        .when(only_superseded)
        .then(pl.lit("superseded"))
        .otherwise(pl.lit("quarantined"))
    )
    resolved_at = pl.when(pl.col("resolved_by").is_not_null()).then(pl.lit(at))
    return rows.with_columns(status.alias("status"), resolved_at.alias("resolved_at"))


def _with_table(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame, sql: str, params: list) -> None:
    con.register(name, frame.to_arrow())
    try:
        con.execute(sql, params)
    finally:
        con.unregister(name)


def _record_history(con: duckdb.DuckDBPyConnection, dataset: Dataset, load_id: str, split: Split, at: datetime) -> None:
    if split.quarantine.height:
        _with_table(con, "history_rows", _history_rows(split, at), _UPSERT_HISTORY, [dataset.id, at, load_id])
    if split.released.height:
        _with_table(
            con,
            "released_rows",
            split.released,
            "update meta.quarantine_history h set status = 'released', resolved_by = r._released_by, resolved_at = ? "
            "from released_rows r where h.dataset_id = ? and h.load_id = r._load_id "
            "and h.row_number = r._row_number and h.status in ('quarantined', 'replaced')",
            [at, dataset.id],
        )
    if dataset.load_mode == LoadMode.SNAPSHOT:
        con.execute(
            "update meta.quarantine_history set status = 'replaced', resolved_by = ?, resolved_at = ? "
            "where dataset_id = ? and load_id < ? and status = 'quarantined'",
            [load_id, at, dataset.id, load_id],
        )


def record(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    load_id: str,
    split: Split,
    outcomes: list[CheckOutcome],
    scores: dict[str, float],
    at: datetime,
) -> None:
    """Store one evaluated load: its scores and outcomes, and the history of its quarantined rows."""
    con.execute("begin")
    try:
        con.execute("delete from meta.quality_results where dataset_id = ? and load_id = ?", [dataset.id, load_id])
        placeholders = ", ".join("?" * 25)
        con.execute(
            f"insert into meta.quality_results values ({placeholders})",
            _result_row(dataset, load_id, split, outcomes, scores, at),
        )
        _record_history(con, dataset, load_id, split, at)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def has_results_table(con: duckdb.DuckDBPyConnection) -> bool:
    query = "select count(*) from information_schema.tables where table_schema = 'meta' and table_name = ?"
    return con.execute(query, ["quality_results"]).fetchone()[0] > 0


def results(con: duckdb.DuckDBPyConnection, agency: str | None = None) -> list[dict[str, Any]]:
    """Every stored result (optionally of one providing agency), oldest first, JSON fields decoded."""
    if not has_results_table(con):
        return []
    where, params = ("where provider_code = ?", [agency]) if agency else ("", [])
    cursor = con.execute(
        f"select * from meta.quality_results {where} order by provider_code, dataset_id, evaluated_at, load_id", params
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["failing_rules"] = json.loads(row["failing_rules"])
        row["checks"] = json.loads(row["checks"])
    return rows


def previous_load_rows(con: duckdb.DuckDBPyConnection, dataset_id: str) -> int | None:
    """The raw row count of the dataset's last evaluated load (the completeness check's row-count drop)."""
    if not has_results_table(con):
        return None
    query = "select load_rows from meta.quality_results where dataset_id = ? order by evaluated_at desc limit 1"
    row = con.execute(query, [dataset_id]).fetchone()
    return row[0] if row else None


def latest_result(con: duckdb.DuckDBPyConnection, dataset_id: str) -> dict[str, Any] | None:
    """The newest stored result of a dataset (blocked flag, blocking checks, scores), or None."""
    found = [r for r in results(con) if r["dataset_id"] == dataset_id]
    return found[-1] if found else None


def last_load_at(con: duckdb.DuckDBPyConnection, dataset_id: str) -> datetime | None:
    query = "select max(ingested_at) from meta.loads where dataset_id = ? and status = 'loaded'"
    return con.execute(query, [dataset_id]).fetchone()[0]


def dataset_freshness(con: duckdb.DuckDBPyConnection, dataset: Dataset, now: datetime) -> Freshness:
    """Freshness for `pdl status`: the last load from `meta.loads`, the newest event from the last result."""
    latest = latest_result(con, dataset.id)
    newest = latest["newest_event"] if latest else None
    event = dataset.column(dataset.event_time_column) if dataset.event_time_column else None
    if newest is not None and event is not None and event.type == ColumnType.DATE:
        newest = newest.date()
    return freshness(dataset, newest, last_load_at(con, dataset.id), now)
