"""Unified social credit codes (统一社会信用代码, GB 32100-2015) of enterprises and other organizations.

18 characters over a 31-character alphabet (digits and capital letters without I, O, Z, S, V): the
registering authority and organization type (2), the region code (6), the embedded organization code of
GB 11714 (9, its own mod-11 check character last) and a mod-31 check character. Both checks must pass:
a mistyped or invented code often passes one and not the other. To build a code, fix the organization
code's check character (position 17) before computing the final one.

`uscc_problem_expr` runs the compiled check of `_checks.c` over the whole column. The check-character
expressions read the characters as a fixed-size array of ASCII codes, look each code up in a 256-entry
value table and take one dot product with the weights, without per-row Python.
"""

from __future__ import annotations

import re

import polars as pl

from quality.validators import _checks
from quality.validators.compiled import codes_expr

CODES = ("bad_length", "bad_chars", "bad_org_code", "bad_check_char")
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(3**i % 31 for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CHECK_CHARS = "0123456789X"
_USCC = re.compile(f"[{ALPHABET}]{{18}}")
_FIRST17 = re.compile(f"[{ALPHABET}]{{17}}")
_ORG_BODY = re.compile(r"[0-9A-Z]{8}")


def _byte_table(values: dict[str, int]) -> pl.Series:
    """Value of every byte 0-255 (0 outside `values`), for looking up a character's value by its code."""
    return pl.Series([values.get(chr(b), 0) for b in range(256)], dtype=pl.Int16)


_VALUE = _byte_table({c: i for i, c in enumerate(ALPHABET)})
_ORG_VALUE = _byte_table({c: int(c, 36) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"})


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character ("0"-"9" or "X") of an organization code's first 8 characters."""
    if not _ORG_BODY.fullmatch(first8):
        raise ValueError("need 8 ASCII digits or capital letters")
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_WEIGHTS))
    return ORG_CHECK_CHARS[(11 - total % 11) % 11]


def uscc_check_char(first17: str) -> str:
    """GB 32100 mod-31 check character of the first 17 characters."""
    if not _FIRST17.fullmatch(first17):
        raise ValueError("need 17 characters of the credit-code alphabet")
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[-total % 31]


def uscc_problem(s: str) -> str | None:
    """None when valid, else the first failing code of `CODES`."""
    if len(s) != 18:
        return "bad_length"
    if not _USCC.fullmatch(s):
        return "bad_chars"
    if org_code_check_char(s[8:16]) != s[16]:
        return "bad_org_code"
    return None if uscc_check_char(s[:17]) == s[17] else "bad_check_char"


def is_valid_uscc(s: str) -> bool:
    """True when `uscc_problem` finds nothing."""
    return uscc_problem(s) is None


def _weighted_sum(e: pl.Expr, table: pl.Series, weights: tuple[int, ...]) -> pl.Expr:
    # The bytes as a fixed-size array (null unless exactly len(weights) bytes), flattened, looked up in
    # the table and folded back into rows, then one dot product with the weights.
    # Null rows come back as arrays of nulls, whose dot product is 0: hence the outer `when`.
    codes = e.cast(pl.Binary).bin.reinterpret(dtype=pl.Array(pl.UInt8, len(weights)))
    values = pl.lit(table).gather(codes.reshape((-1,))).reshape((-1, len(weights)))
    return pl.when(codes.is_not_null()).then(values.arr.dot(weights))


def _org_check_char(first8: pl.Expr) -> pl.Expr:
    total = _weighted_sum(first8, _ORG_VALUE, ORG_WEIGHTS)
    return pl.lit(ORG_CHECK_CHARS).str.slice((11 - total % 11) % 11, 1)


def _uscc_check_char(first17: pl.Expr) -> pl.Expr:
    total = _weighted_sum(first17, _VALUE, WEIGHTS)
    return pl.lit(ALPHABET).str.slice((31 - total % 31) % 31, 1)


def org_code_check_char_expr(first8: pl.Expr) -> pl.Expr:
    """Vectorized `org_code_check_char` (null unless 8 ASCII digits or capital letters)."""
    check = _org_check_char(pl.when(first8.str.contains(r"^[0-9A-Z]{8}$")).then(first8))
    return check.name.keep().name.suffix("_check_char")


def uscc_check_char_expr(first17: pl.Expr) -> pl.Expr:
    """Vectorized `uscc_check_char` (null unless 17 characters of the alphabet)."""
    check = _uscc_check_char(pl.when(first17.str.contains(f"^[{ALPHABET}]{{17}}$")).then(first17))
    return check.name.keep().name.suffix("_check_char")


def uscc_problem_expr(e: pl.Expr) -> pl.Expr:
    """Vectorized `uscc_problem` (the compiled check): String code, null when valid (and for null input)."""
    return codes_expr(e, _checks.uscc_codes, CODES).name.keep().name.suffix("_problem")
