"""Dimension scores in [0, 1] of one evaluated load, for the provider scorecard (art. 10).

Completeness, accuracy, uniqueness and consistency are the share of the load's rows that fail no rule
of that dimension (warnings count too: a legacy 15-digit ID is valid but not as good as it should be).
Completeness is further scaled by the row count against the previous load when that drop failed the
gate. Timeliness is 1 when on time and period / (period + overdue) when late: 0.5 a full period late.
"""

from __future__ import annotations

from catalog.model import Dataset
from quality.gate import ROW_COUNT_DROP, TIMELINESS, CheckOutcome, SplitLike
from quality.rules import Dimension

DIMENSIONS = ("completeness", "accuracy", "timeliness", "uniqueness", "consistency")


def _share_passing(split: SplitLike, dimension: str) -> float:
    stats = split.stats
    if not stats.load_rows:
        return 1.0
    return 1 - stats.dimension_rows.get(dimension, 0) / stats.load_rows


def _by_name(outcomes: list[CheckOutcome]) -> dict[str, CheckOutcome]:
    return {o.name: o for o in outcomes}


def _completeness(split: SplitLike, outcomes: dict[str, CheckOutcome]) -> float:
    if not split.stats.load_rows:
        return 0.0
    score = _share_passing(split, Dimension.COMPLETENESS)
    drop = outcomes.get(ROW_COUNT_DROP)
    if drop is not None and not drop.passed and drop.metadata.get("previous_rows"):
        score *= min(1.0, split.stats.load_rows / float(drop.metadata["previous_rows"]))
    return score


def _timeliness(outcomes: dict[str, CheckOutcome]) -> float:
    check = outcomes.get(TIMELINESS)
    if check is None or check.passed:
        return 1.0
    overdue = check.metadata.get("overdue_hours")
    period = float(check.metadata.get("period_hours", 0) or 0)
    if overdue is None or not period:
        return 0.0
    return period / (period + float(overdue))


def scores(dataset: Dataset, split: SplitLike, outcomes: list[CheckOutcome]) -> dict[str, float]:
    """completeness, accuracy, timeliness, uniqueness, consistency of the load, each in [0, 1]."""
    named = _by_name(outcomes)
    found = {
        "completeness": _completeness(split, named),
        "accuracy": _share_passing(split, Dimension.ACCURACY),
        "timeliness": _timeliness(named),
        "uniqueness": _share_passing(split, Dimension.UNIQUENESS) if dataset.primary_key else 1.0,
        "consistency": _share_passing(split, Dimension.CONSISTENCY),
    }
    return {name: round(min(1.0, max(0.0, value)), 6) for name, value in found.items()}
