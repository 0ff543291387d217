"""Mainland China telephone numbers: mobile (手机号) and landline (固定电话).

Mobile: an optional country prefix (+86, 0086 or 86), then 11 digits starting with a number-segment
prefix in use (13x, 145-149, 150-153, 155-159, 162, 165-167, 170-178, 18x, 190-193, 195-199). Landline:
an area code, bare or in brackets, then a local number of 7 or 8 digits that starts with 2-9. Area codes
are 010 and 020-029 (three digits) or 03xx-09xx (four); this is stricter than "0 and 2-3 digits" and
rejects splits no real number has. Separating dashes and spaces are removed by `normalize_identifier`
beforehand.

`bad_format` means the string does not look like a number of that kind at all; `bad_prefix` means it has
the right shape but a segment or area code (or local first digit) that is not issued. The scalar forms
and the landline's Polars form share the same regular expressions (no look-around, ASCII digit
classes); the mobile's Polars form is compiled (`_checks.c`), with the issued segments from `_SEGMENT`.
"""

from __future__ import annotations

import re
from functools import partial

import polars as pl

from quality.validators import _checks
from quality.validators.compiled import byte_table, codes_expr
from quality.validators.exprs import first_failing

CODES = ("bad_format", "bad_prefix")
_COUNTRY = r"(\+86|0086|86)?"
MOBILE_SHAPE = _COUNTRY + r"1[0-9]{10}"
_SEGMENT = r"1(3[0-9]|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8[0-9]|9[0-35-9])"
MOBILE = _COUNTRY + _SEGMENT + r"[0-9]{8}"
# The issued three-digit segments, from the same pattern, as integers for the vectorized form.
_SEGMENTS = [n for n in range(100, 200) if re.fullmatch(_SEGMENT, str(n))]
_LOOSE_AREA = r"0[0-9]{2,3}"
_AREA = r"(010|02[0-9]|0[3-9][0-9]{2})"
LANDLINE_SHAPE = rf"({_LOOSE_AREA}|\({_LOOSE_AREA}\))[0-9]{{7,8}}"
LANDLINE = rf"({_AREA}|\({_AREA}\))[2-9][0-9]{{6,7}}"


def _problem(s: str, shape: str, valid: str) -> str | None:
    if not re.fullmatch(shape, s):
        return "bad_format"
    return None if re.fullmatch(valid, s) else "bad_prefix"


def _problem_expr(e: pl.Expr, shape: str, valid: str) -> pl.Expr:
    checks = (("bad_format", ~e.str.contains(f"^(?:{shape})$")), ("bad_prefix", ~e.str.contains(f"^(?:{valid})$")))
    return first_failing(e, checks).name.keep().name.suffix("_problem")


def mobile_problem(s: str) -> str | None:
    """None when `s` is a mobile number in use, else "bad_format" or "bad_prefix"."""
    return _problem(s, MOBILE_SHAPE, MOBILE)


def mobile_problem_expr(e: pl.Expr) -> pl.Expr:
    """Vectorized `mobile_problem`: String code, null when valid (and for null input).

    The compiled check of `_checks.c` (a few milliseconds per million numbers); reading the text as
    one integer in Polars cost 0.07 s, the two regular expressions 0.15 s.
    """
    check = partial(_checks.mobile_codes, byte_table([n - 100 for n in _SEGMENTS]))
    return codes_expr(e, check, CODES).name.keep().name.suffix("_problem")


def is_valid_mobile(s: str) -> bool:
    """True when `mobile_problem` finds nothing."""
    return mobile_problem(s) is None


def landline_problem(s: str) -> str | None:
    """None when `s` is a landline number with area code, else "bad_format" or "bad_prefix"."""
    return _problem(s, LANDLINE_SHAPE, LANDLINE)


def landline_problem_expr(e: pl.Expr) -> pl.Expr:
    """Vectorized `landline_problem`: String code, null when valid (and for null input)."""
    return _problem_expr(e, LANDLINE_SHAPE, LANDLINE)


def is_valid_landline(s: str) -> bool:
    """True when `landline_problem` finds nothing."""
    return landline_problem(s) is None
