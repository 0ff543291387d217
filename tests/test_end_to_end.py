"""End to end on the demo county: generate extracts, run the whole graph once, check what reached whom.

One Dagster run in-process against a lake under tmp_path (module-scoped: it takes a few seconds).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from catalog import load_catalog
from demo.generate import generate
from pipelines.runner import run_all
from quality.validators import is_valid_bank_card, is_valid_mobile, is_valid_resident_id, is_valid_uscc
from warehouse.db import reader
from warehouse.lake import Lake
from warehouse.readers import read_extract

pytestmark = pytest.mark.slow
TODAY = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, dict[str, int], object]:
    root = tmp_path_factory.mktemp("e2e")
    mp = pytest.MonkeyPatch()
    mp.setenv("PDL_KEY_DIR", str(root / "keys"))
    mp.setenv("PDL_HOME", str(root / "lake"))
    lake = Lake(root / "lake").ensure()
    files = generate(lake.landing, today=TODAY.date(), scale=0.3)
    source_rows = {}
    for path in files:
        source_rows[path.parent.name] = source_rows.get(path.parent.name, 0) + read_extract(path).height
    result = run_all(lake, now=TODAY.isoformat(), log_level="WARNING")
    yield lake, source_rows, result
    mp.undo()


def _tables(con, schema: str) -> set[str]:
    rows = con.execute("select table_name from information_schema.tables where table_schema = ?", [schema]).fetchall()
    return {r[0] for r in rows}


def test_run_succeeds_and_every_dataset_is_published_where_its_classes_allow(demo_lake):
    lake, _, result = demo_lake
    assert result.success
    datasets = load_catalog()
    with reader(lake) as con:
        share, opened = _tables(con, "share"), _tables(con, "open")
        published = con.execute("select dataset_id, schema_name, class from meta.published").fetchall()
    assert share == {d.id for d in datasets if d.shareable}
    assert opened == {d.id for d in datasets if d.openable}
    for dataset_id, schema, klass in published:
        ds = next(d for d in datasets if d.id == dataset_id)
        assert klass == (ds.share.klass if schema == "share" else ds.open.klass)
    for ds in datasets:
        assert (lake.open_dir / f"{ds.id}.csv").exists() == ds.openable


def test_raw_rows_equal_source_rows_and_every_row_is_accounted_for(demo_lake):
    lake, source_rows, _ = demo_lake
    with reader(lake) as con:
        for dataset_id, expected in source_rows.items():
            raw = con.execute(f'select count(*) from raw."{dataset_id}"').fetchone()[0]
            clean = con.execute(f'select count(*) from clean."{dataset_id}"').fetchone()[0]
            quarantined = con.execute(f'select count(*) from quarantine."{dataset_id}"').fetchone()[0]
            assert raw == expected, dataset_id
            assert clean + quarantined == raw, dataset_id


def _leaks(values: list[str]) -> dict[str, int]:
    """How many values are a valid personal identifier, by kind (counts only: never show the values).

    An all-digit credit code passes Luhn one time in ten, so valid credit codes are not bank cards.
    """
    checks = {
        "resident_id": lambda v: is_valid_resident_id(v, TODAY.date()),
        "mobile": is_valid_mobile,
        "bank_card": lambda v: is_valid_bank_card(v) and not is_valid_uscc(v),
    }
    counts = {kind: sum(map(check, values)) for kind, check in checks.items()}
    return {kind: n for kind, n in counts.items() if n}


def _string_columns(con, schema: str):
    for table in sorted(_tables(con, schema)):
        frame = con.sql(f'select * from {schema}."{table}"').pl()
        for column in frame.columns:
            if frame[column].dtype == pl.String:
                yield table, column, frame[column].drop_nulls().to_list()


def test_no_valid_id_mobile_or_bank_card_reaches_any_open_dataset(demo_lake):
    lake, _, _ = demo_lake
    with reader(lake) as con:
        columns = list(_string_columns(con, "open"))
    assert sum(len(v) for *_, v in columns) > 0, "open datasets should hold some text"
    leaks = {(t, c): found for t, c, values in columns if (found := _leaks(values))}
    assert leaks == {}


def test_personal_values_of_restricted_share_views_are_desensitized(demo_lake):
    lake, _, _ = demo_lake
    restricted = {d.id for d in load_catalog() if d.share.klass == "restricted"}
    with reader(lake) as con:
        columns = [(t, c, v) for t, c, v in _string_columns(con, "share") if t in restricted]
    assert {t for t, _, _ in columns} == restricted
    leaks = {(t, c): found for t, c, values in columns if (found := _leaks(values))}
    assert leaks == {}


def test_person_names_from_clean_never_appear_in_open_files(demo_lake):
    lake, _, _ = demo_lake
    names: set[str] = set()
    for ds in load_catalog():
        for column in ds.columns:
            if column.entity == "PERSON":
                path = lake.layer_dir("clean", ds.id) / "data.parquet"
                names |= set(pl.read_parquet(path, columns=[column.name]).to_series().drop_nulls().to_list())
    text = "\n".join(Path(p).read_text(encoding="utf-8-sig") for p in lake.open_dir.glob("*.csv"))
    cells = set(text.replace("\n", ",").split(","))
    assert names
    assert len(names & cells) == 0  # a count, so a failure never prints a name
