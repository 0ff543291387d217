"""The Dagster code location loads, and the catalog fully determines its assets, checks and sensor."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import LOAD_ALL, build_definitions, defs
from quality.gate import CHECKS


def test_code_location_loads_from_the_shipped_catalog():
    dg.Definitions.validate_loadable(defs())


def test_one_asset_per_dataset_per_layer_grouped_and_tagged_by_agency(catalog):
    definitions = build_definitions(list(catalog.values()))
    graph = definitions.resolve_asset_graph()
    keys = {k for k in graph.get_all_asset_keys()}
    assert dg.AssetKey(["meta", "catalog"]) in keys
    for ds in catalog.values():
        for layer in ("raw", "clean", "safe"):
            assert dg.AssetKey([layer, ds.id]) in keys
        assert (dg.AssetKey(["share", ds.id]) in keys) == ds.shareable
        assert (dg.AssetKey(["open", ds.id]) in keys) == ds.openable
        node = graph.get(dg.AssetKey(["clean", ds.id]))
        assert node.group_name == ds.provider.code
        assert node.owners == [f"team:{ds.provider.code}"]
        assert node.tags["share_class"] == ds.share.klass and node.tags["open_class"] == ds.open.klass
        assert {"duckdb", "parquet"} <= set(node.kinds)
    assert len(keys) == 1 + sum(3 + ds.shareable + ds.openable for ds in catalog.values())


def test_quality_checks_are_declared_on_clean_with_their_blocking_flags(catalog):
    definitions = build_definitions(list(catalog.values()))
    graph = definitions.resolve_asset_graph()
    ds = catalog["dq_scjg_enterprise"]
    checks = {k.name: graph.get(k) for k in graph.get(dg.AssetKey(["clean", ds.id])).check_keys}
    assert set(checks) == {c.name for c in CHECKS}
    assert {n for n, c in checks.items() if c.blocking} == {c.name for c in CHECKS if c.blocking}
    safe_checks = {k.name: graph.get(k) for k in graph.get(dg.AssetKey(["safe", ds.id])).check_keys}
    assert safe_checks["personal_data_declared"].blocking


def test_a_new_catalog_entry_is_a_new_set_of_assets_without_code(catalog):
    base = catalog["dq_qxj_weather"]
    extra = base.model_copy(update={"id": "dq_qxj_rain_gauges"})
    definitions = build_definitions([*catalog.values(), extra])
    keys = set(definitions.resolve_asset_graph().get_all_asset_keys())
    assert dg.AssetKey(["open", "dq_qxj_rain_gauges"]) in keys
    assert definitions.resolve_job_def(LOAD_ALL) is not None
    assert definitions.resolve_sensor_def("landing_sensor") is not None
