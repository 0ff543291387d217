"""Synthetic identifiers, catalog entries and raw frames for the quality tests (not collected by pytest).

Every identifier is invented but valid (check characters from `quality.validators`), so a test can
assert exactly which rule a deliberately broken value fails, and that no value leaks into a report.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from catalog.model import Dataset
from quality.validators import org_code_check_char, resident_id_check_char, uscc_check_char

from catalog_support import catalog_entry

TODAY = date(2026, 11, 26)
LOAD_1 = "20261101T080000000000Z_aaaaaaaaaa"
LOAD_2 = "20261120T080000000000Z_bbbbbbbbbb"


def resident_id(born: date, seq: int, male: bool = True, region: str = "330521") -> str:
    """A valid 18-character ID; `seq` picks the sequence (mod 499), `male` its parity."""
    first17 = f"{region}{born:%Y%m%d}{seq % 499 * 2 + (1 if male else 2):03d}"
    return first17 + resident_id_check_char(first17)


def with_wrong_check_char(value: str) -> str:
    return value[:-1] + ("1" if value[-1] != "1" else "2")


def uscc(n: int) -> str:
    body = f"{(n * 7919 + 1234567) % 10**8:08d}"
    first17 = "91330521" + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def mobile(n: int) -> str:
    return f"138{(n * 7919 + 10_000_000) % 10**8:08d}"


def full_width(value: str) -> str:
    return value.translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})


def raw_frame(
    rows: list[dict[str, Any]], load_id: str = LOAD_1, source: str = "extract.csv", first_row: int = 2
) -> pl.DataFrame:
    """Rows as an agency would send them (all text) plus the ingest lineage columns."""
    columns = sorted({k for row in rows for k in row}) or [c.name for c in dataset().columns]
    frame = pl.DataFrame([{c: row.get(c) for c in columns} for row in rows], schema={c: pl.String for c in columns})
    return frame.with_columns(
        pl.lit(source).alias("_source_file"),
        pl.lit(load_id).alias("_load_id"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + first_row).alias("_row_number"),
        pl.lit(datetime(2026, 11, 20, 8, tzinfo=UTC)).alias("_ingested_at"),
    )


def dataset(**overrides: Any) -> Dataset:
    """A catalog entry exercising every rule kind; override any field."""
    entry: dict[str, Any] = {
        "update_frequency": "每日",
        "load_mode": "snapshot",
        "primary_key": ["resident_id"],
        "event_time_column": "updated_on",
        "columns": [
            {"name": "resident_id", "type": "string", "required": True, "entity": "CN_RESIDENT_ID", "grade": "L3"},
            {"name": "name", "type": "string", "required": True, "entity": "PERSON", "grade": "L2"},
            {"name": "mobile", "type": "string", "entity": "CN_MOBILE_PHONE", "grade": "L3"},
            {"name": "sex", "type": "string", "values": ["男", "女"]},
            {"name": "birth_date", "type": "date", "entity": "DATE_OF_BIRTH"},
            {"name": "employer_uscc", "type": "string", "entity": "CN_USCC", "references": "dq_test_registry.uscc"},
            {"name": "children", "type": "integer", "min": 0, "max": 12},
            {"name": "income", "type": "decimal", "min": 0},
            {"name": "updated_on", "type": "date", "required": True},
        ],
    }
    return catalog_entry(**(entry | overrides))


def person(n: int, **changes: Any) -> dict[str, Any]:
    """A valid row of `dataset()` for person `n`, with `changes` applied."""
    born = date(1970 + n % 40, 1 + n % 12, 1 + n % 28)
    male = n % 2 == 0
    row = {
        "resident_id": resident_id(born, n % 500, male),
        "name": f"测试{n}",
        "mobile": mobile(n),
        "sex": "男" if male else "女",
        "birth_date": f"{born:%Y-%m-%d}",
        "employer_uscc": uscc(n % 5),
        "children": str(n % 3),
        "income": f"{1000 + n}.50",
        "updated_on": "2026-11-25",
    }
    row.update(changes)
    return row


def registry_lookup() -> dict[str, pl.Series]:
    return {"dq_test_registry.uscc": pl.Series([uscc(i) for i in range(5)])}
