"""Prepare raw text for the row rules: typed values, presence, normalization and validator codes.

`prepare(dataset, raw, today)` keeps the raw columns untouched (a quarantined row must keep what the
agency sent) and adds, per catalog column:

- `__v_<name>`: the value typed per the catalog (identifiers normalized, other text stripped, blanks
  null); `__p_<name>`: whether anything but blanks was sent;
- for identifier columns, `__n_<name>` (normalization changed the value) and `__c_<name>` (the
  validator's reason code, null when valid);
- with one resident-ID column, `__id_birth_date` and `__id_sex` read from IDs the validator accepted;
- with a primary key, `__dup`: the row repeats a key seen earlier in its load.

Each costly step has a fast path measured on a million rows, because it runs on every row of every load:
values are parsed in their canonical spelling first and only the misses re-parsed with every accepted
spelling (all spellings on all rows: 0.60 s against 0.07 s for dates); identifiers are validated as
sent and only the rejected ones normalized and validated again (normalizing every value: 0.4-0.6 s
per column; finding the values normalization changes: 0.055 s); other text is stripped only where a
compiled flag says its first or last character is whitespace (stripping every value: 0.026 s per
column); validators that are not compiled run on distinct values when a column repeats them (an
employer's credit code on every row of its staff: 0.3 s against 0.04 s).

The data-dependent steps (which rows to parse again, which values to normalize, which keys repeat)
run eagerly on few rows; the per-row columns are lazy expressions evaluated in one in-memory query,
where Polars runs columns in parallel and drops what nothing downstream reads (`prepare_lazy`).
"""

from __future__ import annotations

import inspect
from datetime import date

import polars as pl

from catalog.model import Column, Dataset
from catalog.vocabulary import ColumnType, Entity
from quality.duplicates import DUPLICATE, KeyLedger, duplicate_flags
from quality.validators.compiled import needs_strip_expr
from quality.validators.normalize import normalize_identifier_expr, was_normalized_expr
from quality.validators.registry import VALIDATORS, Validator

ID_BIRTH, ID_SEX = "__id_birth_date", "__id_sex"
# The `__dup` flags of a batch of a larger load come from the ledger of the load's repeated keys.
Duplicates = KeyLedger | None
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")
_MONTH_PATTERN = r"^(\d{4})[-/.年]?(\d{1,2})月?$"
_TRUE = ("1", "true", "t", "yes", "y", "是")
_FALSE = ("0", "false", "f", "no", "n", "否")
# Full-width digits, point and signs become ASCII; blanks and thousands separators go.
_NUMERIC_FOLD = {chr(0xFF10 + d): str(d) for d in range(10)} | {
    "．": ".",
    "－": "-",
    "＋": "+",
    "，": "",
    ",": "",
    " ": "",
    "\u3000": "",
    "\u00a0": "",
}
NUMBER_TYPES = {ColumnType.INTEGER: pl.Int64, ColumnType.DECIMAL: pl.Float64}
# Below this share of distinct values, a validator runs on the distinct values and is mapped back
# (measured: at 25 % distinct, finding the distinct values costs about what it saves).
_DISTINCT_SHARE = 0.1
# Frames here are in memory already: the in-memory engine runs a query's columns in parallel, and ran
# the validators 1.5-2x cheaper than the streaming engine (the default of `collect`) in CPU time.
ENGINE = "in-memory"


def value(name: str) -> pl.Expr:
    """The typed, normalized value of a catalog column in the prepared frame."""
    return pl.col(f"__v_{name}")


def present(name: str) -> pl.Expr:
    """True where the agency sent something other than blanks for the column."""
    return pl.col(f"__p_{name}")


def normalized(name: str) -> pl.Expr:
    """True where identifier normalization changed the value as sent."""
    return pl.col(f"__n_{name}")


def code(name: str) -> pl.Expr:
    """The validator's reason code for an identifier column (null when valid)."""
    return pl.col(f"__c_{name}")


def validator_for(column: Column) -> Validator | None:
    """The registered validator of the column's entity, if any (identifiers are string columns)."""
    return VALIDATORS.get(column.entity) if column.entity and column.type == ColumnType.STRING else None


def identifier_columns(dataset: Dataset) -> list[Column]:
    """Columns normalized (and the change recorded) and validated as identifiers."""
    return [c for c in dataset.columns if validator_for(c) is not None]


def _blank_to_null(e: pl.Expr) -> pl.Expr:
    # `replace` costs half of `when(len > 0).then(e)` on a million stripped strings.
    return e.replace("", None)


