"""`[clean, dataset]` assets: the quality gate (art. 10) between what agencies sent and what is used.

Rules come from the catalog. Every raw row ends in exactly one of clean or quarantine; dataset-level
asset checks report completeness, accuracy, uniqueness, consistency and timeliness, and the blocking
ones stop desensitization and publication of a bad load.
"""

from datetime import date, datetime

import dagster as dg
import polars as pl

from assets.naming import common, key
from assets.resources import LakeResource
from catalog.model import Dataset
from catalog.vocabulary import FREQUENCY_PERIOD
from quality import gate, results, scores
from quality.references import reference_lookups, referenced
from quality.split import split_rows
from warehouse.db import writer
from warehouse.ingest import raw_files
from warehouse.lake import LAYER_PARQUET_WRITE, Lake
from warehouse.publish import view_over


def _write(frame: pl.DataFrame, path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".parquet.partial")
    frame.write_parquet(partial, **LAYER_PARQUET_WRITE)
    partial.rename(path)


def _check_result(outcome: gate.CheckOutcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=outcome.name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR if outcome.blocking else dg.AssetCheckSeverity.WARN,
        description=outcome.description,
        metadata=outcome.metadata,
    )


def evaluate_dataset(lake: Lake, ds: Dataset, now: datetime, today: date) -> tuple[list[gate.CheckOutcome], dict]:
    """Split the dataset's current raw rows, write clean and quarantine, record quality; no Dagster here."""
    with writer(lake) as con:
        files = raw_files(lake, ds, con)
        if not files:
            inbox = lake.inbox(ds.provider.code, ds.id)
            raise dg.Failure(f"{ds.id} has no loaded extract yet; drop a file into {inbox} first")
        raw = pl.read_parquet(files)
        previous = results.previous_load_rows(con, ds.id)
        clean_path = lake.layer_dir("clean", ds.id) / "data.parquet"
        quarantine_path = lake.layer_dir("quarantine", ds.id) / "data.parquet"
        earlier = pl.read_parquet(quarantine_path) if quarantine_path.exists() else None
        load_id = raw.get_column("_load_id").max()
        split = split_rows(ds, raw, today=today, lookups=reference_lookups(lake, ds), previous=earlier, load_id=load_id)
        _write(split.clean, clean_path)
        _write(split.quarantine, quarantine_path)
        outcomes = gate.evaluate(ds, split, raw_rows=raw.height, previous_rows=previous, today=today, now=now)
        dims = scores.scores(ds, split, outcomes)
        results.record(con, ds, load_id, split, outcomes, dims, now)
        view_over(con, "clean", ds, [clean_path])
        view_over(con, "quarantine", ds, [quarantine_path])
    summary = {"rows_raw": raw.height, "rows_clean": split.clean.height, "rows_quarantined": split.quarantine.height}
    return outcomes, summary | {f"score_{k}": round(v, 4) for k, v in dims.items()}


def clean_asset(ds: Dataset) -> dg.AssetsDefinition:
    refs = [dg.AssetKey(["clean", r.split(".")[0]]) for r in referenced(ds)]

    @dg.asset(
        key=key("clean", ds),
        deps=[key("raw", ds), *refs],
        check_specs=[
            dg.AssetCheckSpec(c.name, asset=key("clean", ds), blocking=c.blocking, description=c.description)
            for c in gate.CHECKS
        ],
        freshness_policy=dg.FreshnessPolicy.time_window(fail_window=FREQUENCY_PERIOD[ds.update_frequency]),
        description=(
            f"{ds.title}: rows that passed the catalog's quality rules (declared types, required values, "
            "identifier checksums, enumerations and ranges, unique keys, cross-dataset references). Failed "
            f"rows go to quarantine.{ds.id} with the rules and columns they failed; nothing is dropped."
        ),
        **common(ds, {"parquet", "duckdb"}),
    )
    def _clean(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
        outcomes, summary = evaluate_dataset(lake.lake(), ds, lake.clock(), lake.today())
        for outcome in outcomes:
            if not outcome.passed:
                context.log.warning(f"{ds.id} check {outcome.name} failed: {outcome.description}")
        return dg.MaterializeResult(metadata=summary, check_results=[_check_result(o) for o in outcomes])

    return _clean
