"""Ingestion: every agency format lands the same raw rows; bad files are rejected whole, with a reason."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from warehouse.db import reader, writer
from warehouse.ingest import LINEAGE, ingest_pending

ROWS = {
    "统一社会信用代码": ["91330521MA2B3C4D5E", "91330521MA2B3C4D6F", "91330521MA2B3C4D7G"],
    "企业名称": ["德清县武康红旗五金厂", "浙江莫干山茶业有限公司", '德清县新市镇 "老街" 饭店, 分店'],
    "法定代表人": ["王小明", "欧阳丽", "李四"],
    "所属乡镇": ["武康街道", "莫干山镇", "新市镇"],
    "成立日期": ["2019-03-01", "2020-11-30", "2001-01-05"],
    "登记状态": ["存续", "在业", "注销"],
    "注册资本（万元）": ["100.5", "12", None],
}


def _frame() -> pl.DataFrame:
    return pl.DataFrame(ROWS)


def _drop(lake, catalog, name: str, writer_fn) -> Path:
    ds = catalog["dq_scjg_enterprise"]
    inbox = lake.inbox(ds.provider.code, ds.id)
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / name
    writer_fn(path)
    return path


FORMATS = {
    "gb18030.csv": lambda f, p: p.write_bytes(f.write_csv().encode("gb18030")),
    "bom.csv": lambda f, p: p.write_bytes(f.write_csv().encode("utf-8-sig")),
    "plain.xlsx": lambda f, p: f.write_excel(p),
    "lines.jsonl": lambda f, p: f.write_ndjson(p),
    "table.parquet": lambda f, p: f.write_parquet(p),
}


def _ingest(lake, catalog):
    with writer(lake) as con:
        return ingest_pending(con, lake, catalog["dq_scjg_enterprise"])


def _raw(lake) -> pl.DataFrame:
    files = sorted((lake.home / "lake" / "raw" / "dq_scjg_enterprise").glob("*.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files])


def test_every_format_lands_the_same_raw_rows(lake, catalog):
    frame = _frame()
    landed = {}
    for name, write in FORMATS.items():
        _drop(lake, catalog, name, lambda p, w=write: w(frame, p))
        report = _ingest(lake, catalog)
        assert report.loaded == [(name, 3)], report
        raw = _raw(lake).filter(pl.col("_source_file") == name)
        landed[name] = raw.drop(LINEAGE)
    first, *others = landed.values()
    for other in others:
        assert other.equals(first)
    assert first["name"].to_list() == ROWS["企业名称"]
    assert first["registered_capital"].to_list() == ["100.5", "12", None]
    assert first["legal_rep_id"].null_count() == 3  # optional column absent from the file


def test_lineage_columns_name_file_load_and_row(lake, catalog):
    _drop(lake, catalog, "extract.csv", lambda p: p.write_bytes(_frame().write_csv().encode("utf-8")))
    _ingest(lake, catalog)
    raw = _raw(lake)
    assert raw["_source_file"].unique().to_list() == ["extract.csv"]
    assert raw["_row_number"].to_list() == [2, 3, 4]  # line numbers in the file, header is line 1
    with reader(lake) as con:
        status, rows = con.execute("select status, rows from meta.loads").fetchone()
    assert (status, rows) == ("loaded", 3)


def test_identical_redrop_adds_nothing(lake, catalog):
    body = _frame().write_csv().encode("gb18030")
    _drop(lake, catalog, "a.csv", lambda p: p.write_bytes(body))
    _ingest(lake, catalog)
    _drop(lake, catalog, "a-again.csv", lambda p: p.write_bytes(body))
    report = _ingest(lake, catalog)
    assert report.loaded == [] and report.duplicates == ["a-again.csv"]
    assert _raw(lake).height == 3
    assert not any(lake.inbox("scjg", "dq_scjg_enterprise").iterdir())


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("unknown.csv", lambda: _frame().with_columns(pl.lit("x").alias("神秘列")), "unknown column(s) 神秘列"),
        (
            "missing.csv",
            lambda: _frame().drop("统一社会信用代码"),
            "missing required column(s) uscc (统一社会信用代码)",
        ),
        ("binary.csv", None, "cannot be decoded"),
        ("notes.docx", lambda: _frame(), "unsupported file type '.docx'"),
    ],
)
def test_bad_file_is_rejected_whole_with_reason_file(lake, catalog, name, content, expected):
    def write(path: Path) -> None:
        if content is None:
            path.write_bytes(bytes(range(256)) * 50)
        else:
            path.write_bytes(content().write_csv().encode("utf-8"))

    _drop(lake, catalog, name, write)
    report = _ingest(lake, catalog)
    assert report.loaded == [] and len(report.rejected) == 1
    assert expected in report.rejected[0][1]
    kept = list((lake.rejected / "scjg" / "dq_scjg_enterprise").iterdir())
    reason = next(p for p in kept if p.name.endswith(".reason.txt"))
    assert name in reason.read_text(encoding="utf-8") and expected in reason.read_text(encoding="utf-8")
    assert not (lake.home / "lake" / "raw" / "dq_scjg_enterprise").exists()
    with reader(lake) as con:
        assert con.execute("select status from meta.loads").fetchall() == [("rejected",)]


def test_blank_lines_are_not_rows_and_row_numbers_stay_file_lines(lake, catalog):
    lines = _frame().write_csv().splitlines()
    body = "\n".join([lines[0], lines[1], "", lines[2], lines[3], "", ""]) + "\n"
    _drop(lake, catalog, "blank-lines.csv", lambda p: p.write_text(body, encoding="utf-8"))
    report = _ingest(lake, catalog)
    assert report.loaded == [("blank-lines.csv", 3)]
    assert _raw(lake)["name"].to_list() == ROWS["企业名称"]
    assert _raw(lake)["_row_number"].to_list() == [2, 4, 5]
