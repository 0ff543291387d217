"""Shares of datasets about persons carry the consent key `_subject`; open data never does."""

from __future__ import annotations

import polars as pl

from desensitize.safe import write_safe
from desensitize.subject import SUBJECT_COLUMN, subject_key
from quality.validators import resident_id_check_char


def _ids(n: int) -> list[str]:
    bodies = [f"33052119{80 + i % 20:02d}0{1 + i % 9}1{i % 10}{i % 7}{i % 10}0" for i in range(n)]
    return [b + resident_id_check_char(b) for b in bodies]


def test_share_gets_subject_keys_matching_subject_key_and_open_gets_none(tmp_path, catalog):
    ds = catalog["dq_gaj_household"]
    ids = _ids(5)
    frame = pl.DataFrame({c.name: [None] * 5 for c in ds.columns}, schema={c.name: pl.String for c in ds.columns})
    frame = frame.with_columns(pl.Series("resident_id", ids), pl.lit("武康街道").alias("township"))
    source = tmp_path / "clean.parquet"
    frame.write_parquet(source)

    write_safe(ds, source, tmp_path / "share.parquet", "share_restricted")
    share = pl.read_parquet(tmp_path / "share.parquet")
    assert share[SUBJECT_COLUMN].to_list() == [subject_key(i) for i in ids]
    assert not set(ids) & set(share.select(pl.all().cast(pl.String)).unpivot()["value"].drop_nulls().to_list())

    if ds.openable:
        write_safe(ds, source, tmp_path / "open.parquet", "open")
        assert SUBJECT_COLUMN not in pl.read_parquet(tmp_path / "open.parquet").columns
