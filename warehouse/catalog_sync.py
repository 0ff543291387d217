"""Write the catalog into `meta.catalog` (one row per dataset) and `meta.columns`; re-runnable."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from catalog.model import Dataset


def _catalog_row(ds: Dataset, at: datetime) -> list:
    return [
        ds.id, ds.title, ds.provider.code, ds.provider.name, ds.data_subject,
        ds.share.klass.value, ds.share.reason, ds.share.basis,
        ds.open.klass.value, ds.open.reason, ds.open.basis, ds.open.review_due,
        ds.format.value, ds.data_type, ds.update_frequency.value, ds.load_mode.value,
        ds.primary_key, ds.max_grade.value, ds.model_dump_json(by_alias=True), at,
    ]  # fmt: skip


def _column_rows(ds: Dataset) -> list[list]:
    return [
        [ds.id, i, c.name, c.aliases, c.type.value, c.required, c.description, c.entity and c.entity.value,
         c.grade.value, c.quasi_identifier, c.free_text, c.personal]
        for i, c in enumerate(ds.columns, start=1)
    ]  # fmt: skip


def sync_catalog(con: duckdb.DuckDBPyConnection, datasets: list[Dataset]) -> int:
    """Replace the catalog tables with `datasets`; returns the number of datasets written."""
    at = datetime.now(UTC)
    con.execute("begin")
    con.execute("delete from meta.columns")
    con.execute("delete from meta.catalog")
    con.executemany(
        f"insert into meta.catalog values ({', '.join(['?'] * 20)})", [_catalog_row(d, at) for d in datasets]
    )
    rows = [r for d in datasets for r in _column_rows(d)]
    con.executemany(f"insert into meta.columns values ({', '.join(['?'] * 12)})", rows)
    con.execute("commit")
    return len(datasets)
