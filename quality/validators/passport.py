"""Passports and travel permits that stand in for a resident ID (护照, 港澳通行证, 回乡证).

PRC ordinary passports: E or G and 8 digits, or E, a letter and 7 digits (e-passports since 2012).
Mainland residents' permits to Hong Kong and Macau: C and 8 digits, or C, a letter and 7 digits. Hong
Kong and Macau residents' home-return permits: H or M and 8 digits, optionally 2 more (issue count).
Forms record all of them in one "证件号码" column, so one validator accepts any of them.

Codes in priority order: `bad_length` (not 9 or 11 characters), `bad_format`.
"""

from __future__ import annotations

import re

import polars as pl

from quality.validators.exprs import first_failing

CODES = ("bad_length", "bad_format")
PASSPORT = r"[EG][0-9]{8}|E[A-Z][0-9]{7}|C[0-9]{8}|C[A-Z][0-9]{7}|[HM][0-9]{8}([0-9]{2})?"


def passport_problem(s: str) -> str | None:
    """None when valid, else the first failing code of `CODES`."""
    if len(s) not in (9, 11):
        return "bad_length"
    return None if re.fullmatch(PASSPORT, s) else "bad_format"


def passport_problem_expr(e: pl.Expr) -> pl.Expr:
    """Vectorized `passport_problem`: String code, null when valid (and for null input)."""
    checks = (("bad_length", ~e.str.len_chars().is_in([9, 11])), ("bad_format", ~e.str.contains(f"^(?:{PASSPORT})$")))
    return first_failing(e, checks).name.keep().name.suffix("_problem")


def is_valid_passport(s: str) -> bool:
    """True when `passport_problem` finds nothing."""
    return passport_problem(s) is None
