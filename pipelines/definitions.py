"""The Dagster code location: assets, checks, sensor, job, resources and executor, merged from the catalog.

Runs execute in one process (`in_process_executor`): each step otherwise pays the heavy imports in a
new process, and one process means one writer to the DuckDB file at a time. `dagster.yaml` queues runs
one at a time for the same reason.
"""

from __future__ import annotations

import warehouse.allocator  # noqa: F401 - first: Polars' allocator reads its settings when Polars loads

# isort: split
import dagster as dg

from assets.factory import all_assets
from assets.resources import LakeResource
from assets.sensors import landing_sensor
from catalog import load_catalog

LOAD_ALL = "load_all"


def build_definitions(datasets=None) -> dg.Definitions:
    datasets = datasets if datasets is not None else load_catalog()
    return dg.Definitions(
        assets=all_assets(datasets),
        sensors=[landing_sensor(datasets)],
        jobs=[dg.define_asset_job(LOAD_ALL, selection=dg.AssetSelection.all(), description="Load everything landed")],
        resources={"lake": LakeResource()},
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
