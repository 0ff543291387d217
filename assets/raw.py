"""`[raw, dataset]` assets: load what the agency dropped into its landing folder, whole or not at all."""

import dagster as dg

from assets.naming import CATALOG_KEY, common, key
from assets.resources import LakeResource
from catalog.model import Dataset
from warehouse.db import writer
from warehouse.ingest import ingest_pending, raw_files
from warehouse.publish import view_over


def raw_asset(ds: Dataset) -> dg.AssetsDefinition:
    @dg.asset(
        key=key("raw", ds),
        deps=[CATALOG_KEY],
        description=(
            f"{ds.title} ({ds.provider.name}), as delivered: every file dropped into "
            f"landing/{ds.provider.code}/{ds.id}/ kept as an immutable Parquet copy with lineage "
            "(source file, load id, row number, ingested at). Unreadable files or files whose headers do "
            "not match the catalog are moved to rejected/ with a reason file; identical re-drops add nothing."
        ),
        **common(ds, {"parquet", "duckdb"}),
    )
    def _raw(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
        lk = lake.lake()
        with writer(lk) as con:
            report = ingest_pending(con, lk, ds)
            files = raw_files(lk, ds, con)
            view_over(con, "raw", ds, files)
        for name, reason in report.rejected:
            context.log.warning(f"rejected {name}: {reason}")
        context.log.info(f"{ds.id}: {len(report.loaded)} file(s) loaded, {report.rows} row(s)")
        return dg.MaterializeResult(
            metadata={
                "files_loaded": len(report.loaded),
                "rows_loaded": report.rows,
                "duplicates_skipped": len(report.duplicates),
                "files_rejected": len(report.rejected),
                "rejections": dg.MetadataValue.md("\n".join(f"- {n}: {r}" for n, r in report.rejected) or "none"),
                "raw_files_current": len(files),
            }
        )

    return _raw
