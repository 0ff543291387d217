"""Dataset gate outcomes (blocking vs warning), scores, and freshness against an injected clock."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from quality.freshness import freshness
from quality.gate import BLOCKING, CHECKS, blocked_by, evaluate
from quality.scores import scores
from quality.split import Split, split_rows

from quality_fixtures import TODAY, dataset, person, raw_frame, registry_lookup


def _split(rows: list[dict], **overrides) -> tuple[Split, object]:
    ds = dataset(**overrides)
    return split_rows(ds, raw_frame(rows), today=TODAY, lookups=registry_lookup()), ds


def _outcomes(rows: list[dict], previous_rows: int | None = None, **overrides) -> dict:
    split, ds = _split(rows, **overrides)
    found = evaluate(ds, split, raw_rows=len(rows), previous_rows=previous_rows, today=TODAY)
    return {o.name: o for o in found}


def test_checks_are_a_fixed_list_with_fixed_severities():
    assert [c.name for c in CHECKS] == [
        "accounting",
        "completeness",
        "uniqueness",
        "quarantine_ratio",
        "row_count_drop",
        "accuracy",
        "consistency",
        "timeliness",
    ]
    assert BLOCKING == {"accounting", "completeness", "uniqueness", "quarantine_ratio", "row_count_drop"}


def test_a_good_load_passes_every_check():
    outcomes = _outcomes([person(k) for k in range(50)])
    assert all(o.passed for o in outcomes.values()), {n: o.description for n, o in outcomes.items() if not o.passed}


def test_incomplete_rows_above_the_threshold_block():
    rows = [person(k, name="" if k < 10 else person(k)["name"]) for k in range(100)]
    outcomes = _outcomes(rows)
    assert not outcomes["completeness"].passed and outcomes["completeness"].blocking
    assert outcomes["completeness"].metadata["complete_ratio"] == pytest.approx(0.9)
    assert not outcomes["quarantine_ratio"].passed


def test_a_few_bad_values_warn_without_blocking():
    rows = [person(k, children="99" if k == 0 else "1") for k in range(100)]
    outcomes = _outcomes(rows)
    assert not outcomes["accuracy"].passed and not outcomes["accuracy"].blocking
    assert outcomes["quarantine_ratio"].passed
    assert blocked_by(list(outcomes.values())) == []


def test_duplicate_keys_block_above_the_documented_threshold():
    rows = [person(k) for k in range(100)]
    few = rows + [rows[0]]
    many = rows + rows[:5]
    assert _outcomes(few)["uniqueness"].passed
    assert not _outcomes(many)["uniqueness"].passed
    assert _outcomes(many)["uniqueness"].metadata["duplicate_rows"] == 5


def test_a_sudden_drop_against_the_previous_load_blocks():
    rows = [person(k) for k in range(40)]
    assert _outcomes(rows, previous_rows=60)["row_count_drop"].passed
    dropped = _outcomes(rows, previous_rows=100)["row_count_drop"]
    assert not dropped.passed and dropped.blocking and dropped.metadata["drop_ratio"] == pytest.approx(0.6)


def test_an_accounting_gap_fails_the_load():
    split, ds = _split([person(k) for k in range(10)])
    broken = dataclasses.replace(split, clean=split.clean.head(9))
    outcome = {o.name: o for o in evaluate(ds, broken, raw_rows=10, previous_rows=None, today=TODAY)}["accounting"]
    assert not outcome.passed and outcome.blocking and outcome.metadata["gap"] == 1


def test_old_events_make_timeliness_warn():
    outcome = _outcomes([person(k, updated_on="2026-11-01") for k in range(5)])["timeliness"]
    assert not outcome.passed and not outcome.blocking
    assert outcome.metadata["overdue_hours"] > 0


def test_metadata_holds_numbers_and_short_strings_only():
    rows = [person(k, mobile="12345" if k % 2 else person(k)["mobile"]) for k in range(20)]
    for outcome in _outcomes(rows).values():
        for value in outcome.metadata.values():
            assert isinstance(value, int | float | bool) or (isinstance(value, str) and len(value) <= 300)
            assert "12345" not in str(value)


def test_scores_are_shares_of_passing_rows():
    rows = [
        person(k, name="" if k < 10 else person(k)["name"], sex="X" if 10 <= k < 15 else person(k)["sex"])
        for k in range(100)
    ]
    split, ds = _split(rows)
    found = scores(ds, split, evaluate(ds, split, raw_rows=100, previous_rows=None, today=TODAY))
    assert found == {"completeness": 0.9, "accuracy": 0.95, "timeliness": 1.0, "uniqueness": 1.0, "consistency": 1.0}


def test_freshness_turns_stale_when_the_clock_passes_the_period():
    ds = dataset()  # daily
    loaded = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    on_time = freshness(ds, date(2026, 11, 25), loaded, now=loaded + timedelta(hours=23))
    assert not on_time.stale and on_time.overdue_by is None
    late = freshness(ds, date(2026, 11, 25), loaded, now=loaded + timedelta(days=1, hours=3))
    assert late.stale and late.overdue_by >= timedelta(hours=3)
    assert "last load" in late.reason


def test_freshness_follows_the_declared_frequency():
    monthly = dataset(update_frequency="每月")
    loaded = datetime(2026, 11, 1, tzinfo=UTC)
    assert not freshness(monthly, date(2026, 10, 31), loaded, now=datetime(2026, 11, 20, tzinfo=UTC)).stale
    assert freshness(monthly, date(2026, 10, 31), loaded, now=datetime(2026, 12, 5, tzinfo=UTC)).stale


def test_old_data_is_stale_even_when_freshly_loaded():
    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    found = freshness(dataset(), date(2026, 11, 1), last_load=now, now=now)
    assert found.stale and "updated_on" in found.reason and found.overdue_by == timedelta(days=24)


def test_never_loaded_is_stale():
    found = freshness(dataset(), None, None, now=datetime(2026, 11, 26, tzinfo=UTC))
    assert found.stale and found.overdue_by is None and "never loaded" in found.reason


def test_the_gate_works_on_an_empty_load():
    outcomes = _outcomes([])
    assert not outcomes["completeness"].passed
    assert outcomes["accounting"].passed


def test_reference_lookup_missing_is_reported_as_skipped():
    split = split_rows(dataset(), raw_frame([person(0)]), today=TODAY, lookups={})
    outcome = {o.name: o for o in evaluate(dataset(), split, raw_rows=1, previous_rows=None, today=TODAY)}
    assert "reference_missing:employer_uscc" in outcome["consistency"].metadata["skipped"]
    assert pl.Series(split.stats.skipped).str.contains("dq_test_registry.uscc").all()
