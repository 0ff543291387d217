"""The `[meta, catalog]` asset: the declared catalog, written into the warehouse before any load."""

import dagster as dg

from assets.naming import CATALOG_KEY
from assets.resources import LakeResource
from catalog.model import Dataset
from warehouse.catalog_sync import sync_catalog
from warehouse.db import writer


def catalog_asset(datasets: list[Dataset]) -> dg.AssetsDefinition:
    @dg.asset(
        key=CATALOG_KEY,
        group_name="catalog",
        kinds={"duckdb"},
        description="公共数据资源目录: every declared dataset and column, written to meta.catalog and meta.columns.",
    )
    def _catalog(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
        with writer(lake.lake()) as con:
            count = sync_catalog(con, datasets)
        return dg.MaterializeResult(metadata={"datasets": count, "columns": sum(len(d.columns) for d in datasets)})

    return _catalog
