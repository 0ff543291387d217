"""Check an agency extract before it is handed in: every catalog rule on every row, nothing kept.

`pdl quality check DATASET FILE` reads the file as ingestion would (the same readers, header mapping
and lineage, so row numbers are the file's lines), evaluates it batch by batch with
`quality.stream.check_files` and runs the gate's dataset checks. The provider learns which rows would
be quarantined, for which rules, and whether the load would be blocked, before anything reaches the
lake: no raw copy, no quality result, no history (art. 10: the provider answers for its data). The
file is judged on its own: for an append dataset, a key that repeats an earlier load is settled when
the file is loaded (the newer passing row wins), not here. The
file is read whole, as ingestion reads it; the split then holds one batch at a time (in memory it would
take ~1 GB a million rows). Results carry rule names, columns, counts and line numbers, never a value.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from catalog.model import Dataset
from quality.gate import CheckOutcome, blocked_by, evaluate
from quality.stream import Checked, check_files
from warehouse.ingest import file_sha256, new_load_id, to_raw_frame
from warehouse.lake import RAW_PARQUET_WRITE
from warehouse.readers import read_extract


@dataclass(frozen=True)
class PreCheck:
    """What loading the extract would give: row outcomes and statistics, and the gate's checks."""

    checked: Checked
    outcomes: list[CheckOutcome]

    @property
    def blocked_by(self) -> list[str]:
        return blocked_by(self.outcomes)


def check_extract(
    dataset: Dataset,
    path: Path,
    *,
    today: date,
    lookups: dict[str, pl.Series] | None = None,
    previous_rows: int | None = None,
) -> PreCheck:
    """Evaluate the extract at `path` against `dataset`'s rules as its load would be evaluated.

    Raises `ExtractError` or `HeaderMismatch` where ingestion would reject the file. `lookups` are the
    referenced datasets' clean values (a reference without one is not checked); `previous_rows` the
    last load's row count, for the row-count drop."""
    at = datetime.now(UTC)
    raw = to_raw_frame(dataset, read_extract(path), path.name, new_load_id(at, file_sha256(path)), at)
    with tempfile.TemporaryDirectory(prefix="pdl-precheck-") as folder:
        source = Path(folder) / "raw.parquet"
        raw.write_parquet(source, **RAW_PARQUET_WRITE)
        del raw
        checked = check_files(dataset, [source], today=today, lookups=lookups)
    outcomes = evaluate(dataset, checked, raw_rows=checked.stats.rows, previous_rows=previous_rows, today=today)
    return PreCheck(checked, outcomes)
