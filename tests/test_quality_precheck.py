"""`pdl quality check`: an extract checked before it is handed in gives what its load would give, and
keeps nothing (no lake, no result), prints no value, and says when the load would be blocked."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from catalog import load_catalog
from demo.generate import generate
from pdl.cli import main
from quality.split import split_rows
from warehouse.clock import county_today
from warehouse.db import writer
from warehouse.ingest import to_raw_frame
from warehouse.lake import Lake
from warehouse.readers import read_extract

CATALOG = {d.id: d for d in load_catalog()}
INSURANCE, ENTERPRISE = "dq_rsj_social_insurance", "dq_scjg_enterprise"


@pytest.fixture(scope="module")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = generate(tmp_path_factory.mktemp("landing"), county_today(), scale=0.2)
    return {path.parent.name: path for path in paths}


def _checked(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(["quality", "check", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _raw(dataset_id: str, path: Path) -> pl.DataFrame:
    return to_raw_frame(CATALOG[dataset_id], read_extract(path), path.name, "load", datetime.now(UTC))


def test_a_checked_extract_gives_what_its_load_would_and_keeps_nothing(extracts, tmp_path: Path, capsys):
    path = extracts[INSURANCE]
    code, found = _checked([INSURANCE, str(path)], capsys)
    raw = _raw(INSURANCE, path)
    loaded = split_rows(CATALOG[INSURANCE], raw, today=county_today())
    assert code == 0 and found["blocked_by"] == []
    assert (found["rows"], found["clean"], found["quarantined"]) == (
        raw.height,
        loaded.clean_rows,
        loaded.quarantined_rows,
    )
    assert found["quarantined"] > 0
    expected = {(r.rule, r.count, tuple(r.examples)) for r in loaded.stats.failing}
    assert {(r["rule"], r["rows"], tuple(r["lines"])) for r in found["failing_rules"]} == expected
    assert [n.split(" ")[0] for n in found["not_checked"]] == ["reference_missing:employer_uscc"]  # no lake
    assert not (tmp_path / "lake").exists()
    main(["quality", "check", INSURANCE, str(path)])
    printed = json.dumps(found, ensure_ascii=False) + capsys.readouterr().out
    personal = [c.name for c in CATALOG[INSURANCE].columns if c.personal]
    values = {v for c in personal for v in raw.get_column(c).drop_nulls().cast(pl.String) if len(v) >= 4}
    assert values and [v for v in values if v in printed] == []


def test_references_are_checked_against_the_lakes_clean_layer(extracts, lake: Lake, capsys):
    with writer(lake):
        pass
    registry = _raw(ENTERPRISE, extracts[ENTERPRISE]).get_column("uscc")
    employers = _raw(INSURANCE, extracts[INSURANCE]).get_column("employer_uscc").drop_nulls().unique()
    absent = set(employers.head(3))
    clean = lake.layer_dir("clean", ENTERPRISE) / "data.parquet"
    clean.parent.mkdir(parents=True)
    pl.DataFrame({"uscc": registry.filter(~registry.is_in(list(absent)))}).write_parquet(clean)
    _, found = _checked([INSURANCE, str(extracts[INSURANCE])], capsys)
    missing = [r for r in found["failing_rules"] if r["rule"] == "reference_missing"]
    assert found["not_checked"] == [] and missing and missing[0]["rows"] >= len(absent)


def test_an_extract_whose_load_would_be_blocked_exits_1_and_says_why(extracts, tmp_path: Path, capsys):
    doubled = tmp_path / "doubled.parquet"
    sent = read_extract(extracts[ENTERPRISE])
    pl.concat([sent, sent]).write_parquet(doubled)
    code, found = _checked([ENTERPRISE, str(doubled)], capsys)
    assert code == 1 and "uniqueness" in found["blocked_by"]
    assert main(["quality", "check", ENTERPRISE, str(doubled)]) == 1
    assert "would be BLOCKED by" in capsys.readouterr().out


def test_a_file_ingestion_would_reject_exits_2_naming_the_problem(extracts, tmp_path: Path, capsys):
    assert main(["quality", "check", "dq_qxj_weather", str(extracts[ENTERPRISE])]) == 2
    assert "missing required column" in capsys.readouterr().err
    assert main(["quality", "check", "no_such_dataset", str(extracts[ENTERPRISE])]) == 2
    assert "unknown dataset" in capsys.readouterr().err
    assert main(["quality", "check", ENTERPRISE, str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
