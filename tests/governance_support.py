"""Shared helpers of the governance tests: a fixed clock, synthetic residents, small safe-layer files.

Not a test module. Every value is synthetic: resident IDs are generated with valid check characters
for people who do not exist; safe-layer files carry a `_subject` column built with `subject_expr`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import duckdb
import polars as pl

from catalog.model import Dataset
from desensitize.keys import load_or_create
from desensitize.subject import subject_expr
from governance.rules import OPEN_FILE, SHARE_FILE
from governance.session import Gov, session
from quality.validators.resident_id import resident_id_check_char
from warehouse.lake import Lake

from catalog_support import catalog_entry

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=400)


def synthetic_ids(n: int, start: int = 1) -> list[str]:
    """`n` valid, invented resident IDs of Deqing (330521), born 1980-01-01, sequence numbers from `start`."""
    first17 = [f"33052119800101{i:03d}" for i in range(start, start + n)]
    return [f + resident_id_check_char(f) for f in first17]


def safe_frame(ds: Dataset, ids: list[str], drop_personal: bool = False) -> pl.DataFrame:
    """One row per synthetic resident: every catalog column as text, `_subject` keyed from the ID."""
    data = {}
    for col in ds.columns:
        if drop_personal and col.personal:
            continue
        data[col.name] = [f"{col.name}-{i}" for i in range(len(ids))]
    frame = pl.DataFrame(data)
    if any(c.entity == "CN_RESIDENT_ID" for c in ds.columns):
        frame = frame.with_columns(pl.select(subject_expr(pl.lit(pl.Series(ids)), load_or_create("pseudonym"))))
    return frame


def write_safe(lake: Lake, ds: Dataset, ids: list[str]) -> None:
    """The desensitized files a dataset's classes call for (personal columns dropped from open)."""
    folder = lake.layer_dir("safe", ds.id)
    folder.mkdir(parents=True, exist_ok=True)
    for destination in {*SHARE_FILE.values(), OPEN_FILE}:
        safe_frame(ds, ids, drop_personal=destination == OPEN_FILE).write_parquet(folder / f"{destination}.parquet")


@contextmanager
def gov(lake: Lake, catalog: dict[str, Dataset], now: datetime = NOW, actor: str = "县大数据局") -> Iterator[Gov]:
    with session(lake, actor, now, datasets=list(catalog.values())) as g:
        yield g


def people_dataset(share: str, open_: str, dataset_id: str = "dq_test_people") -> Dataset:
    """A small dataset about natural persons (resident ID, name, township, amount) with the given classes."""
    why = {"reason": "含个人信息", "basis": "《德清县公共数据管理办法》第十三条"}
    return catalog_entry(
        id=dataset_id,
        provider={"code": "tst", "name": "德清县测试局"},
        share={"class": share, **(why if share != "unconditional" else {})},
        open={
            "class": open_,
            **(why if open_ != "unconditional" else {}),
            **({"review_due": "2027-06-30"} if open_ == "restricted" else {}),
        },
        columns=[
            {"name": "resident_id", "entity": "CN_RESIDENT_ID", "grade": "L3"},
            {"name": "name", "entity": "PERSON", "grade": "L2"},
            {"name": "township", "grade": "L1"},
            {"name": "amount", "type": "decimal", "grade": "L1"},
        ],
    )


def access_views(lake: Lake, consumer_id: str) -> dict[str, tuple[list[str], int]] | None:
    """{view: (columns, rows)} of a consumer's access database opened read-only; None if there is none."""
    path = lake.access_dir / f"{consumer_id}.duckdb"
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        names = con.execute("select view_name from pdl.views order by view_name").fetchall()
        out = {}
        for (name,) in names:
            rel = con.sql(f"select * from {name}")
            out[name] = (rel.columns, len(rel.fetchall()))
    return out
