"""meta.quality_results and quarantine history in a real DuckDB file; the scorecard and `pdl quality report`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from catalog.model import Dataset
from pdl.cli import main
from quality.gate import evaluate
from quality.report import write_scorecard
from quality.results import dataset_freshness, latest_result, record, results
from quality.scores import scores
from quality.split import split_rows
from warehouse.db import reader, writer
from warehouse.lake import Lake

from quality_fixtures import (
    LOAD_1,
    LOAD_2,
    TODAY,
    dataset,
    mobile,
    person,
    raw_frame,
    registry_lookup,
    with_wrong_check_char,
)

AT_1 = datetime(2026, 11, 1, 9, tzinfo=UTC)
AT_2 = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _evaluate_and_record(
    lake: Lake,
    ds: Dataset,
    raw: pl.DataFrame,
    load_id: str,
    at: datetime,
    previous: pl.DataFrame | None = None,
    previous_rows: int | None = None,
):
    split = split_rows(ds, raw, today=TODAY, lookups=registry_lookup(), previous=previous)
    outcomes = evaluate(ds, split, raw_rows=raw.height, previous_rows=previous_rows, today=TODAY)
    with writer(lake) as con:
        record(con, ds, load_id, split, outcomes, scores(ds, split, outcomes), at)
    return split


def _defective_rows(n: int) -> list[dict]:
    """Synthetic people; every 4th row has a wrong ID check character, every 5th an invalid mobile."""
    rows = []
    for k in range(n):
        row = person(k)
        if k % 4 == 1:
            row["resident_id"] = with_wrong_check_char(row["resident_id"])
        if k % 5 == 2:
            row["mobile"] = "1" + mobile(k)
        rows.append(row)
    return rows


def test_a_result_row_is_written_per_load_and_rewritten_on_rerun(lake: Lake):
    ds = dataset()
    raw = raw_frame(_defective_rows(40))
    _evaluate_and_record(lake, ds, raw, LOAD_1, AT_1)
    _evaluate_and_record(lake, ds, raw, LOAD_1, AT_1)
    with reader(lake) as con:
        rows = results(con)
    assert len(rows) == 1
    row = rows[0]
    assert (row["dataset_id"], row["provider_code"], row["load_id"]) == (ds.id, "tst", LOAD_1)
    assert row["rows_raw"] == 40 and row["rows_clean"] + row["rows_quarantined"] == 40
    assert row["blocked"] and "quarantine_ratio" in row["blocking_checks"]
    assert 0 <= row["accuracy"] < 1 and row["completeness"] == 1.0
    failing = {(r["rule"], r["column"]): r for r in row["failing_rules"]}
    assert failing[("invalid_resident_id", "resident_id")]["count"] == 10
    assert failing[("invalid_resident_id", "resident_id")]["examples"] == [3, 7, 11, 15, 19]
    assert failing[("invalid_resident_id", "resident_id")]["details"] == {"bad_check_char": 10}
    assert {c["name"] for c in row["checks"]} >= {"accounting", "timeliness"}


def test_quarantine_history_records_rows_by_load_and_line_and_keeps_released_ones(lake: Lake):
    ds = dataset()
    first = raw_frame([person(0), person(1, sex="男"), person(2, name="")], load_id=LOAD_1)
    old = _evaluate_and_record(lake, ds, first, LOAD_1, AT_1)
    second = raw_frame([person(0), person(1), person(2, name="")], load_id=LOAD_2)
    _evaluate_and_record(lake, ds, second, LOAD_2, AT_2, previous=old.quarantine, previous_rows=3)
    with reader(lake) as con:
        history = con.execute(
            "select load_id, row_number, rules, status, resolved_by from meta.quarantine_history order by all"
        ).fetchall()
        columns = {
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_name = 'quarantine_history'"
            ).fetchall()
        }
    assert history == [
        (LOAD_1, 3, ["sex_mismatch"], "released", LOAD_2),
        (LOAD_1, 4, ["required"], "replaced", LOAD_2),
        (LOAD_2, 4, ["required"], "quarantined", None),
    ]
    assert not columns & {c.name for c in ds.columns}, "history must not hold values"


def test_latest_result_and_freshness_for_pdl_status(lake: Lake):
    ds = dataset()
    _evaluate_and_record(lake, ds, raw_frame([person(k) for k in range(10)]), LOAD_1, AT_1)
    with writer(lake) as con:
        con.execute(
            "insert into meta.loads values (?, ?, 'x.csv', 'sha', 'loaded', 10, null, 'k', 'r', ?)",
            [LOAD_1, ds.id, AT_1],
        )
    with reader(lake) as con:
        latest = latest_result(con, ds.id)
        fresh = dataset_freshness(con, ds, now=datetime(2026, 11, 1, 20, tzinfo=UTC))
        stale = dataset_freshness(con, ds, now=datetime(2026, 11, 5, tzinfo=UTC))
    assert latest["load_id"] == LOAD_1 and latest["blocked"] is False
    assert latest["newest_event"].date() == date(2026, 11, 25)
    assert not fresh.stale
    assert stale.stale and "last load" in stale.reason


def _personal_values(rows: list[dict]) -> set[str]:
    return {str(row[c]) for row in rows for c in ("resident_id", "name", "mobile") if row.get(c)}


def test_the_scorecard_is_chinese_and_contains_no_raw_personal_value(lake: Lake, tmp_path):
    ds = dataset()
    rows = _defective_rows(60)
    _evaluate_and_record(lake, ds, raw_frame(rows, load_id=LOAD_1), LOAD_1, AT_1)
    _evaluate_and_record(lake, ds, raw_frame(rows[:50], load_id=LOAD_2), LOAD_2, AT_2, previous_rows=60)
    with reader(lake) as con:
        path = write_scorecard(con, tmp_path / "reports", agency="tst")
    page = path.read_text(encoding="utf-8")
    labels = ("完整性", "准确性", "及时性", "唯一性", "一致性", "公民身份号码校验不通过", "示例行号", "历次评估趋势")
    for label in labels:
        assert label in page
    assert "测试局" in page and ds.title in page
    assert "阻断" in page and "隔离比例" in page, "a blocked load shows as blocked, with the reason"
    leaked = [v for v in _personal_values(rows) if v in page]
    assert leaked == []
    digits = [v[-8:] for v in _personal_values(rows) if v[-8:].isdigit()]
    assert not [d for d in digits if d in page], "not even a fragment of an ID or a mobile"


def test_scorecard_of_all_agencies_and_of_an_empty_warehouse(lake: Lake, tmp_path):
    with writer(lake):
        pass
    with reader(lake) as con:
        empty = write_scorecard(con, tmp_path / "reports").read_text(encoding="utf-8")
        with pytest.raises(ValueError):
            write_scorecard(con, tmp_path / "reports", agency="../etc")
    assert "暂无质量评估记录" in empty


def test_pdl_quality_report_writes_the_scorecard_and_prints_its_path(lake: Lake, capsys):
    ds = dataset()
    _evaluate_and_record(lake, ds, raw_frame(_defective_rows(20)), LOAD_1, AT_1)
    assert main(["quality", "report", "--agency", "tst"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.endswith("scorecard-tst.html")
    assert printed.startswith(str(lake.reports_dir))
    assert "一致性" in Path(printed).read_text(encoding="utf-8")
    assert main(["quality", "report"]) == 0
    assert capsys.readouterr().out.strip().endswith("scorecard-all.html")
    assert main(["quality", "report", "--agency", "nobody"]) == 1
    assert "known: tst" in capsys.readouterr().out


def test_failing_rules_json_carries_no_values(lake: Lake):
    ds = dataset()
    rows = _defective_rows(30)
    _evaluate_and_record(lake, ds, raw_frame(rows), LOAD_1, AT_1)
    with reader(lake) as con:
        stored = con.execute("select failing_rules, checks from meta.quality_results").fetchone()
    text = json.dumps(stored, ensure_ascii=False)
    assert [v for v in _personal_values(rows) if v in text] == []
