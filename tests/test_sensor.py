"""The landing sensor: one run per new file, none for an identical re-drop, a new run for changed content."""

from __future__ import annotations

import dagster as dg

from assets.resources import LakeResource
from assets.sensors import landing_sensor


def _evaluate(sensor, lake, cursor=None):
    context = dg.build_sensor_context(cursor=cursor, resources={"lake": LakeResource(home=str(lake.home))})
    result = sensor.evaluate_tick(context)
    return result.run_requests or [], result.cursor


def test_one_run_per_new_file_and_none_for_identical_redrop(lake, catalog):
    ds = catalog["dq_scjg_enterprise"]
    sensor = landing_sensor(list(catalog.values()))
    inbox = lake.inbox(ds.provider.code, ds.id)
    inbox.mkdir(parents=True)
    (inbox / "a.csv").write_text("统一社会信用代码\n1\n", encoding="utf-8")
    (inbox / "b.csv").write_text("统一社会信用代码\n2\n", encoding="utf-8")

    runs, cursor = _evaluate(sensor, lake)
    assert len(runs) == 2
    assert {r.run_key.split(":")[0] for r in runs} == {ds.id}
    assert dg.AssetKey(["raw", ds.id]) in runs[0].asset_selection
    assert dg.AssetKey(["open", ds.id]) in runs[0].asset_selection

    runs, cursor = _evaluate(sensor, lake, cursor)
    assert runs == []

    (inbox / "a-copy.csv").write_text("统一社会信用代码\n1\n", encoding="utf-8")
    runs, cursor = _evaluate(sensor, lake, cursor)
    assert runs == []

    (inbox / "a.csv").write_text("统一社会信用代码\n3\n", encoding="utf-8")
    runs, _ = _evaluate(sensor, lake, cursor)
    assert [r.tags["source_file"] for r in runs] == ["a.csv"]


def test_selection_skips_layers_the_classes_forbid(lake, catalog):
    sensor = landing_sensor(list(catalog.values()))
    for ds in catalog.values():
        inbox = lake.inbox(ds.provider.code, ds.id)
        inbox.mkdir(parents=True)
        (inbox / "x.csv").write_text(f"h\n{ds.id}\n", encoding="utf-8")
    runs, _ = _evaluate(sensor, lake)
    by_dataset = {r.tags["dataset"]: {k.path[0] for k in r.asset_selection} for r in runs}
    assert len(by_dataset) == len(catalog)
    for ds in catalog.values():
        assert ("share" in by_dataset[ds.id]) == ds.shareable
        assert ("open" in by_dataset[ds.id]) == ds.openable
