"""Bank card numbers (银行卡号): 16 to 19 digits ending in a Luhn check digit (ISO/IEC 7812).

UnionPay debit and credit cards carry 16-19 digits; the Luhn check catches every single-digit typo and
most swaps of neighbouring digits, which is what mistyped cards in agency forms look like.

The Polars form left-pads the number with zeros to 19 digits (zeros do not change the Luhn sum), reads
it as a fixed-size array of ASCII codes, looks each code up in a table of plain and of doubled digit
values and takes dot products with the position masks. No per-row Python.
"""

from __future__ import annotations

import re

import polars as pl

CODES = ("bad_length", "bad_chars", "bad_luhn")
MAX_LENGTH = 19
_DIGITS = re.compile(r"[0-9]+")


def _doubled(d: int) -> int:
    return 2 * d - 9 if d >= 5 else 2 * d


def _luhn_sum(digits: str, *, double_last: bool) -> int:
    doubled_parity = 0 if double_last else 1
    return sum(_doubled(int(c)) if k % 2 == doubled_parity else int(c) for k, c in enumerate(reversed(digits)))


def luhn_check_digit(partial: str) -> str:
    """The digit that makes `partial` + digit pass the Luhn check."""
    if not _DIGITS.fullmatch(partial):
        raise ValueError("need ASCII digits")
    return str(-_luhn_sum(partial, double_last=True) % 10)


def bank_card_problem(s: str) -> str | None:
    """None when valid, else the first failing code of `CODES`."""
    if not 16 <= len(s) <= MAX_LENGTH:
        return "bad_length"
    if not _DIGITS.fullmatch(s):
        return "bad_chars"
    return None if _luhn_sum(s, double_last=False) % 10 == 0 else "bad_luhn"


def is_valid_bank_card(s: str) -> bool:
    """True when `bank_card_problem` finds nothing."""
    return bank_card_problem(s) is None


# Position i from the left of the padded number is position MAX_LENGTH - 1 - i from the right; the
# rightmost digit stays plain, the one left of it is doubled, and so on.
_DOUBLED = tuple((MAX_LENGTH - 1 - i) % 2 for i in range(MAX_LENGTH))
_PLAIN = tuple(1 - d for d in _DOUBLED)
# Plain and doubled value of each byte 0-255 (only the digit codes matter, the rest are rejected earlier).
_PLAIN_VALUE = pl.Series([b - 48 if 48 <= b <= 57 else 0 for b in range(256)], dtype=pl.Int16)
_DOUBLED_VALUE = pl.Series([_doubled(b - 48) if 48 <= b <= 57 else 0 for b in range(256)], dtype=pl.Int16)


def _luhn_ok(number: pl.Expr) -> pl.Expr:
    padded = number.str.pad_start(MAX_LENGTH, "0").cast(pl.Binary)
    # Bytes as a fixed-size array, flattened, looked up in each table and folded back into rows.
    # Null rows come back as arrays of nulls, whose dot product is 0: hence the outer `when`.
    codes = padded.bin.reinterpret(dtype=pl.Array(pl.UInt8, MAX_LENGTH))
    plain = pl.lit(_PLAIN_VALUE).gather(codes.reshape((-1,))).reshape((-1, MAX_LENGTH))
    doubled = pl.lit(_DOUBLED_VALUE).gather(codes.reshape((-1,))).reshape((-1, MAX_LENGTH))
    return pl.when(codes.is_not_null()).then((plain.arr.dot(_PLAIN) + doubled.arr.dot(_DOUBLED)) % 10 == 0)


def bank_card_problem_expr(e: pl.Expr) -> pl.Expr:
    """Vectorized `bank_card_problem`: String code, null when valid (and for null input)."""
    checks = (
        ("bad_length", ~e.str.len_chars().is_between(16, MAX_LENGTH)),
        ("bad_chars", ~e.str.contains(r"^[0-9]+$")),
        ("bad_luhn", ~_luhn_ok(e)),
    )
    problem = pl.coalesce(pl.when(failed).then(pl.lit(code)) for code, failed in checks)
    return problem.name.keep().name.suffix("_problem")
