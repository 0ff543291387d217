"""Compile a catalog entry into row rules: Polars expressions that are true where a row fails.

No code per dataset (art. 10): every rule comes from a column declaration. `required` gives a
completeness rule, `type` a parse rule (`bad_type`), `values` and `min`/`max` accuracy rules, an entity
with a registered validator an identifier rule, `references` a cross-dataset consistency rule, the
primary key a uniqueness rule; a resident-ID column next to a birth-date or sex column gives row-level
consistency rules.

Rules are evaluated in two steps, both plain Polars: `quality.prepare.prepare` adds typed, normalized
values (`value(name)`), presence and normalization flags and validator codes beside the raw strings,
then each rule's `expr` reads those columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import polars as pl

from catalog.model import Column, Dataset
from catalog.vocabulary import ColumnType, Entity
from quality.prepare import (
    DUPLICATE,
    ID_BIRTH,
    ID_SEX,
    code,
    identifier_columns,
    present,
    resident_id_column,
    validator_for,
    value,
)

REQUIRED = "required"
BAD_TYPE = "bad_type"
NOT_IN_VALUES = "not_in_values"
OUT_OF_RANGE = "out_of_range"
FUTURE_DATE = "future_date"
DUPLICATE_KEY = "duplicate_key"
BIRTH_DATE_MISMATCH = "birth_date_mismatch"
SEX_MISMATCH = "sex_mismatch"
REFERENCE_MISSING = "reference_missing"
LEGACY_RESIDENT_ID = "legacy_resident_id"

# Rule names of the codes a validator accepts (valid but outdated): flagged, the row stays clean.
ACCEPTED_CODE_RULES = {"legacy_15": LEGACY_RESIDENT_ID}

_SEX_CODES = {"男": "M", "女": "F", "M": "M", "F": "F", "m": "M", "f": "F"}


class Severity(StrEnum):
    """ERROR sends the row to quarantine; WARNING keeps it clean and flags it."""

    ERROR = "error"
    WARNING = "warning"


class Dimension(StrEnum):
    """The quality dimensions of art. 10 that a row rule counts against."""

    COMPLETENESS = "completeness"
    ACCURACY = "accuracy"
    UNIQUENESS = "uniqueness"
    CONSISTENCY = "consistency"
    TIMELINESS = "timeliness"


@dataclass(frozen=True)
class Rule:
    """One row rule; `expr` (over the prepared frame) is true where the row fails it.

    `detail`, when set, gives a reason code for failing rows (a validator's code such as
    `bad_check_char`), counted in the statistics; it never carries the value itself.
    """

    name: str
    column: str
    severity: Severity
    expr: pl.Expr
    dimension: Dimension
    detail: pl.Expr | None = None

    @property
    def key(self) -> str:
        return f"{self.name}:{self.column}"


@dataclass(frozen=True)
class RuleSet:
    """The compiled rules of one dataset and the rules that could not be applied (with why)."""

    rules: list[Rule]
    skipped: list[str] = field(default_factory=list)


def normalized_columns(dataset: Dataset) -> list[str]:
    """Columns whose values are normalized (and the change recorded) before validation."""
    return [c.name for c in identifier_columns(dataset)]


def _completeness_rules(dataset: Dataset) -> list[Rule]:
    required = [c for c in dataset.columns if c.required or c.name in dataset.primary_key]
    return [Rule(REQUIRED, c.name, Severity.ERROR, ~present(c.name), Dimension.COMPLETENESS) for c in required]


def _type_rules(dataset: Dataset) -> list[Rule]:
    typed = [c for c in dataset.columns if c.type != ColumnType.STRING]
    return [
        Rule(BAD_TYPE, c.name, Severity.ERROR, present(c.name) & value(c.name).is_null(), Dimension.ACCURACY)
        for c in typed
    ]


def _value_rules(dataset: Dataset) -> list[Rule]:
    rules = []
    for c in dataset.columns:
        if c.values is not None:
            failed = value(c.name).cast(pl.String).is_in(c.values).not_()
            rules.append(Rule(NOT_IN_VALUES, c.name, Severity.ERROR, failed.fill_null(False), Dimension.ACCURACY))
        if c.type in (ColumnType.INTEGER, ColumnType.DECIMAL) and (c.min is not None or c.max is not None):
            v = value(c.name)
            failed = pl.lit(False)
            if c.min is not None:
                failed = failed | (v < c.min)
            if c.max is not None:
                failed = failed | (v > c.max)
            rules.append(Rule(OUT_OF_RANGE, c.name, Severity.ERROR, failed.fill_null(False), Dimension.ACCURACY))
    return rules


def _after_today(column: Column, today: date) -> pl.Expr:
    if column.type == ColumnType.DATETIME:
        return value(column.name) >= datetime.combine(today + timedelta(days=1), time())
    return value(column.name) > today


def _future_rules(dataset: Dataset, today: date) -> list[Rule]:
    """Birth dates and event times after today cannot be true."""
    columns = [
        c
        for c in dataset.columns
        if c.type in (ColumnType.DATE, ColumnType.DATETIME)
        and (c.entity == Entity.DATE_OF_BIRTH or c.name == dataset.event_time_column)
    ]
    return [
        Rule(FUTURE_DATE, c.name, Severity.ERROR, _after_today(c, today).fill_null(False), Dimension.ACCURACY)
        for c in columns
    ]


def _accepted_rule_name(entity: str, accepted: str) -> str:
    return ACCEPTED_CODE_RULES.get(accepted, f"{entity.removeprefix('CN_').lower()}_{accepted}")


def _entity_rules(dataset: Dataset) -> list[Rule]:
    """A value failing its validator quarantines the row; an accepted code (legacy 15-digit ID) flags it."""
    rules = []
    for c in dataset.columns:
        validator = validator_for(c)
        if validator is None:
            continue
        accepted = sorted(validator.accepted)
        hard = code(c.name).is_not_null() & ~code(c.name).is_in(accepted)
        name = "invalid_" + str(c.entity).removeprefix("CN_").lower()
        rules.append(Rule(name, c.name, Severity.ERROR, hard, Dimension.ACCURACY, detail=code(c.name)))
        rules.extend(
            Rule(
                _accepted_rule_name(c.entity, a),
                c.name,
                Severity.WARNING,
                (code(c.name) == a).fill_null(False),
                Dimension.ACCURACY,
            )
            for a in accepted
        )
    return rules


def _sex_column(dataset: Dataset) -> Column | None:
    for c in dataset.columns:
        values = set(c.values or ())
        if c.type == ColumnType.STRING and (c.name == "sex" or (values and values <= set(_SEX_CODES))):
            return c
    return None


def _birth_columns(dataset: Dataset) -> list[Column]:
    return [c for c in dataset.columns if c.entity == Entity.DATE_OF_BIRTH and c.type == ColumnType.DATE]


def _row_consistency_applies(dataset: Dataset) -> bool:
    return bool(_birth_columns(dataset) or _sex_column(dataset))


def _row_consistency_rules(dataset: Dataset) -> tuple[list[Rule], list[str]]:
    """Birth date and sex must agree with the (single) resident-ID column of the row."""
    ids = [c for c in identifier_columns(dataset) if c.entity == Entity.CN_RESIDENT_ID]
    if not ids or not _row_consistency_applies(dataset):
        return [], []
    if resident_id_column(dataset) is None:
        return [], [f"{BIRTH_DATE_MISMATCH}/{SEX_MISMATCH}: several resident-ID columns, pairing is ambiguous"]
    rules = [
        Rule(
            BIRTH_DATE_MISMATCH,
            b.name,
            Severity.ERROR,
            (pl.col(ID_BIRTH) != value(b.name)).fill_null(False),
            Dimension.CONSISTENCY,
        )
        for b in _birth_columns(dataset)
    ]
    sex = _sex_column(dataset)
    if sex is not None:
        stated = value(sex.name).replace_strict(_SEX_CODES, default=None, return_dtype=pl.String)
        rules.append(
            Rule(
                SEX_MISMATCH,
                sex.name,
                Severity.ERROR,
                (pl.col(ID_SEX) != stated).fill_null(False),
                Dimension.CONSISTENCY,
            )
        )
    return rules, []


def _reference_rules(dataset: Dataset, lookups: Mapping[str, pl.Series]) -> tuple[list[Rule], list[str]]:
    """A cited code must exist in the referenced dataset's clean layer; a warning, the registry may lag.

    Only values that pass their own validator are looked up: an invalid code is already reported.
    """
    rules, skipped = [], []
    for c in dataset.columns:
        if not c.references:
            continue
        known = lookups.get(c.references)
        if known is None:
            skipped.append(f"{REFERENCE_MISSING}:{c.name} (no clean values of {c.references} available)")
            continue
        missing = value(c.name).is_not_null() & ~value(c.name).cast(pl.String).is_in(known.cast(pl.String).implode())
        if validator_for(c) is not None:
            missing = missing & code(c.name).is_null()
        rules.append(Rule(REFERENCE_MISSING, c.name, Severity.WARNING, missing.fill_null(False), Dimension.CONSISTENCY))
    return rules, skipped


def key_label(dataset: Dataset) -> str:
    """How a primary-key rule names its column(s): `a+b` for a composite key."""
    return "+".join(dataset.primary_key)


def _uniqueness_rules(dataset: Dataset) -> list[Rule]:
    """Within one load, the first row of a key (in file order) wins; later rows with that key fail."""
    if not dataset.primary_key:
        return []
    return [Rule(DUPLICATE_KEY, key_label(dataset), Severity.ERROR, pl.col(DUPLICATE), Dimension.UNIQUENESS)]


def compile_rule_set(dataset: Dataset, today: date, lookups: Mapping[str, pl.Series] | None = None) -> RuleSet:
    """Every row rule of the dataset, and the rules skipped for want of a lookup or a clear pairing."""
    consistency, skipped_rows = _row_consistency_rules(dataset)
    references, skipped_refs = _reference_rules(dataset, lookups or {})
    rules = [
        *_completeness_rules(dataset),
        *_type_rules(dataset),
        *_value_rules(dataset),
        *_future_rules(dataset, today),
        *_entity_rules(dataset),
        *consistency,
        *references,
        *_uniqueness_rules(dataset),
    ]
    return RuleSet(rules, [*skipped_rows, *skipped_refs])


def compile_rules(dataset: Dataset, today: date, lookups: Mapping[str, pl.Series] | None = None) -> list[Rule]:
    """The dataset's row rules; each `expr` is true where a row fails (over the frame `prepare` returns)."""
    return compile_rule_set(dataset, today, lookups).rules
