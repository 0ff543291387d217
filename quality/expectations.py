"""Great Expectations suites generated from the catalog rules, and GX Data Docs as the quality report.

GX is where it is strong: a declarative, human-readable suite per dataset and Data Docs to read the
outcome. It is not on the hot path: `import great_expectations` costs 4-20 s, it has no Polars engine
(pandas only) and it cannot express identifier checksums. The row split stays in Polars
(`quality.split`); this module is imported only by `pdl quality docs`, the benchmark and one test.

Each compiled rule maps to an expectation carrying `meta = {rule, column}`, so the suite and the
Polars rules come from one source. GX sees the values as the split validates them (identifiers
normalized, blanks as null, numbers and dates also parsed into `<column>__value`), with personal
columns that have no rule beyond presence masked. Results are rendered with
`partial_unexpected_count = 0`: Data Docs show counts and percentages, never a value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
import polars as pl
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations.metadata_types import FailureSeverity

from catalog.model import Column, Dataset
from catalog.vocabulary import ColumnType, Entity
from quality import prepare as qp
from quality import rules as r

RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 0}
# Shapes only: GX has no checksum expectation, so a wrong check character passes here.
ENTITY_PATTERNS = {
    Entity.CN_RESIDENT_ID: r"^(?:[0-9]{17}[0-9X]|[0-9]{15})$",
    Entity.CN_USCC: r"^[0-9A-HJ-NPQRTUWXY]{18}$",
    Entity.CN_MOBILE_PHONE: r"^1[3-9][0-9]{9}$",
    Entity.CN_LANDLINE_PHONE: r"^0[0-9]{2,3}[0-9]{7,8}$",
    Entity.CN_BANK_CARD: r"^[0-9]{16,19}$",
    Entity.CN_LICENSE_PLATE: r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$",
    Entity.CN_PASSPORT: r"^[A-Z0-9]{8,9}$",
}
TYPE_PATTERNS = {
    ColumnType.INTEGER: r"^[+-]?[0-9,]+$",
    ColumnType.DECIMAL: r"^[+-]?[0-9,]*\.?[0-9]+$",
    ColumnType.DATE: r"^[0-9]{4}(?:[-/.年][0-9]{1,2}(?:[-/.月][0-9]{1,2}日?)?|[0-9]{4})(?: 00:00(?::00)?)?$",
    ColumnType.DATETIME: r"^[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$",
    ColumnType.BOOLEAN: r"^(?i:1|0|true|false|t|f|yes|no|y|n|是|否)$",
}


def _masked(column: Column) -> bool:
    """Personal columns whose only rule is presence: GX sees a placeholder, never the value."""
    return column.personal and column.values is None and qp.validator_for(column) is None


def gx_frame(dataset: Dataset, raw: pl.DataFrame, today: date) -> pd.DataFrame:
    """The values GX validates, prepared by Polars the way the split prepares them."""
    prepared = qp.prepare(dataset, raw, today).lazy()
    exprs: list[pl.Expr] = []
    for c in dataset.columns:
        if _masked(c):
            exprs.append(pl.when(qp.present(c.name)).then(pl.lit("*")).alias(c.name))
        elif c.type == ColumnType.STRING:
            exprs.append(qp.value(c.name).alias(c.name))
        else:
            exprs.append(pl.when(qp.present(c.name)).then(pl.col(c.name).str.strip_chars()).alias(c.name))
            exprs.append(qp.value(c.name).alias(f"{c.name}__value"))
    exprs.extend(pl.col(c) for c in (qp.ID_BIRTH, qp.ID_SEX) if c in prepared.collect_schema().names())
    exprs.append(pl.col("_row_number"))
    return prepared.select(exprs).collect().to_pandas()


def _meta(rule: r.Rule) -> dict[str, Any]:
    severity = FailureSeverity.WARNING if rule.severity == r.Severity.WARNING else FailureSeverity.CRITICAL
    return {"meta": {"rule": rule.name, "column": rule.column, "dimension": rule.dimension.value}, "severity": severity}


def _end_of_today(today: date) -> datetime:
    return datetime.combine(today, time.max)


def _expectation(dataset: Dataset, rule: r.Rule, today: date, lookups: Mapping[str, pl.Series]) -> Any | None:
    """The GX expectation of one compiled rule, or None where GX cannot express it."""
    meta = _meta(rule)
    column = dataset.column(rule.column) if rule.column in {c.name for c in dataset.columns} else None
    if rule.name == r.REQUIRED:
        return gxe.ExpectColumnValuesToNotBeNull(column=rule.column, **meta)
    if rule.name == r.BAD_TYPE:
        return gxe.ExpectColumnValuesToMatchRegex(column=rule.column, regex=TYPE_PATTERNS[column.type], **meta)
    if rule.name == r.NOT_IN_VALUES:
        return gxe.ExpectColumnValuesToBeInSet(column=rule.column, value_set=list(column.values), **meta)
    if rule.name == r.OUT_OF_RANGE:
        return gxe.ExpectColumnValuesToBeBetween(
            column=f"{rule.column}__value", min_value=column.min, max_value=column.max, **meta
        )
    if rule.name == r.FUTURE_DATE:
        return gxe.ExpectColumnValuesToBeBetween(column=f"{rule.column}__value", max_value=_end_of_today(today), **meta)
    if rule.name.startswith("invalid_") and column is not None and column.entity in ENTITY_PATTERNS:
        return gxe.ExpectColumnValuesToMatchRegex(column=rule.column, regex=ENTITY_PATTERNS[column.entity], **meta)
    if rule.name == r.LEGACY_RESIDENT_ID:
        return gxe.ExpectColumnValueLengthsToEqual(column=rule.column, value=18, **meta)
    if rule.name == r.DUPLICATE_KEY:
        if len(dataset.primary_key) == 1:
            return gxe.ExpectColumnValuesToBeUnique(column=dataset.primary_key[0], **meta)
        return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(dataset.primary_key), **meta)
    if rule.name == r.REFERENCE_MISSING:
        known = lookups[column.references].drop_nulls().unique().to_list()
        return gxe.ExpectColumnValuesToBeInSet(column=rule.column, value_set=known, **meta)
    if rule.name == r.BIRTH_DATE_MISMATCH:
        return gxe.ExpectColumnPairValuesToBeEqual(
            column_A=f"{rule.column}__value", column_B=qp.ID_BIRTH, ignore_row_if="either_value_is_missing", **meta
        )
    return None


def build_suite(
    dataset: Dataset,
    today: date,
    lookups: Mapping[str, pl.Series] | None = None,
) -> tuple[gx.ExpectationSuite, list[str]]:
    """The dataset's expectation suite from its compiled rules, and the rules GX cannot express.

    GX binds a suite to the current context: call `context()` first.
    """
    lookups = lookups or {}
    suite = gx.ExpectationSuite(name=dataset.id, meta={"title": dataset.title, "provider": dataset.provider.code})
    missing = []
    for rule in r.compile_rule_set(dataset, today, lookups).rules:
        expectation = _expectation(dataset, rule, today, lookups)
        if expectation is None:
            missing.append(rule.key)
        else:
            suite.add_expectation(expectation)
    return suite, missing


def context(docs_dir: Path | None = None) -> Any:
    """An ephemeral GX context, progress bars off, with a Data Docs site under `docs_dir` if given."""
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    if docs_dir is not None:
        ctx.add_data_docs_site(
            site_name="pdl",
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return ctx


def _checkpoint(ctx: Any, dataset: Dataset, suite: gx.ExpectationSuite, with_docs: bool) -> Any:
    source = ctx.data_sources.add_or_update_pandas("pdl")
    asset = source.add_dataframe_asset(dataset.id)
    batch = asset.add_batch_definition_whole_dataframe("current")
    suite = ctx.suites.add_or_update(suite)
    definition = ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=dataset.id, data=batch, suite=suite)
    )
    actions = [gx.checkpoint.UpdateDataDocsAction(name="docs", site_names=["pdl"])] if with_docs else []
    return ctx.checkpoints.add_or_update(
        gx.Checkpoint(
            name=dataset.id, validation_definitions=[definition], actions=actions, result_format=RESULT_FORMAT
        )
    )


def validate(
    ctx: Any, dataset: Dataset, frame: pd.DataFrame, suite: gx.ExpectationSuite, with_docs: bool = False
) -> Any:
    """Run the suite on a prepared pandas frame; the checkpoint result (Data Docs updated if asked)."""
    return _checkpoint(ctx, dataset, suite, with_docs).run(batch_parameters={"dataframe": frame})


def _sample(sources: Sequence[Path], max_rows: int) -> pl.DataFrame:
    """The newest load's rows (append datasets: the newest file), at most `max_rows`."""
    return pl.read_parquet(sources[-1], n_rows=max_rows)


def build_data_docs(
    items: Sequence[tuple[Dataset, Sequence[Path]]],
    docs_dir: Path,
    *,
    today: date,
    max_rows: int = 200_000,
    lookups: Mapping[str, pl.Series] | None = None,
) -> Path:
    """Validate each dataset's current raw rows with its generated suite; return the Data Docs index."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    ctx = context(docs_dir)
    for dataset, sources in items:
        suite, _ = build_suite(dataset, today, lookups)
        validate(ctx, dataset, gx_frame(dataset, _sample(sources, max_rows), today), suite, with_docs=True)
    return docs_dir / "index.html"
