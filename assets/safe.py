"""`[safe, dataset]` assets: the clean layer desensitized once per destination it may reach (art. 14, 21).

Columns are classified against the catalog first: a column whose values look personal but that the
catalog does not declare blocks publication until the catalog says what it is. Then the policy
(entity x grade x destination -> operator) writes one Parquet file per destination.
"""

import dagster as dg
import polars as pl

from assets.naming import common, key
from assets.resources import LakeResource
from catalog.model import Dataset
from desensitize.classify import catalog_findings
from desensitize.safe import write_safe
from warehouse.lake import Lake

DECLARED_CHECK = "personal_data_declared"
SAMPLE_ROWS = 2000


def destinations(ds: Dataset) -> list[str]:
    """Share destination by share class (non-shareable data is prepared for granted, desensitized use), plus open."""
    share = "share_unconditional" if ds.share.klass == "unconditional" else "share_restricted"
    return [share] + (["open"] if ds.openable else [])


def safe_path(lake: Lake, ds: Dataset, destination: str):
    return lake.layer_dir("safe", ds.id) / f"{destination}.parquet"


def share_destination(ds: Dataset) -> str:
    return destinations(ds)[0]


def safe_asset(ds: Dataset) -> dg.AssetsDefinition:
    @dg.asset(
        key=key("safe", ds),
        deps=[key("clean", ds)],
        check_specs=[
            dg.AssetCheckSpec(
                DECLARED_CHECK,
                asset=key("safe", ds),
                blocking=True,
                description="Every column whose values look personal is declared in the catalog",
            )
        ],
        description=(
            f"{ds.title}, desensitized (脱敏) per destination by the county policy: masks, keyed "
            "pseudonyms, generalization or suppression per column entity and grade. The metadata lists "
            "each column's operator and counts, never values."
        ),
        **common(ds, {"parquet"}),
    )
    def _safe(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
        lk = lake.lake()
        clean = lk.layer_dir("clean", ds.id) / "data.parquet"
        sample = pl.read_parquet(clean, n_rows=SAMPLE_ROWS)
        findings = catalog_findings(ds, sample)
        blocking = [f for f in findings if f.severity == "blocking"]
        for finding in findings:
            context.log.warning(f"{ds.id}: {finding.message}")
        meta: dict = {}
        if not blocking:
            for destination in destinations(ds):
                report = write_safe(ds, clean, safe_path(lk, ds, destination), destination)
                meta[destination] = dg.MetadataValue.md(report.markdown())
        yield dg.MaterializeResult(metadata=meta | {"findings": len(findings)})
        yield dg.AssetCheckResult(
            check_name=DECLARED_CHECK,
            passed=not blocking,
            severity=dg.AssetCheckSeverity.ERROR,
            description="; ".join(f.message for f in blocking) or "all personal columns are declared",
            metadata={"blocking_findings": len(blocking), "warnings": len(findings) - len(blocking)},
        )

    return _safe
