"""`[share, dataset]` and `[open, dataset]` assets: publication tagged by class (art. 2, 13, 19, 26).

Only datasets whose share class is not non-shareable get a share view; only datasets whose open class
is not prohibited get open files and an open view. Both read the safe layer, never clean or raw.
"""

import dagster as dg

from assets.naming import common, key
from assets.resources import LakeResource
from assets.safe import safe_path, share_destination
from catalog.model import Dataset
from catalog.vocabulary import OPEN_LABELS, SHARE_LABELS
from warehouse.db import writer
from warehouse.publish import Published, publish_open, publish_share


def _result(pub: Published) -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={
            "view": pub.view,
            "class": f"{pub.klass} ({pub.label})",
            "rows": pub.rows,
            "columns": ", ".join(pub.columns),
            "files": dg.MetadataValue.md("\n".join(f"- {f}" for f in pub.files)),
        }
    )


def share_asset(ds: Dataset) -> dg.AssetsDefinition:
    @dg.asset(
        key=key("share", ds),
        deps=[key("safe", ds)],
        description=(
            f"Share view share.{ds.id} for other agencies ({SHARE_LABELS[ds.share.klass]}), read from the "
            "desensitized safe layer. Restricted data is served to an agency only through its grants."
        ),
        **common(ds, {"duckdb"}),
    )
    def _share(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
        lk = lake.lake()
        with writer(lk) as con:
            pub = publish_share(con, ds, safe_path(lk, ds, share_destination(ds)))
        return _result(pub)

    return _share


def open_asset(ds: Dataset) -> dg.AssetsDefinition:
    @dg.asset(
        key=key("open", ds),
        deps=[key("safe", ds)],
        description=(
            f"Open dataset ({OPEN_LABELS[ds.open.klass]}) for the public: open/{ds.id}.parquet, "
            f"open/{ds.id}.csv (UTF-8) and the view open.{ds.id}, from the desensitized safe layer."
        ),
        **common(ds, {"duckdb", "parquet", "csv"}),
    )
    def _open(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
        lk = lake.lake()
        with writer(lk) as con:
            pub = publish_open(con, lk, ds, safe_path(lk, ds, "open"))
        return _result(pub)

    return _open
