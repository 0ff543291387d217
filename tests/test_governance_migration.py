"""Migration 0003: an empty lake and a lake at the previous schema (with data) both upgrade in place."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from governance import audit
from warehouse.catalog_sync import sync_catalog
from warehouse.db import writer
from warehouse.migrations import available, current_version, migrate

GOVERNANCE_TABLES = {
    "consumers",
    "requests",
    "reviews",
    "grants",
    "authorizations",
    "agreements",
    "class_changes",
    "demands",
    "credit_records",
    "audit_log",
    "access_builds",
}


def _tables(con) -> set[str]:
    rows = con.execute("select table_name from information_schema.tables where table_schema = 'meta'").fetchall()
    return {r[0] for r in rows}


def test_governance_is_migration_3():
    assert (3, "governance") in {(v, n) for v, n, _ in available()}


def test_empty_lake_upgrades_to_governance(lake):
    with writer(lake) as con:
        assert current_version(con) >= 3
        assert _tables(con) >= GOVERNANCE_TABLES
        audit.append(con, datetime(2026, 12, 1, tzinfo=UTC), "县大数据局", "consumer.add", consumer_id="mzj")
        assert audit.verify(audit.entries(con)).ok


def test_previous_schema_with_data_upgrades_in_place(lake, catalog):
    con = duckdb.connect(str(lake.db_path))
    previous = max(v for v, _, _ in available() if v < 3)
    migrate(con, target=previous)
    assert current_version(con) == previous and not (GOVERNANCE_TABLES & _tables(con))
    con.execute(
        "insert into meta.loads values ('L1', 'dq_scjg_enterprise', 'a.csv', 'abc', 'loaded', 3, null, "
        "'received/a.csv', 'raw/x.parquet', now())"
    )
    con.execute(
        "insert into meta.published values ('dq_scjg_enterprise', 'share', 'share.dq_scjg_enterprise', 'unconditional',"
        " '无条件共享', 3, ['uscc'], ['safe/x.parquet'], now())"
    )
    sync_catalog(con, list(catalog.values()))
    before = {
        t: con.execute(f'select count(*) from meta."{t}"').fetchone()[0] for t in _tables(con) - {"schema_migrations"}
    }
    assert before["catalog"] == len(catalog) and before["published"] == 1
    con.close()

    with writer(lake) as con:
        assert current_version(con) >= 3
        assert _tables(con) >= GOVERNANCE_TABLES
        after = {t: con.execute(f'select count(*) from meta."{t}"').fetchone()[0] for t in before}
        assert after == before
        assert con.execute("select source_file from meta.loads").fetchall() == [("a.csv",)]
        versions = [v for (v,) in con.execute("select version from meta.schema_migrations order by version").fetchall()]
        assert versions == [v for v, _, _ in available()]

    with writer(lake) as con:
        assert migrate(con) == []
