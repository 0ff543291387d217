"""Normalization of identifier strings before validation.

Agency spreadsheets carry identifiers typed on Chinese input methods: full-width digits and letters
(`３３０５２１`), ideographic or non-breaking spaces, tabs added to keep Excel from rounding, dashes
between groups and a lowercase `x` check character. Validators check the exact string they get, so
the pipeline normalizes first and records which values changed (`was_normalized_expr`).

Both forms use one translation table, so they agree character for character: full-width ASCII forms
(U+FF01-U+FF5E) become ASCII, ASCII letters become uppercase (only ASCII, so the answer does not depend
on each library's Unicode tables), and spaces, zero-width characters, dashes and the middle dot of
license plates are removed.
"""

from __future__ import annotations

import polars as pl

_FULL_WIDTH_OFFSET = 0xFEE0
_SPACES = " \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# Plates are written 浙E·12345; no identifier contains a middle dot.
_MIDDLE_DOTS = "\u00b7\u2022\u30fb\uff65"


def _table() -> dict[str, str]:
    table = {chr(c): chr(c - _FULL_WIDTH_OFFSET).upper() for c in range(0xFF01, 0xFF5F)}
    table |= {chr(c): chr(c).upper() for c in range(ord("a"), ord("z") + 1)}
    return table | {c: "" for c in _SPACES + _ZERO_WIDTH + _DASHES + _MIDDLE_DOTS}


TRANSLATION: dict[str, str] = _table()
_ORD_TABLE = str.maketrans(TRANSLATION)


def normalize_identifier(s: str) -> str:
    """Full-width to ASCII, ASCII letters uppercased; spaces, zero-width characters, dashes, middle dots removed."""
    return s.translate(_ORD_TABLE)


def normalize_identifier_expr(e: pl.Expr) -> pl.Expr:
    """Vectorized `normalize_identifier` (String in, String out, null stays null)."""
    return e.str.replace_many(TRANSLATION)


def was_normalized_expr(e: pl.Expr) -> pl.Expr:
    """True where normalization changed the value (False for null); named `<column>_was_normalized`."""
    return e.ne_missing(normalize_identifier_expr(e)).name.keep().name.suffix("_was_normalized")
