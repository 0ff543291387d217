"""`pdl scan`: which columns of an agency file hold personal data, before anything is declared.

Reads the file as the ingestion does (`warehouse.readers.read_extract`: CSV in UTF-8, UTF-8 with BOM or
GB18030, XLSX, JSON lines, Parquet; every column as text) and classifies each column from its header
and a sample of its values. The result is the documented JSON contract:
`{"file": ..., "rows": N, "columns": [{"name": ..., "entity": ... or null, "confidence": 0..1}]}`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from desensitize.classify import Classification, classify_frame
from warehouse.readers import read_extract


def classify_file(path: Path, today: date | None = None) -> tuple[int, list[tuple[str, Classification]]]:
    """Row count and (header, classification) of every column of the file."""
    frame = read_extract(path)
    return frame.height, classify_frame(frame, today)


def as_contract(path: Path, rows: int, columns: list[tuple[str, Classification]]) -> dict[str, Any]:
    """The JSON contract of `pdl scan --json`."""
    return {
        "file": str(path),
        "rows": rows,
        "columns": [{"name": n, "entity": c.entity, "confidence": c.confidence} for n, c in columns],
    }


def scan_file(path: Path, today: date | None = None) -> dict[str, Any]:
    """Classify every column of the file at `path`; the dict of the JSON contract."""
    rows, columns = classify_file(Path(path), today)
    return as_contract(Path(path), rows, columns)
