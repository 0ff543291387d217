"""The demo walkthrough leaves one of each flow in the lake, and access databases showing exactly what rules allow."""

from __future__ import annotations

import polars as pl
import pytest

from governance import audit, demo
from warehouse.db import reader

from governance_support import NOW, access_views, synthetic_ids, write_safe


@pytest.fixture
def demo_lake(lake, catalog):
    people = synthetic_ids(5)
    for ds in catalog.values():
        write_safe(lake, ds, people)
    clean = lake.layer_dir("clean", "dq_gaj_household")
    clean.mkdir(parents=True)
    households = ["3305210001", "3305210001", "3305210001", "3305210002", "3305210002"]
    pl.DataFrame({"resident_id": people, "household_no": households}).write_parquet(clean / "data.parquet")
    return lake


def _count(con, table: str, where: str = "true") -> int:
    return con.execute(f"select count(*) from meta.{table} where {where}").fetchone()[0]


def test_demo_walkthrough(demo_lake, catalog):
    summary = demo.run(demo_lake, list(catalog.values()), now=NOW)
    assert summary.audit.ok, summary.steps
    with reader(demo_lake) as con:
        assert _count(con, "consumers") == 5
        assert _count(con, "requests", "status = 'approved'") == 5
        assert _count(con, "requests", "status = 'rejected'") == 1
        assert _count(con, "reviews") == 4
        assert _count(con, "grants") == 4
        assert _count(con, "agreements", "status = 'active'") == 1
        assert _count(con, "authorizations") == 3 and _count(con, "authorizations", "revoked_at is not null") == 1
        assert _count(con, "class_changes", "filing_ref is not null") == 1
        assert _count(con, "demands", "status = 'answered'") == 1
        assert _count(con, "credit_records") == 2
        actions = {a for (a,) in con.execute("select distinct action from meta.audit_log").fetchall()}
        assert {"access.read", "access.export", "access.build", "access.remove"} <= actions
        assert audit.verify(audit.entries(con)).ok
        recipients = con.execute("select recipient, dataset_id from open.pdl_restricted_open_recipients").fetchall()
        assert recipients == [("浙江大学交通规划研究课题组", "dq_jtj_taxi_trips")]

    always = {"open.dq_qxj_weather", "open.dq_scjg_enterprise", "open.dq_zrzyj_land_parcels"}
    views = {c: access_views(demo_lake, c) for c in ("mzj", "rsj", "jtj", "zju_transport_lab", "dq_geo_tech")}
    assert set(views["mzj"]) == always | {"share.dq_scjg_enterprise", "share.dq_gaj_household"}
    assert views["mzj"]["share.dq_gaj_household"][1] == 2
    assert set(views["jtj"]) == always | {"share.dq_qxj_weather"}
    assert set(views["rsj"]) == always
    assert set(views["zju_transport_lab"]) == always | {"open.dq_jtj_taxi_trips"}
    assert set(views["dq_geo_tech"]) == always
    assert len(list((demo_lake.access_dir / "exports" / "jtj").glob("dq_qxj_weather-*.parquet"))) == 1


def test_demo_runs_once_per_lake(demo_lake, catalog):
    demo.run(demo_lake, list(catalog.values()), now=NOW)
    again = demo.run(demo_lake, list(catalog.values()), now=NOW)
    assert "skipped" in again.steps[0] and again.audit.ok
