"""National administrative division codes (NBS 2022 edition), loaded once and cached.

Used by the resident-ID validator (region codes), the address recognizer (place names) and the demo
generator (Deqing's real townships). Source and licence: `divisions/SOURCES.md`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "divisions"
DEQING_COUNTY_CODE = "330521"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent: str
    full_name: str


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    county_code: str
    full_name: str


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def divisions() -> tuple[Division, ...]:
    """Provinces, cities and counties, keyed by their six-digit code."""
    return tuple(
        Division(r["code6"], r["name"], r["level"], r["parent_code6"], r["full_name"])
        for r in _rows("admin_divisions_pca.csv")
    )


@cache
def region_codes() -> frozenset[str]:
    """Every six-digit code of a province, city or county."""
    return frozenset(d.code for d in divisions())


@cache
def province_codes() -> frozenset[str]:
    """Two-digit province prefixes (older county codes stay valid in ID numbers; the province must be known)."""
    return frozenset(d.code[:2] for d in divisions() if d.level == "province")


@cache
def townships() -> tuple[Township, ...]:
    """All 41k townships and streets of the country."""
    return tuple(
        Township(r["code9"], r["name"], r["county_code6"], r["full_name"]) for r in _rows("admin_townships_all.csv")
    )


@cache
def deqing_townships() -> tuple[Township, ...]:
    """Deqing County's 13 townships and streets (5 街道, 8 镇)."""
    return tuple(
        Township(r["code9"], r["name"], r["county_code6"], r["full_name"]) for r in _rows("deqing_330521_townships.csv")
    )


@cache
def place_names() -> frozenset[str]:
    """Names of every province, city, county and township, for address and name disambiguation."""
    return frozenset(d.name for d in divisions()) | frozenset(t.name for t in townships())