def _sent_expr(raw: pl.Expr) -> pl.Expr:
    """Anything but blanks was sent (False for null)."""
    return (raw.str.strip_chars().str.len_bytes() > 0).fill_null(False)


def _parse_date(s: pl.Expr) -> pl.Expr:
    month = s.str.extract_groups(_MONTH_PATTERN)
    year, number = month.struct[0].cast(pl.Int32, strict=False), month.struct[1].cast(pl.Int8, strict=False)
    first_of_month = pl.date(year, number, 1)
    return pl.coalesce(
        *(s.str.to_date(f, strict=False) for f in DATE_FORMATS),
        *(s.str.to_datetime(f, strict=False).dt.date() for f in DATETIME_FORMATS[:2]),
        pl.when(s.str.len_bytes() <= 10).then(first_of_month),
    )


def _parse_datetime(s: pl.Expr) -> pl.Expr:
    return pl.coalesce(
        *(s.str.to_datetime(f, strict=False, time_unit="us") for f in DATETIME_FORMATS),
        *(s.str.to_date(f, strict=False).cast(pl.Datetime("us")) for f in DATE_FORMATS[:3]),
    )


def _parse_boolean(s: pl.Expr) -> pl.Expr:
    lowered = s.str.to_lowercase()
    return pl.when(lowered.is_in(_TRUE)).then(True).when(lowered.is_in(_FALSE)).then(False)


def typed_expr(column: Column) -> pl.Expr:
    """The column's raw text parsed to its catalog type, every accepted spelling; null if blank or unparseable.

    Identifiers are normalized, other text stripped. Numbers accept full-width digits and thousands
    separators; dates `2024-01-02`, `2024/1/2`, `20240102`, `2024.01.02`, `2024年1月2日`, a year-month
    (first of the month) and a midnight timestamp; datetimes the usual `-`/`/`/`T` forms or a bare date.
    """
    raw = pl.col(column.name)
    if column.type == ColumnType.STRING:
        if validator_for(column) is not None:
            return _blank_to_null(normalize_identifier_expr(raw))
        return _blank_to_null(raw.str.strip_chars())
    stripped = raw.str.strip_chars()
    if column.type in NUMBER_TYPES:
        return stripped.str.replace_many(_NUMERIC_FOLD).cast(NUMBER_TYPES[column.type], strict=False)
    if column.type == ColumnType.DATE:
        return _parse_date(stripped)
    if column.type == ColumnType.DATETIME:
        return _parse_datetime(stripped)
    return _parse_boolean(stripped)


def _fast_typed_expr(column: Column) -> pl.Expr:
    """`typed_expr` for the canonical spelling only; text as sent (blanks null: identifiers are normalized
    where their validator rejects them, other text stripped where `_text_to_strip` flags it)."""
    raw = pl.col(column.name)
    if column.type == ColumnType.STRING:
        return _blank_to_null(raw)
    if column.type in NUMBER_TYPES:
        return raw.cast(NUMBER_TYPES[column.type], strict=False)
    if column.type == ColumnType.DATE:
        return raw.str.to_date(DATE_FORMATS[0], strict=False)
    if column.type == ColumnType.DATETIME:
        return raw.str.to_datetime(DATETIME_FORMATS[0], strict=False, time_unit="us")
    return typed_expr(column)


def _text_to_strip(name: str) -> pl.Expr:
    """The text column's values that stripping changes (`__s_<name>`): only those are stripped."""
    return pl.col(f"__s_{name}")


def _first_pass(columns: list[Column]) -> list[pl.Expr]:
    exprs: list[pl.Expr] = []
    for c in columns:
        exprs.append(_fast_typed_expr(c).alias(f"__v_{c.name}"))
        if validator_for(c) is not None:
            exprs.append(pl.lit(False).alias(f"__n_{c.name}"))  # set where `_second_pass` normalizes
        elif c.type == ColumnType.STRING:
            exprs.append(needs_strip_expr(pl.col(c.name)).alias(f"__s_{c.name}"))
    return exprs


def _redo_rows(column: Column) -> pl.Expr:
    """The rows whose first-pass values must be recomputed."""
    if validator_for(column) is not None:
        return code(column.name).is_not_null().arg_true()  # rejected as sent
    if column.type == ColumnType.STRING:
        return _text_to_strip(column.name).arg_true()
    # A typed value implies text was sent; the rest is parsed again (blank text parses to null too).
    return (value(column.name).is_null() & pl.col(column.name).is_not_null()).arg_true()


