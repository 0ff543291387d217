"""Write a frame the way an agency sends it: CSV (UTF-8, UTF-8 with BOM or GB18030), XLSX, JSONL, Parquet.

Identifiers stay text in every format (string columns are written as text cells in XLSX, quoted JSON
strings in JSONL), dates are written as `YYYY-MM-DD` and times as `YYYY-MM-DD HH:MM:SS`, and nothing
depends on the wall clock, so the same frame always gives the same bytes.
"""

from __future__ import annotations

import codecs
from datetime import date, datetime
from pathlib import Path

import polars as pl
import xlsxwriter

FORMATS = ("csv", "xlsx", "jsonl", "parquet")
CSV_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
CSV_CHUNK_ROWS = 50_000
# Fixed document timestamp written into XLSX properties (xlsxwriter would otherwise stamp `now`).
XLSX_CREATED = datetime(2020, 1, 1)


def write_extract(frame: pl.DataFrame, path: Path, fmt: str, encoding: str = "utf-8") -> Path:
    """Write `frame` to `path` in `fmt` (`csv` honours `encoding`); parent folders are created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        _write_csv(frame, path, encoding)
    elif fmt == "xlsx":
        _write_xlsx(frame, path)
    elif fmt == "jsonl":
        path.write_text(_temporal_as_text(frame).write_ndjson(), encoding="utf-8")
    elif fmt == "parquet":
        frame.write_parquet(path, compression="zstd", statistics=True)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return path


def _temporal_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(pl.Date).dt.strftime(DATE_FORMAT), pl.col(pl.Datetime).dt.strftime(DATETIME_FORMAT)
    )


def _write_csv(frame: pl.DataFrame, path: Path, encoding: str) -> None:
    """Encode chunk by chunk, so a large extract never holds a second full copy as bytes."""
    if encoding.lower().replace("_", "-") not in CSV_ENCODINGS:
        raise ValueError(f"unsupported CSV encoding {encoding!r}; expected one of {', '.join(CSV_ENCODINGS)}")
    encoder = codecs.getincrementalencoder(encoding)(errors="strict")
    with path.open("wb") as handle:
        chunks = frame.iter_slices(CSV_CHUNK_ROWS) if frame.height else iter([frame])
        for i, chunk in enumerate(chunks):
            text = chunk.write_csv(include_header=i == 0, date_format=DATE_FORMAT, datetime_format=DATETIME_FORMAT)
            handle.write(encoder.encode(text))
        handle.write(encoder.encode("", final=True))


def _write_xlsx(frame: pl.DataFrame, path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False})
    workbook.set_properties({"created": XLSX_CREATED, "author": "", "comments": ""})
    text = workbook.add_format({"num_format": "@"})
    formats = {pl.Date: workbook.add_format({"num_format": "yyyy-mm-dd"}),
               pl.Datetime: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})}  # fmt: skip
    sheet = workbook.add_worksheet("Sheet1")
    for col, (name, dtype) in enumerate(frame.schema.items()):
        sheet.write_string(0, col, name)
        if dtype == pl.String:
            sheet.set_column(col, col, 20, text)
        for row, value in enumerate(frame.get_column(name).to_list(), start=1):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, value, text)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, col, value, formats[pl.Datetime])
            elif isinstance(value, date):
                sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), formats[pl.Date])
            elif isinstance(value, bool):
                sheet.write_boolean(row, col, value)
            else:
                sheet.write_number(row, col, value)
    workbook.close()
