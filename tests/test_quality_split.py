"""The row split: every raw row in exactly one of clean or quarantine, duplicates, release, streaming."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import polars as pl
import pytest

from catalog.vocabulary import ColumnType
from quality import stream
from quality.split import split_rows
from quality.stream import split_files

from quality_fixtures import LOAD_1, LOAD_2, TODAY, dataset, person, raw_frame, registry_lookup, with_wrong_check_char


def _mixed_rows(n: int) -> list[dict]:
    """n rows, a defect on every third one (blank, bad ID, bad enum, out of range), every 7th a duplicate."""
    rows = []
    for k in range(n):
        row = person(k)
        kind = k % 12
        if kind == 3:
            row["name"] = ""
        elif kind == 6:
            row["resident_id"] = with_wrong_check_char(row["resident_id"])
        elif kind == 9:
            row["sex"] = "X"
        elif kind == 11:
            row["children"] = "99"
        if k % 7 == 6:
            row["resident_id"] = rows[-1]["resident_id"]
            row["birth_date"], row["sex"] = rows[-1]["birth_date"], rows[-1]["sex"]
        rows.append(row)
    return rows


def _keys(frame: pl.DataFrame) -> list[tuple[str, int]]:
    return list(zip(frame.get_column("_load_id").to_list(), frame.get_column("_row_number").to_list(), strict=True))


@pytest.mark.parametrize("n", [0, 1, 50, 400])
def test_every_raw_row_is_in_exactly_one_of_clean_or_quarantine(n):
    raw = raw_frame(_mixed_rows(n))
    split = split_rows(dataset(), raw, today=TODAY, lookups=registry_lookup())
    assert split.clean.height + split.quarantine.height == raw.height
    assert sorted(_keys(split.clean) + _keys(split.quarantine)) == sorted(_keys(raw))
    assert split.stats.rows == raw.height
    assert (split.stats.clean, split.stats.quarantined) == (split.clean.height, split.quarantine.height)


def test_quarantine_keeps_the_values_as_sent_and_names_rules_and_columns():
    raw = raw_frame(_mixed_rows(40))
    split = split_rows(dataset(), raw, today=TODAY, lookups=registry_lookup())
    sent = raw.join(split.quarantine.select("_row_number"), on="_row_number", how="semi")
    kept = split.quarantine.select(sent.columns)
    assert kept.sort("_row_number").equals(sent.sort("_row_number"))
    for rules, columns in split.quarantine.select("_rules", "_columns").iter_rows():
        assert rules and len(rules) == len(columns)


def test_clean_is_typed_per_catalog():
    split = split_rows(dataset(), raw_frame(_mixed_rows(20)), today=TODAY, lookups=registry_lookup())
    expected = {
        ColumnType.STRING: pl.String,
        ColumnType.INTEGER: pl.Int64,
        ColumnType.DECIMAL: pl.Float64,
        ColumnType.DATE: pl.Date,
    }
    for column in dataset().columns:
        assert split.clean.schema[column.name] == expected[column.type], column.name
    lineage = {"_source_file", "_load_id", "_row_number", "_ingested_at", "_normalized", "_flags"}
    assert lineage <= set(split.clean.columns)


def test_rows_of_a_dataset_with_more_rules_than_one_mask_holds_list_the_rules_they_failed():
    # 30 more columns of 3 rules each: the failed rules span several 63-bit masks.
    extra = [{"name": f"c{i:02d}", "type": "integer", "required": True, "min": 0, "max": 9} for i in range(30)]
    declared = [c.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for c in dataset().columns]
    wide = dataset(columns=[*declared, *extra])
    rows = [person(k, **{f"c{i:02d}": str(i % 10) for i in range(30)}) for k in range(6)]
    rows[1]["c29"] = "99"
    rows[2]["c00"], rows[2]["c28"] = "", "x"
    rows[3]["c29"], rows[3]["name"] = "", ""
    split = split_rows(wide, raw_frame(rows), today=TODAY, lookups=registry_lookup())
    listed = split.quarantine.select("_row_number", "_rules", "_columns").iter_rows()
    failed = {n: sorted(zip(rules, columns, strict=True)) for n, rules, columns in listed}
    assert failed == {
        3: [("out_of_range", "c29")],
        4: [("bad_type", "c28"), ("required", "c00")],
        5: [("required", "c29"), ("required", "name")],
    }
    assert split.clean.get_column("_row_number").to_list() == [2, 6, 7]


def test_first_row_of_a_key_wins_and_later_ones_are_quarantined_as_duplicates():
    first, again = person(1), person(1, name="改名")
    split = split_rows(dataset(), raw_frame([first, person(2), again]), today=TODAY, lookups=registry_lookup())
    assert split.clean.get_column("name").to_list() == [first["name"], person(2)["name"]]
    assert split.quarantine.get_column("_rules").to_list() == [["duplicate_key"]]
    assert split.quarantine.get_column("_row_number").to_list() == [4]
    assert split.stats.count("duplicate_key") == 1


def test_a_correction_in_a_later_load_releases_the_quarantined_row_and_keeps_its_history():
    ds = dataset(load_mode="append")
    bad = person(1, sex="男")  # person 1 is a woman: disagrees with the ID
    first = raw_frame([person(0), bad], load_id=LOAD_1)
    second = raw_frame([person(1), person(3)], load_id=LOAD_2)
    split = split_rows(ds, pl.concat([first, second]), today=TODAY, lookups=registry_lookup())
    assert sorted(split.clean.get_column("name").to_list()) == sorted([person(k)["name"] for k in (0, 1, 3)])
    assert _keys(split.quarantine) == [(LOAD_1, 3)]
    assert split.quarantine.get_column("_rules").to_list() == [["sex_mismatch"]]
    assert split.released.rows() == [(LOAD_1, 3, LOAD_2)]
    assert split.stats.load_id == LOAD_2 and split.stats.load_rows == 2 and split.stats.load_quarantined == 0


def test_an_older_valid_version_is_superseded_not_counted_against_the_provider():
    ds = dataset(load_mode="append")
    first = raw_frame([person(1, income="10.00")], load_id=LOAD_1)
    second = raw_frame([person(1, income="20.00")], load_id=LOAD_2)
    split = split_rows(ds, pl.concat([first, second]), today=TODAY, lookups=registry_lookup())
    assert split.clean.get_column("income").to_list() == [20.0]
    assert split.quarantine.get_column("_rules").to_list() == [["superseded"]]
    assert split.stats.superseded == 1 and split.stats.load_quarantined == 0


def test_a_new_snapshot_releases_rows_of_the_previous_quarantine():
    old = split_rows(
        dataset(), raw_frame([person(0), person(1, sex="男")], load_id=LOAD_1), today=TODAY, lookups=registry_lookup()
    )
    assert old.quarantine.height == 1
    new = split_rows(
        dataset(),
        raw_frame([person(0), person(1)], load_id=LOAD_2),
        today=TODAY,
        lookups=registry_lookup(),
        previous=old.quarantine,
    )
    assert new.quarantine.height == 0
    assert new.released.rows() == [(LOAD_1, 3, LOAD_2)]


def test_streamed_split_equals_the_in_memory_split(tmp_path: Path):
    raw = raw_frame(_mixed_rows(600))
    sources = []
    for k, start in enumerate(range(0, raw.height, 250)):
        sources.append(tmp_path / f"raw-{k}.parquet")
        raw.slice(start, 250).write_parquet(sources[-1])
    memory = split_rows(dataset(), raw, today=TODAY, lookups=registry_lookup())
    streamed = split_files(dataset(), sources, tmp_path / "out", today=TODAY, lookups=registry_lookup(), chunk_rows=100)
    assert len(streamed.clean_files) > 1
    assert (streamed.clean_rows, streamed.quarantined_rows) == (memory.clean.height, memory.quarantine.height)
    clean = pl.read_parquet(streamed.clean_files).sort("_row_number")
    assert clean.equals(memory.clean.sort("_row_number"))
    assert streamed.stats.count("duplicate_key") == memory.stats.count("duplicate_key")
    assert {(r.rule, r.column): r.count for r in streamed.stats.rules} == {
        (r.rule, r.column): r.count for r in memory.stats.rules
    }
    assert streamed.stats.dimension_rows == memory.stats.dimension_rows
    assert not (tmp_path / "out" / "_spill").exists()


def test_a_failed_streamed_split_waits_for_its_key_pass_and_leaves_no_spill(tmp_path: Path, monkeypatch):
    raw = raw_frame(_mixed_rows(300))
    sources = [tmp_path / "raw.parquet"]
    raw.write_parquet(sources[0])
    failed, finished = threading.Event(), []

    def slow_key_pass(dataset, sources, spill, loads, rows, today):
        failed.wait(5)
        time.sleep(0.2)
        spill.mkdir(parents=True, exist_ok=True)
        (spill / "hashes-000000.arrow").write_bytes(b"")
        finished.append(True)
        return pl.Series(dtype=pl.Int64)

    def failing_split(*args, **kwargs):
        failed.set()
        raise ValueError("bad batch")

    monkeypatch.setattr(stream, "_candidates", slow_key_pass)
    monkeypatch.setattr(stream, "split_rows", failing_split)
    with pytest.raises(ValueError, match="bad batch"):
        split_files(dataset(), sources, tmp_path / "out", today=TODAY, lookups=registry_lookup(), chunk_rows=100)
    assert finished and not (tmp_path / "out" / "_spill").exists()


def test_a_failed_part_write_leaves_no_spill(tmp_path: Path, monkeypatch):
    raw = raw_frame(_mixed_rows(300))
    sources = [tmp_path / "raw.parquet"]
    raw.write_parquet(sources[0])

    def failing_write(*args):
        assert (tmp_path / "out" / "_spill").exists()  # the key pass spilled its hashes
        raise OSError("disk full")

    monkeypatch.setattr(stream, "HASH_BUCKET_CHUNKS", 1)
    monkeypatch.setattr(stream, "_write_part", failing_write)
    with pytest.raises(OSError, match="disk full"):
        split_files(dataset(), sources, tmp_path / "out", today=TODAY, lookups=registry_lookup(), chunk_rows=100)
    assert not (tmp_path / "out" / "_spill").exists()


def test_stats_give_examples_as_row_numbers_only():
    split = split_rows(dataset(), raw_frame(_mixed_rows(60)), today=TODAY, lookups=registry_lookup())
    for stat in split.stats.failing:
        assert stat.examples and all(isinstance(n, int) for n in stat.examples)
        assert len(stat.examples) <= 5