def _redo_steps(column: Column, today: date) -> list[dict[str, pl.Expr]]:
    """What `_redo` recomputes for a column, step after step (target column -> expression): identifiers
    are normalized, then validated again; other values typed with every accepted spelling."""
    raw = pl.col(column.name)
    validator = validator_for(column)
    if validator is not None:
        again = {f"__c_{column.name}": problem_expr(validator, value(column.name), today).cast(pl.String)}
        return [{f"__v_{column.name}": typed_expr(column), f"__n_{column.name}": was_normalized_expr(raw)}, again]
    if column.type == ColumnType.STRING:
        return [{f"__v_{column.name}": typed_expr(column)}]  # presence follows from the value (`_third_pass`)
    return [{f"__v_{column.name}": typed_expr(column), f"__p_{column.name}": _sent_expr(raw)}]


def _redo(frame: pl.DataFrame, work: list[tuple[pl.Series, str, list[dict[str, pl.Expr]]]]) -> pl.DataFrame:
    """For each (rows, column, steps): recompute the steps' targets from `column` on those rows only.

    One parallel collect for every column and one update of the frame: a query per column and step
    cost ~1 ms each whatever the rows, 10-15 ms of fixed cost per split.
    """
    queries = []
    for rows, column, steps in work:
        query = frame.lazy().select(pl.col(column).gather(rows))
        for exprs in steps:
            query = query.with_columns(**exprs)
        queries.append(query)
    updates = {}
    for (rows, _, steps), again in zip(work, pl.collect_all(queries, engine=ENGINE), strict=True):
        for target in (t for exprs in steps for t in exprs):
            updates[target] = frame.get_column(target).scatter(rows, again.get_column(target))
    return frame.with_columns(**updates) if updates else frame


def _second_pass(columns: list[Column], frame: pl.DataFrame, today: date) -> pl.DataFrame:
    """Normalize and validate again the identifiers their validator rejected as sent, strip the text
    that needs it, re-parse the typed values the fast parse missed.

    A value its validator accepts as sent is normalized already (no validator accepts a lowercase,
    blank, dash or full-width character: tested), so only rejected values need normalizing (finding
    the values that normalization would change took a regex over every value: 0.055-0.095 s per
    column and million rows). Presence of typed columns comes from the typed value where there is
    one (strip and measure every value: 25 ms per column and million rows), from the text on the
    rows parsed again.
    """
    typed = [c for c in columns if c.type != ColumnType.STRING]
    frame = frame.with_columns(value(c.name).is_not_null().alias(f"__p_{c.name}") for c in typed)
    if not columns:
        return frame
    found = frame.select(_redo_rows(c).implode().alias(c.name) for c in columns)
    rows = {c.name: found.get_column(c.name)[0] for c in columns}
    # Steps only for the columns with rows to redo: building every column's cost ~6 ms a split.
    return _redo(frame, [(rows[c.name], c.name, _redo_steps(c, today)) for c in columns if rows[c.name].len()])


def problem_expr(validator: Validator, e: pl.Expr, today: date) -> pl.Expr:
    """The validator's reason-code expression, given `today` where it judges dates (resident IDs)."""
    if "today" in inspect.signature(validator.problem_expr).parameters:
        return validator.problem_expr(e, today=today)
    return validator.problem_expr(e)


def _code_expr(raw: pl.DataFrame, column: Column, today: date) -> pl.Expr:
    """A column's validator codes on the values as sent (null for blanks: the presence rule judges
    those); on its distinct values, looked up, when it repeats them a lot and its check is not compiled
    (a compiled check costs less per value than finding the distinct values: 0.012 s per million).

    The validator reads the raw column itself, blanks masked afterwards: given `replace("", None)` of
    it, Polars recomputed that replacement for each of the validator's several reads. Only the failing
    distinct values are looked up (null, i.e. valid, otherwise): mapping all of them back cost 0.19 s
    per million rows of 250k distinct values, the failing ones 0.02 s.
    """
    sent, validator = raw.get_column(column.name), validator_for(column)
    if validator.compiled or not (sent.len() and sent.approx_n_unique() < _DISTINCT_SHARE * sent.len()):
        problem = problem_expr(validator, pl.col(column.name), today).cast(pl.String)
        return pl.when(pl.col(column.name) != "").then(problem)
    problem = problem_expr(validator, pl.col("v"), today).cast(pl.String).alias("c")
    distinct = sent.unique().to_frame("v").lazy().select(_blank_to_null(pl.col("v")))
    failing = distinct.select("v", problem).filter(pl.col("c").is_not_null()).collect(engine=ENGINE)
    return pl.col(column.name).replace_strict(
        failing.get_column("v"), failing.get_column("c"), default=None, return_dtype=pl.String
    )


