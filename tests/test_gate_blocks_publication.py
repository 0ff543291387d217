"""A blocking quality check stops desensitization and publication of that load, visibly.

Runs the real Dagster job in-process on a one-dataset catalog (the weather observations, which have
no cross-dataset reference), with a load whose duplicate keys exceed the uniqueness threshold.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from catalog.loader import DEFAULT_DIR
from demo.generate import build
from demo.writers import write_extract
from pipelines.runner import run_all
from warehouse.db import reader
from warehouse.status import dataset_statuses

DATASET = "dq_qxj_weather"
TODAY = date(2026, 11, 26)


@pytest.fixture
def one_dataset_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir()
    shutil.copy(DEFAULT_DIR / f"{DATASET}.yaml", folder)
    monkeypatch.setenv("PDL_CATALOG", str(folder))
    return folder


def _drop(lake, frame: pl.DataFrame, name: str) -> None:
    extract = build(TODAY, scale=0.2)[DATASET]
    headers = {c.name: c.aliases[0] for c in extract.dataset.columns}
    target = lake.inbox(extract.dataset.provider.code, DATASET) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    write_extract(frame.rename(headers), target, "csv", extract.encoding)


def _views(lake) -> set[tuple[str, str]]:
    with reader(lake) as con:
        return set(con.execute("select schema_name, dataset_id from meta.published").fetchall())


@pytest.mark.slow
def test_duplicate_keys_above_threshold_block_share_and_open(lake, one_dataset_catalog):
    frame = build(TODAY, scale=0.2)[DATASET].frame
    _drop(lake, pl.concat([frame, frame.head(frame.height // 10)]), "with-duplicates.csv")
    now = datetime(2026, 11, 26, 9, tzinfo=UTC).isoformat()

    result = run_all(lake, now=now, log_level="ERROR")

    assert not result.success
    checks = {
        e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert checks["uniqueness"] is False and checks["accounting"] is True
    assert _views(lake) == set()
    assert not (lake.open_dir / f"{DATASET}.csv").exists()
    with reader(lake) as con:
        status = next(s for s in dataset_statuses(con) if s.dataset == DATASET)
    assert status.blocked and "uniqueness" in status.blocked_reason

    _drop(lake, build(TODAY, scale=0.2, seed=7)[DATASET].frame, "corrected.csv")
    assert run_all(lake, now=now, log_level="ERROR").success
    assert _views(lake) == {("share", DATASET), ("open", DATASET)}
