"""Read an agency extract (CSV in any common encoding, XLSX, JSON lines, Parquet) as text columns.

Everything comes back as strings, exactly as sent: typing and validation are the quality layer's
job, and the raw layer must keep what the agency delivered. CSV encodings are detected with
charset-normalizer (GBK/GB2312 are read as their superset GB18030); DuckDB cannot decode GB18030
offline, so decoding happens here, in Python, and Polars parses the UTF-8 result.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
from charset_normalizer import from_bytes

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz"}
# Encodings agencies here actually send. Without this shortlist charset-normalizer reads short GBK
# text as Korean cp949 (measured on "单位名称,德清县武康街道").
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16", "cp1252"]
_SUFFIX_FORMAT = {
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}


class ExtractError(Exception):
    """An extract that cannot be read as a whole; the message names the file and the problem."""

    def __init__(self, path: Path, problem: str):
        self.path, self.problem = path, problem
        super().__init__(f"{path.name}: {problem}")


def extract_format(path: Path) -> str:
    fmt = _SUFFIX_FORMAT.get(path.suffix.lower())
    if fmt is None:
        raise ExtractError(path, f"unsupported file type '{path.suffix}'; send .csv, .xlsx, .jsonl or .parquet")
    return fmt


def detect_encoding(data: bytes) -> str:
    """The encoding of CSV bytes: BOM first, then strict UTF-8, then charset-normalizer's best guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 1 << 20], cp_isolation=_CANDIDATES).best()
    if best is None:
        raise ValueError("the text encoding could not be recognised")
    name = best.encoding.lower().replace("-", "")
    return "gb18030" if name in _GB_FAMILY or name.startswith("gb") else best.encoding


def _read_csv(path: Path) -> pl.DataFrame:
    data = path.read_bytes()
    try:
        encoding = detect_encoding(data)
        text = data.decode(encoding)
    except (ValueError, LookupError, UnicodeDecodeError) as exc:
        raise ExtractError(path, f"cannot be decoded as text ({exc})") from exc
    return pl.read_csv(io.StringIO(text), infer_schema=False)


def _read_xlsx(path: Path) -> pl.DataFrame:
    return pl.read_excel(path, engine="calamine", infer_schema_length=0)


def _read_jsonl(path: Path) -> pl.DataFrame:
    return pl.read_ndjson(path, infer_schema_length=None)


_READERS = {"csv": _read_csv, "xlsx": _read_xlsx, "jsonl": _read_jsonl, "parquet": pl.read_parquet}


def read_extract(path: Path) -> pl.DataFrame:
    """The extract at `path` with every column as a string and headers as sent (trimmed)."""
    reader = _READERS[extract_format(path)]
    try:
        frame = reader(path)
    except ExtractError:
        raise
    except Exception as exc:  # any parser failure rejects the whole file
        raise ExtractError(path, f"cannot be read as {extract_format(path)}: {type(exc).__name__}: {exc}") from exc
    frame = frame.select(pl.all().cast(pl.String))
    return frame.rename({c: c.strip().lstrip("\ufeff") for c in frame.columns})