def typed_key(dataset: Dataset) -> list[str]:
    """The prepared frame's columns of the typed, normalized primary key (`quality.duplicates` reads them)."""
    return [f"__v_{k}" for k in dataset.primary_key]


def _third_pass(dataset: Dataset, frame: pl.DataFrame, duplicates: Duplicates) -> pl.LazyFrame:
    """Presence of text columns, duplicates, birth date and sex from the resident ID.

    Lazy: Polars drops the ID-derived fields when nothing downstream reads them.
    """
    text = [c.name for c in dataset.columns if c.type == ColumnType.STRING]
    if duplicates is not None:
        flags = duplicates.flags(frame).alias(DUPLICATE)
    elif dataset.primary_key:
        flags = duplicate_flags(frame, typed_key(dataset))
    else:
        flags = pl.lit(False).alias(DUPLICATE)
    lazy = frame.lazy().with_columns(
        flags,
        *(value(name).is_not_null().alias(f"__p_{name}") for name in text),
    )
    rid = resident_id_column(dataset)
    return lazy.with_columns(_id_birth_and_sex(rid)) if rid is not None else lazy


def resident_id_column(dataset: Dataset) -> Column | None:
    """The dataset's resident-ID column when there is exactly one (row consistency pairs with it)."""
    ids = [c for c in identifier_columns(dataset) if c.entity == Entity.CN_RESIDENT_ID]
    return ids[0] if len(ids) == 1 else None


def _id_birth_and_sex(column: Column) -> list[pl.Expr]:
    """Birth date and sex read from resident IDs the validator accepted (null otherwise).

    The validator has checked the shape, so plain slices suffice (5-6x cheaper than the guarded
    `resident_id_birth_date_expr` / `resident_id_sex_expr`, which they equal on accepted numbers).
    """
    e = value(column.name)
    accepted = sorted(validator_for(column).accepted)
    usable = e.is_not_null() & (code(column.name).is_null() | code(column.name).is_in(accepted))
    long = e.str.len_bytes() == 18
    digits = pl.when(long).then(e.str.slice(6, 8)).otherwise(pl.lit("19") + e.str.slice(6, 6))
    sequence = pl.when(long).then(e.str.slice(16, 1)).otherwise(e.str.slice(14, 1)).cast(pl.Int8, strict=False)
    return [
        pl.when(usable).then(digits.str.to_date("%Y%m%d", strict=False)).alias(ID_BIRTH),
        pl.when(usable).then(pl.when(sequence % 2 == 1).then(pl.lit("M")).otherwise(pl.lit("F"))).alias(ID_SEX),
    ]


def _codes(identifiers: list[Column], raw: pl.DataFrame, today: date) -> list[pl.Expr]:
    """`__c_<name>`: validator codes of the identifiers as sent."""
    return [_code_expr(raw, c, today).alias(f"__c_{c.name}") for c in identifiers]


def prepare_lazy(dataset: Dataset, raw: pl.DataFrame, today: date, duplicates: Duplicates = None) -> pl.LazyFrame:
    """`prepare` as a lazy frame: the data-dependent passes done, the per-row columns still to compute.

    `duplicates`, when given, is the ledger of the load's repeated keys, which gives the `__dup` flags
    of `raw`, the next batch of a larger load in file order.
    """
    return _third_pass(dataset, prepared_values(dataset.columns, raw, today), duplicates)


def prepared_values(columns: list[Column], raw: pl.DataFrame, today: date) -> pl.DataFrame:
    """`raw` with the typed, normalized values of `columns`, and the validator codes of the identifiers
    among them, by the fast path: identifiers validated as sent, only the rejected ones normalized.

    Equal to `typed_expr` and `was_normalized_expr` of every value (tested); the streamed
    split types the primary key this way too (the regex that finds normalizable values cost more than
    a compiled check).
    """
    identifiers = [c for c in columns if validator_for(c) is not None]
    # One query for the first pass and the codes: one per step left a core idle.
    first = raw.lazy().with_columns(*_first_pass(columns), *_codes(identifiers, raw, today)).collect(engine=ENGINE)
    return _second_pass(columns, first, today)


def prepare(dataset: Dataset, raw: pl.DataFrame, today: date) -> pl.DataFrame:
    """`raw` (catalog columns as text) with every prepared column the rules read."""
    return prepare_lazy(dataset, raw, today).collect(engine=ENGINE)
