"""Split a raw frame into clean and quarantined rows: every raw row ends in exactly one of them.

Clean rows carry typed, normalized values (catalog types parsed, identifiers normalized), the lineage
columns, `_normalized` (columns whose value normalization changed) and `_flags` (`rule:column` of the
warning rules the row failed). Quarantined rows keep every value exactly as sent, the lineage, and the
parallel lists `_rules` / `_columns` of what failed where.

Uniqueness: within one load, the first row of a primary key in file order is kept; later rows with
the same key are quarantined as `duplicate_key`. Across loads (append datasets, given as the union
of their loads, oldest first), the newest load's passing row of a key wins; an older passing row
of that key is quarantined as `superseded` (a bookkeeping outcome, not counted against the provider),
and an older quarantined row of that key is *released*: listed in `Split.released`, while the row
itself stays in quarantine as history. For snapshots, `previous` (the previous load's quarantine)
gives the rows that the new snapshot releases.

Counts per rule, examples and ratios in `Split.stats` describe the evaluated load (the newest
`_load_id`), so an append dataset is judged on what the provider just sent.

How it runs (Polars, in-memory engine): `evaluate_rules` is one lazy query from the prepared values
to the row outcome; clean and quarantine are one query each (the rows with their flags as bit masks,
the few distinct masks then decoded and gathered); the statistics are one aggregation. Eager
`select`s do not share repeated subexpressions and eager filters copy every column of the frame: both
are avoided.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from catalog.model import Dataset
from catalog.vocabulary import ColumnType
from quality.prepare import ENGINE, ID_BIRTH, ID_SEX, Duplicates, normalized, prepare_lazy, typed_expr, value
from quality.rules import Dimension, Rule, RuleSet, Severity, compile_rule_set, key_label, normalized_columns
from warehouse.ingest import LINEAGE

SUPERSEDED = "superseded"
EXAMPLES = 5
POLARS_TYPES = {  # the Polars type of each catalog column type (clean layer, demo data)
    ColumnType.STRING: pl.String,
    ColumnType.INTEGER: pl.Int64,
    ColumnType.DECIMAL: pl.Float64,
    ColumnType.DATE: pl.Date,
    ColumnType.DATETIME: pl.Datetime("us"),
    ColumnType.BOOLEAN: pl.Boolean,
}
RELEASED_SCHEMA = {"_load_id": pl.String, "_row_number": pl.Int64, "_released_by": pl.String}


@dataclass(frozen=True)
class RuleStat:
    """How often one rule failed in the evaluated load; examples are row numbers, never values."""

    rule: str
    column: str
    severity: str
    dimension: str
    count: int
    examples: tuple[int, ...] = ()
    details: tuple[tuple[str, int], ...] = ()

    def merged(self, other: RuleStat) -> RuleStat:
        details = dict(self.details)
        for code, n in other.details:
            details[code] = details.get(code, 0) + n
        examples = tuple(sorted({*self.examples, *other.examples})[:EXAMPLES])
        return RuleStat(
            self.rule,
            self.column,
            self.severity,
            self.dimension,
            self.count + other.count,
            examples,
            tuple(sorted(details.items())),
        )


@dataclass(frozen=True)
class Stats:
    """Counts of one split. `rows/clean/quarantined` cover every row given; `load_*` the evaluated load."""

    rows: int
    clean: int
    quarantined: int
    load_id: str | None
    load_rows: int
    load_quarantined: int
    dimension_rows: dict[str, int]
    rules: tuple[RuleStat, ...]
    normalized: dict[str, int]
    skipped: tuple[str, ...] = ()
    superseded: int = 0
    released: int = 0
    newest_event: date | datetime | None = None

    @property
    def failing(self) -> list[RuleStat]:
        """Rules that failed at least once, most frequent first."""
        return sorted((r for r in self.rules if r.count), key=lambda r: (-r.count, r.rule, r.column))

    def count(self, rule: str) -> int:
        return sum(r.count for r in self.rules if r.rule == rule)

    def merged(self, other: Stats) -> Stats:
        """Stats of two disjoint parts of one split (chunks or key buckets of the same loads)."""
        rules = {(r.rule, r.column): r for r in self.rules}
        for r in other.rules:
            rules[(r.rule, r.column)] = rules[(r.rule, r.column)].merged(r) if (r.rule, r.column) in rules else r
        events = [e for e in (self.newest_event, other.newest_event) if e is not None]
        return Stats(
            rows=self.rows + other.rows,
            clean=self.clean + other.clean,
            quarantined=self.quarantined + other.quarantined,
            load_id=self.load_id or other.load_id,
            load_rows=self.load_rows + other.load_rows,
            load_quarantined=self.load_quarantined + other.load_quarantined,
            dimension_rows=_add(self.dimension_rows, other.dimension_rows),
            rules=tuple(rules.values()),
            normalized=_add(self.normalized, other.normalized),
            skipped=tuple(dict.fromkeys((*self.skipped, *other.skipped))),
            superseded=self.superseded + other.superseded,
            released=self.released + other.released,
            newest_event=max(events) if events else None,
        )


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in {*a, *b}}


@dataclass(frozen=True)
class Split:
    """The outcome of one split; `released` lists (load, row) of quarantined rows a later row corrected."""

    clean: pl.DataFrame
    quarantine: pl.DataFrame
    released: pl.DataFrame
    stats: Stats

    @property
    def clean_rows(self) -> int:
        return self.clean.height

    @property
    def quarantined_rows(self) -> int:
        return self.quarantine.height


def newest_load(raw: pl.DataFrame) -> str | None:
    """The newest `_load_id` of a frame (load ids sort by their ingestion timestamp)."""
    return raw.get_column("_load_id").max() if raw.height else None


def _conform(dataset: Dataset, raw: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in ("_load_id", "_row_number") if c not in raw.columns]
    if missing:
        raise ValueError(f"raw frame of {dataset.id} lacks lineage column(s) {', '.join(missing)}")
    columns = [
        pl.col(c.name).cast(pl.String) if c.name in raw.columns else pl.lit(None, pl.String).alias(c.name)
        for c in dataset.columns
    ]
    lineage = [pl.col(c) for c in LINEAGE if c in raw.columns]
    # One chunk per column: a query over multi-chunk columns copies every column it passes through
    # (a Parquet read gives one chunk per row group; 0.09 s per query on a million rows, several queries
    # a split), one rechunk here copies them once (0.03-0.05 s).
    return raw.select(*columns, *lineage).rechunk()


def _rule_col(i: int) -> str:
    return f"__r{i}"


def _supersession(dataset: Dataset, multi_load: bool) -> list[pl.Expr]:
    """Across loads, the newest passing row of a key wins (`__superseded`, `__released_by`)."""
    if not dataset.primary_key or not multi_load:
        return [pl.lit(False).alias("__superseded"), pl.lit(None, pl.String).alias("__released_by")]
    keys = [value(k) for k in dataset.primary_key]
    candidate = ~pl.col("__failed") & pl.all_horizontal(k.is_not_null() for k in keys)
    latest = pl.when(candidate).then(pl.col("_load_id")).max().over(keys)
    return [
        (candidate & (pl.col("_load_id") < latest)).fill_null(False).alias("__superseded"),
        pl.when(pl.col("__failed") & (latest > pl.col("_load_id"))).then(latest).alias("__released_by"),
    ]


def _several_loads(loads: pl.Series) -> bool:
    """`loads.n_unique() > 1`, from min and max (a tenth of the cost of hashing a million load ids)."""
    return loads.min() != loads.max() or 0 < loads.null_count() < loads.len()


def evaluate_rules(
    dataset: Dataset, raw: pl.DataFrame, rule_set: RuleSet, today: date, duplicates: Duplicates = None
) -> pl.DataFrame:
    """The raw frame with prepared values, one boolean column per rule and the row outcome flags.

    One query from the prepared values to the outcome; `duplicates` as in `prepare_lazy`.
    """
    errors = [_rule_col(i) for i, r in enumerate(rule_set.rules) if r.severity == Severity.ERROR]
    multi_load = _several_loads(raw.get_column("_load_id"))
    return (
        prepare_lazy(dataset, raw, today, duplicates)
        .with_columns(r.expr.alias(_rule_col(i)) for i, r in enumerate(rule_set.rules))
        .with_columns(pl.any_horizontal(errors).alias("__failed") if errors else pl.lit(False).alias("__failed"))
        .with_columns(_supersession(dataset, multi_load))
        .with_columns((pl.col("__failed") | pl.col("__superseded")).alias("__quarantined"))
        .select(pl.exclude(ID_BIRTH, ID_SEX))  # read by rules only: not computed when no rule reads them
        .collect(engine=ENGINE)
    )


_MASK_BITS = 63


def _decode(masks: tuple[int, ...], names: dict[str, list[str | None]]) -> dict[str, list[str]]:
    set_bits = [i for i in range(len(next(iter(names.values())))) if masks[i // _MASK_BITS] >> (i % _MASK_BITS) & 1]
    return {out: [labels[i] for i in set_bits if labels[i] is not None] for out, labels in names.items()}


def _mask_exprs(flags: list[str]) -> dict[str, pl.Expr]:
    """Bit masks of the boolean `flags` (null counts as false), 63 flags per UInt64 column."""
    starts = range(0, len(flags), _MASK_BITS)
    return {
        f"__mask{j}": pl.sum_horizontal(
            pl.col(flag).fill_null(False).cast(pl.UInt64) * (1 << (i - start))
            for i, flag in enumerate(flags[start : start + _MASK_BITS], start)
        )
        for j, start in enumerate(starts)
    }


def _name_lookup(combos: pl.DataFrame, names: dict[str, list[str | None]]) -> pl.DataFrame:
    decoded = [_decode(row, names) for row in combos.iter_rows()]
    return combos.with_columns(pl.Series(out, [d[out] for d in decoded], dtype=pl.List(pl.String)) for out in names)


def _combo_index(rows: pl.DataFrame, combos: pl.DataFrame) -> pl.Series:
    """For each row of `rows` (the mask columns), the index of its mask combination in `combos` (sorted)."""
    masks = combos.columns
    if len(masks) == 1:  # up to 63 flags: a binary search in the few sorted masks (replace_strict: 1.6x)
        return combos.get_column(masks[0]).search_sorted(rows.get_column(masks[0]))
    numbered = combos.with_row_index("__combo")
    return rows.join(numbered, on=masks, how="left", maintain_order="left").get_column("__combo")


def _with_name_lists(
    lazy: pl.LazyFrame, flags: list[str], names: dict[str, list[str | None]], output: list[pl.Expr]
) -> pl.DataFrame:
    """Collect `output` of `lazy`, where the outputs named in `names` are list columns: for each, the
    labels of the boolean `flags` true on the row (`names[out][i]` labels `flags[i]`; None: not listed
    in that output, so outputs can be parallel lists).

    Rows are encoded as bit masks in the one query that materializes them, and the few distinct masks
    decoded once, then gathered (building the lists with `concat_list` over when/then measured ~40x
    slower: 2.5 s per 100k rows, 25 rules). A second query for the distinct masks and a join back
    cost 15-20 % more CPU on a batch of 500k rows.
    """
    listed = {o.meta.output_name() for o in output} & set(names)
    if not flags or not listed:
        empty = [pl.lit([], dtype=pl.List(pl.String)).alias(out) for out in listed]
        return lazy.with_columns(empty).select(output).collect(engine=ENGINE)
    masks = _mask_exprs(flags)
    rows = lazy.select(*(o for o in output if o.meta.output_name() not in listed), **masks).collect(engine=ENGINE)
    keys = rows.select(list(masks))
    combos = _name_lookup(keys.unique().sort(list(masks)), {out: names[out] for out in listed})
    index = _combo_index(keys, combos.select(list(masks)))
    lists = {out: combos.get_column(out).gather(index) for out in listed}
    return rows.with_columns(**lists).select(o.meta.output_name() for o in output)


def _lineage(frame: pl.DataFrame) -> list[str]:
    return [c for c in LINEAGE if c in frame.columns]


def _clean(dataset: Dataset, frame: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    changed = normalized_columns(dataset)
    warnings = [(i, r) for i, r in enumerate(rules) if r.severity == Severity.WARNING]
    flags = [f"__n_{c}" for c in changed] + [_rule_col(i) for i, _ in warnings]
    names = {
        "_normalized": [*changed, *(None for _ in warnings)],
        "_flags": [*(None for _ in changed), *(r.key for _, r in warnings)],
    }
    kept = frame.lazy().filter(~pl.col("__quarantined"))
    output = [
        *(value(c.name).cast(POLARS_TYPES[c.type]).alias(c.name) for c in dataset.columns),
        *(pl.col(c) for c in _lineage(frame)),
        pl.col("_normalized"),
        pl.col("_flags"),
    ]
    return _with_name_lists(kept, flags, names, output)


def _quarantine(dataset: Dataset, frame: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    flags = [*(_rule_col(i) for i in range(len(rules))), "__superseded"]
    names: dict[str, list[str | None]] = {
        "_rules": [*(r.name for r in rules), SUPERSEDED],
        "_columns": [*(r.column for r in rules), key_label(dataset)],
    }
    held = frame.lazy().filter(pl.col("__quarantined"))
    output = [
        *(pl.col(c.name) for c in dataset.columns),
        *(pl.col(c) for c in _lineage(frame)),
        pl.col("_rules"),
        pl.col("_columns"),
    ]
    return _with_name_lists(held, flags, names, output)


def _released(
    dataset: Dataset, frame: pl.DataFrame, previous: pl.DataFrame | None, clean: pl.DataFrame, load_id: str | None
) -> pl.DataFrame:
    within = (
        frame.lazy()
        .filter(pl.col("__released_by").is_not_null())
        .select("_load_id", "_row_number", pl.col("__released_by").alias("_released_by"))
        .collect(engine=ENGINE)
    )
    if previous is None or previous.height == 0 or not dataset.primary_key or load_id is None:
        return within.cast(RELEASED_SCHEMA)
    keys = dataset.primary_key
    earlier = (
        previous.lazy()
        .filter(pl.col("_load_id") != load_id)
        .select("_load_id", "_row_number", *(typed_expr(dataset.column(k)).alias(k) for k in keys))
    )
    now_clean = clean.lazy().select(keys).unique()
    released = earlier.join(now_clean, on=keys, how="semi", nulls_equal=False).select(
        "_load_id", "_row_number", pl.lit(load_id).alias("_released_by")
    )
    return pl.concat([within.cast(RELEASED_SCHEMA), released.collect().cast(RELEASED_SCHEMA)])


def _rule_aggregates(rules: list[Rule]) -> dict[str, pl.Expr]:
    """Per rule, over the scoped rows (`__scope`): failures, the first example rows, reason-code counts."""
    aggregates = {}
    for i, r in enumerate(rules):
        failing = pl.col("__scope") & pl.col(_rule_col(i))
        aggregates[f"c{i}"] = failing.sum()
        aggregates[f"e{i}"] = pl.col("_row_number").filter(failing).head(EXAMPLES).implode()
        if r.detail is not None:
            aggregates[f"k{i}"] = r.detail.alias("code").filter(failing).value_counts().implode()
    return aggregates


def _details(counts: list[dict] | None) -> tuple[tuple[str, int], ...]:
    """(code, count) pairs ordered by code, a null code first (as `group_by(...).len().sort(...)` orders)."""
    pairs = sorted(((c["code"], int(c["count"])) for c in counts or ()), key=lambda p: (p[0] is not None, p[0] or ""))
    return tuple((str(code), n) for code, n in pairs)


def _rule_stats(totals: dict, rules: list[Rule]) -> tuple[RuleStat, ...]:
    stats = []
    for i, r in enumerate(rules):
        count = int(totals[f"c{i}"])
        details = _details(totals[f"k{i}"]) if r.detail is not None and count else ()
        examples = tuple(sorted(totals[f"e{i}"]))
        stats.append(RuleStat(r.name, r.column, r.severity.value, r.dimension.value, count, examples, details))
    return tuple(stats)


def compute_stats(
    dataset: Dataset, frame: pl.DataFrame, rule_set: RuleSet, load_id: str | None, released: int
) -> Stats:
    """Stats of an evaluated frame (see `evaluate_rules`) for the evaluated load.

    One aggregation: the load scope is computed once as a column (Polars does not share a subexpression
    nested in each rule's shared one), then every count, example list and reason-code count.
    """
    rules = rule_set.rules
    scope = pl.col("_load_id") == load_id if load_id is not None else pl.col("_row_number").is_not_null()
    by_dimension = {d.value: [pl.col(_rule_col(i)) for i, r in enumerate(rules) if r.dimension == d] for d in Dimension}
    event = dataset.event_time_column
    in_scope = pl.col("__scope")
    totals = (
        frame.lazy()
        .with_columns(scope.alias("__scope"))
        .select(
            rows=pl.len(),
            quarantined=pl.col("__quarantined").sum(),
            load_rows=in_scope.sum(),
            load_quarantined=(in_scope & pl.col("__failed")).sum(),
            superseded=pl.col("__superseded").sum(),
            newest=value(event).filter(~pl.col("__quarantined")).max() if event else pl.lit(None),
            **{
                f"d_{d}": (in_scope & pl.any_horizontal(cols)).sum() if cols else pl.lit(0)
                for d, cols in by_dimension.items()
            },
            **{f"n_{c}": (in_scope & normalized(c)).sum() for c in normalized_columns(dataset)},
            **_rule_aggregates(rules),
        )
        .collect(engine=ENGINE)
        .row(0, named=True)
    )
    return Stats(
        rows=totals["rows"],
        clean=totals["rows"] - totals["quarantined"],
        quarantined=totals["quarantined"],
        load_id=load_id,
        load_rows=totals["load_rows"],
        load_quarantined=totals["load_quarantined"],
        dimension_rows={d: int(totals[f"d_{d}"]) for d in by_dimension},
        rules=_rule_stats(totals, rules),
        normalized={c: int(totals[f"n_{c}"]) for c in normalized_columns(dataset)},
        skipped=tuple(rule_set.skipped),
        superseded=int(totals["superseded"]),
        released=released,
        newest_event=totals["newest"],
    )


def split_rows(
    dataset: Dataset,
    raw: pl.DataFrame,
    *,
    today: date,
    lookups: Mapping[str, pl.Series] | None = None,
    previous: pl.DataFrame | None = None,
    load_id: str | None = None,
    duplicates: Duplicates = None,
) -> Split:
    """Split `raw` (catalog columns as text plus lineage) into clean and quarantine.

    `lookups` maps "dataset.column" to the clean values of a referenced dataset (a missing lookup skips
    that rule and says so in `stats.skipped`); `previous` is the previous load's quarantine of a snapshot
    dataset; `load_id` the evaluated load (default: the newest in `raw`). For one batch of a larger
    load, `duplicates` flags the rows whose key an earlier row of the whole load has, which the batch
    alone cannot tell: the `KeyLedger` of the load's repeated keys (`quality.stream`).
    """
    raw = _conform(dataset, raw)
    load_id = load_id or newest_load(raw)
    rule_set = compile_rule_set(dataset, today, lookups)
    frame = evaluate_rules(dataset, raw, rule_set, today, duplicates)
    clean = _clean(dataset, frame, rule_set.rules)
    quarantine = _quarantine(dataset, frame, rule_set.rules)
    released = _released(dataset, frame, previous, clean, load_id)
    stats = compute_stats(dataset, frame, rule_set, load_id, released.height)
    return Split(clean, quarantine, released, stats)
