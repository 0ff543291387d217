"""The dataset gate: a fixed list of dataset-level checks over one split, blocking or warning.

A blocking check that fails stops desensitization and publication of the load (the Dagster asset
check is declared `blocking=True`); a warning is reported and scored but lets the load through.
Ratios are taken over the evaluated load (`Split.stats.load_*`), so an append dataset is judged on
what its provider just sent. Metadata holds counts, ratios, thresholds and rule/column names only:
never a value from the data.

Thresholds: completeness, quarantine ratio and row drop come from the catalog's `quality` policy;
duplicate keys block above `MAX_DUPLICATE_RATIO` of the load's rows (a handful of resent rows is
quarantined and reported, more means the extract itself is broken: a double export, a join fan-out).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Protocol

from catalog.model import Dataset
from quality.freshness import LOCAL_TZ, freshness, human
from quality.rules import DUPLICATE_KEY, Dimension, Severity
from quality.split import Stats

ACCOUNTING = "accounting"
COMPLETENESS = "completeness"
UNIQUENESS = "uniqueness"
QUARANTINE_RATIO = "quarantine_ratio"
ROW_COUNT_DROP = "row_count_drop"
ACCURACY = "accuracy"
CONSISTENCY = "consistency"
TIMELINESS = "timeliness"

MAX_DUPLICATE_RATIO = 0.02

Metadata = dict[str, int | float | str | bool]


@dataclass(frozen=True)
class CheckDef:
    name: str
    blocking: bool
    description: str


CHECKS: tuple[CheckDef, ...] = (
    CheckDef(ACCOUNTING, True, "every raw row is in exactly one of clean or quarantine (raw = clean + quarantined)"),
    CheckDef(COMPLETENESS, True, "share of rows with every required value at least the catalog's min_completeness"),
    CheckDef(UNIQUENESS, True, f"rows repeating a primary key at most {MAX_DUPLICATE_RATIO:.0%} of the load"),
    CheckDef(QUARANTINE_RATIO, True, "share of quarantined rows at most the catalog's max_quarantine_ratio"),
    CheckDef(ROW_COUNT_DROP, True, "row count not below the previous load by more than max_row_drop_ratio"),
    CheckDef(ACCURACY, False, "no value fails a type, enumeration, range, date or identifier rule"),
    CheckDef(CONSISTENCY, False, "birth date and sex agree with the ID number; cited codes exist where referenced"),
    CheckDef(TIMELINESS, False, "newest event within the declared update period"),
)
BLOCKING = frozenset(c.name for c in CHECKS if c.blocking)


class SplitLike(Protocol):
    """What the gate reads from a split: its stats and how many rows each side really holds."""

    @property
    def stats(self) -> Stats: ...

    @property
    def clean_rows(self) -> int: ...

    @property
    def quarantined_rows(self) -> int: ...


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    passed: bool
    blocking: bool
    description: str
    metadata: Metadata = field(default_factory=dict)


@dataclass(frozen=True)
class _Context:
    dataset: Dataset
    split: SplitLike
    raw_rows: int
    previous_rows: int | None
    today: date
    now: datetime | None = None

    @property
    def stats(self) -> Stats:
        return self.split.stats


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _top_rules(stats: Stats, dimension: str, limit: int = 5) -> str:
    found = [r for r in stats.failing if r.dimension == dimension][:limit]
    return ", ".join(f"{r.rule}:{r.column}={r.count}" for r in found)


def _accounting(ctx: _Context) -> tuple[bool, str, Metadata]:
    clean, quarantined = ctx.split.clean_rows, ctx.split.quarantined_rows
    gap = ctx.raw_rows - clean - quarantined
    ok = gap == 0 and ctx.stats.rows == ctx.raw_rows
    text = (
        f"{ctx.raw_rows} raw = {clean} clean + {quarantined} quarantined"
        if ok
        else f"{ctx.raw_rows} raw rows but {clean} clean + {quarantined} quarantined ({gap:+d} unaccounted)"
    )
    return ok, text, {"raw_rows": ctx.raw_rows, "clean_rows": clean, "quarantined_rows": quarantined, "gap": gap}


def _completeness(ctx: _Context) -> tuple[bool, str, Metadata]:
    rows = ctx.stats.load_rows
    complete = 1 - _ratio(ctx.stats.dimension_rows.get(Dimension.COMPLETENESS, 0), rows) if rows else 0.0
    threshold = ctx.dataset.quality.min_completeness
    ok = rows > 0 and complete >= threshold
    text = f"{complete:.2%} of {rows} rows complete (minimum {threshold:.0%})" if rows else "the load has no rows"
    meta: Metadata = {
        "rows": rows,
        "complete_ratio": round(complete, 6),
        "threshold": threshold,
        "rules": _top_rules(ctx.stats, Dimension.COMPLETENESS),
    }
    return ok, text, meta


def _uniqueness(ctx: _Context) -> tuple[bool, str, Metadata]:
    if not ctx.dataset.primary_key:
        return True, "no primary key declared", {"rows": ctx.stats.load_rows}
    duplicates = ctx.stats.count(DUPLICATE_KEY)
    ratio = _ratio(duplicates, ctx.stats.load_rows)
    text = (
        f"{duplicates} rows repeat a key of ({', '.join(ctx.dataset.primary_key)}): {ratio:.2%} "
        f"(maximum {MAX_DUPLICATE_RATIO:.0%}); repeats are quarantined, the first row of a key is kept"
    )
    return (
        ratio <= MAX_DUPLICATE_RATIO,
        text,
        {"duplicate_rows": duplicates, "duplicate_ratio": round(ratio, 6), "threshold": MAX_DUPLICATE_RATIO},
    )


def _quarantine_ratio(ctx: _Context) -> tuple[bool, str, Metadata]:
    rows, quarantined = ctx.stats.load_rows, ctx.stats.load_quarantined
    ratio = _ratio(quarantined, rows)
    threshold = ctx.dataset.quality.max_quarantine_ratio
    text = f"{quarantined} of {rows} rows quarantined: {ratio:.2%} (maximum {threshold:.0%})"
    return (
        ratio <= threshold,
        text,
        {"rows": rows, "quarantined_rows": quarantined, "quarantine_ratio": round(ratio, 6), "threshold": threshold},
    )


def _row_count_drop(ctx: _Context) -> tuple[bool, str, Metadata]:
    rows, previous = ctx.stats.load_rows, ctx.previous_rows
    threshold = ctx.dataset.quality.max_row_drop_ratio
    if not previous:
        return True, "no previous load to compare with", {"rows": rows, "threshold": threshold}
    drop = max(0.0, 1 - rows / previous)
    text = f"{rows} rows against {previous} in the previous load: drop {drop:.1%} (maximum {threshold:.0%})"
    return (
        drop <= threshold,
        text,
        {"rows": rows, "previous_rows": previous, "drop_ratio": round(drop, 6), "threshold": threshold},
    )


def _dimension_check(dimension: str) -> Callable[[_Context], tuple[bool, str, Metadata]]:
    def check(ctx: _Context) -> tuple[bool, str, Metadata]:
        stats = ctx.stats
        failed = stats.dimension_rows.get(dimension, 0)
        errors = sum(r.count for r in stats.failing if r.dimension == dimension and r.severity == Severity.ERROR)
        warned = sum(r.count for r in stats.failing if r.dimension == dimension and r.severity == Severity.WARNING)
        skipped = [s for s in stats.skipped if dimension == Dimension.CONSISTENCY]
        text = f"{failed} of {stats.load_rows} rows fail a {dimension} rule" + (
            f"; skipped: {len(skipped)} rule(s) without lookup" if skipped else ""
        )
        meta: Metadata = {
            "failed_rows": failed,
            "rows": stats.load_rows,
            "error_failures": errors,
            "warning_failures": warned,
            "rules": _top_rules(stats, dimension),
        }
        if skipped:
            meta["skipped"] = "; ".join(skipped)[:300]
        return failed == 0, text, meta

    return check


def _timeliness(ctx: _Context) -> tuple[bool, str, Metadata]:
    now = ctx.now or datetime.combine(ctx.today, time(), tzinfo=LOCAL_TZ)
    found = freshness(ctx.dataset, ctx.stats.newest_event, last_load=now, now=now)
    meta: Metadata = {"period_hours": found.period.total_seconds() / 3600}
    if ctx.stats.newest_event is not None:
        meta["newest_event"] = ctx.stats.newest_event.isoformat()
    if found.overdue_by is not None:
        meta["overdue_hours"] = round(found.overdue_by.total_seconds() / 3600, 2)
        meta["overdue"] = human(found.overdue_by)
    return not found.stale, found.reason, meta


_EVALUATORS: dict[str, Callable[[_Context], tuple[bool, str, Metadata]]] = {
    ACCOUNTING: _accounting,
    COMPLETENESS: _completeness,
    UNIQUENESS: _uniqueness,
    QUARANTINE_RATIO: _quarantine_ratio,
    ROW_COUNT_DROP: _row_count_drop,
    ACCURACY: _dimension_check(Dimension.ACCURACY),
    CONSISTENCY: _dimension_check(Dimension.CONSISTENCY),
    TIMELINESS: _timeliness,
}


def evaluate(
    dataset: Dataset,
    split: SplitLike,
    *,
    raw_rows: int,
    previous_rows: int | None,
    today: date,
    now: datetime | None = None,
) -> list[CheckOutcome]:
    """One outcome per entry of `CHECKS`, in that order.

    Timeliness ages the newest event at `now`, by default the start of `today` (China Standard Time):
    a daily extract delivered today with yesterday's events is on time.
    """
    ctx = _Context(dataset, split, raw_rows, previous_rows, today, now)
    outcomes = []
    for check in CHECKS:
        passed, text, meta = _EVALUATORS[check.name](ctx)
        outcomes.append(CheckOutcome(check.name, bool(passed), check.blocking, text, meta))
    return outcomes


def blocked_by(outcomes: list[CheckOutcome]) -> list[str]:
    """Names of the blocking checks that failed; empty when the load may go downstream."""
    return [o.name for o in outcomes if o.blocking and not o.passed]
