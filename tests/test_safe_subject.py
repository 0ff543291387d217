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


def test_subject_keys_agree_for_any_spelling_and_differ_from_published_pseudonyms():
    from desensitize.keys import load_or_create
    from desensitize.operators import pseudonym_expr
    from desensitize.subject import subject_expr

    ids = _ids(4)
    wide = ids[0].translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    key = load_or_create("pseudonym")
    vectorized = pl.select(subject_expr(pl.lit(pl.Series([*ids, wide, None])), key)).to_series().to_list()
    assert vectorized[:4] == [subject_key(i) for i in ids]
    assert vectorized[4] == vectorized[0] and vectorized[5] is None
    published = pl.select(pseudonym_expr(pl.lit(pl.Series(ids)), key)).to_series().to_list()
    assert all(len(k) == 32 for k in vectorized[:4]) and not set(published) & set(vectorized)


def test_a_share_reads_each_key_once_and_hashes_each_id_once(tmp_path, catalog, monkeypatch):
    """The subject key is half of the ID's digest: no per-value key reads, no second HMAC per ID."""
    from desensitize import keys, operators, safe

    ds = catalog["dq_gaj_household"]
    n = 200
    frame = pl.DataFrame({c.name: [None] * n for c in ds.columns}, schema={c.name: pl.String for c in ds.columns})
    source = tmp_path / "clean.parquet"
    frame.with_columns(pl.Series("resident_id", _ids(n))).write_parquet(source)
    reads = []
    real_load = keys.load_or_create
    monkeypatch.setattr(keys, "load_or_create", lambda name: reads.append(name) or real_load(name))

    plan = safe.plan_for(ds, list(frame.columns), "share_unconditional")
    write_safe(ds, source, tmp_path / "share.parquet", "share_unconditional")
    assert reads.count("pseudonym") <= 2  # once per plan: the one above and write_safe's
    digest = operators.digest_name("resident_id")
    readers = {e.meta.output_name(): e.meta.root_names() for e in plan.exprs}
    assert digest in plan.shared and readers["resident_id"] == readers[SUBJECT_COLUMN] == [digest]
    assert pl.read_parquet(tmp_path / "share.parquet")[SUBJECT_COLUMN].null_count() == 0
