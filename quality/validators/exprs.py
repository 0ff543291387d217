"""The building block shared by the validators written as Polars expressions (the compiled ones are
in `compiled.py`), chosen for its cost on a million rows.

- `first_failing`: the reason code of the first failing check. Checks give small integers and one
  gather turns them into strings: 0.01 s per million rows for six checks, against 0.13 s to coalesce
  six `when(...).then(<string literal>)` columns.

Polars shares a repeated subexpression only at the outermost level (one that is nested in another
shared one is computed again), so the validators refer to their costly parts once each where they can.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def first_failing(e: pl.Expr, checks: Sequence[tuple[str, pl.Expr]]) -> pl.Expr:
    """The code of the first check that is true (String); null when none is, or when `e` is null.

    A check that is null counts as passed, as in `pl.coalesce(pl.when(check).then(code) ...)`.
    """
    codes = pl.Series([code for code, _ in checks], dtype=pl.String)
    index = pl.coalesce(pl.when(failed).then(pl.lit(i, pl.UInt8)) for i, (_, failed) in enumerate(checks))
    return pl.when(e.is_not_null()).then(pl.lit(codes).gather(index))
