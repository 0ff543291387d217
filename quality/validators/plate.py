"""Motor vehicle license plates (机动车号牌, GA 36-2018).

A province abbreviation, the issuing office's letter and a serial. Regular plates have 5 serial
characters (letters without I and O, or digits; the last may be 挂 trailer, 学 learner, 警 police, 港 or 澳
cross-border, 领 consulate). New-energy plates have 6: small cars D or F (battery or other), then a letter
or digit, then 4 digits (GA 36-2018 allows the letter, e.g. 浙ED12345 and 浙EDA1234); large vehicles 5
digits then D or F. The middle dot of printed plates is removed by `normalize_identifier`.

Codes in priority order: `bad_length` (not 7 or 8 characters), `unknown_province`, `bad_format`.
"""

from __future__ import annotations

import re

import polars as pl

from quality.validators.exprs import first_failing

CODES = ("bad_length", "unknown_province", "bad_format")
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"
_REGULAR = rf"[{_LETTER}][{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳领]"
_NEW_ENERGY = rf"[{_LETTER}]([DF][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF])"
PLATE = rf"[{PROVINCES}]({_REGULAR}|{_NEW_ENERGY})"


def plate_problem(s: str) -> str | None:
    """None when valid, else the first failing code of `CODES`."""
    if len(s) not in (7, 8):
        return "bad_length"
    if s[0] not in PROVINCES:
        return "unknown_province"
    return None if re.fullmatch(PLATE, s) else "bad_format"


def plate_problem_expr(e: pl.Expr) -> pl.Expr:
    """Vectorized `plate_problem`: String code, null when valid (and for null input)."""
    checks = (
        ("bad_length", ~e.str.len_chars().is_in([7, 8])),
        ("unknown_province", ~e.str.contains(f"^[{PROVINCES}]")),
        ("bad_format", ~e.str.contains(f"^(?:{PLATE})$")),
    )
    return first_failing(e, checks).name.keep().name.suffix("_problem")


def is_valid_plate(s: str) -> bool:
    """True when `plate_problem` finds nothing."""
    return plate_problem(s) is None
