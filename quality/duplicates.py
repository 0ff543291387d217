"""Which rows repeat a primary key seen earlier in their load (file order): the uniqueness rule's input.

`duplicate_flags(dataset, frame)` judges one frame holding whole loads. `KeyLedger` judges one load
batch by batch (`quality.stream`): it keeps the typed keys of the batches it has seen, so a row is
flagged when its key came earlier in its batch or in an earlier one, with no separate pass over the
keys first (that pass read, typed and hashed every key a second time: ~0.2 s per million rows).

Both compare a combined hash of the keys first and the exact keys only on rows whose hash repeats
(0.1 s per million rows, against 0.3 s for the exact comparison on every row). Frames hold the key
columns, typed and normalized (`quality.prepare` names them), and `_load_id`.
"""

from __future__ import annotations

import polars as pl

DUPLICATE = "__dup"
# In-memory engine, as in `quality.prepare` (the frames are in memory already).
_ENGINE = "in-memory"


def _key_hashes(frame: pl.DataFrame, keys: list[str], *, by_load: bool = True) -> pl.Series:
    """Each row's combined hash of its load (unless `by_load` is false: one load) and key columns `keys`;
    null where the key is incomplete."""
    combined = pl.col("_load_id").hash(len(keys)) if by_load else pl.lit(0, pl.UInt64)
    for seed, key in enumerate(keys):
        combined = combined.xor(pl.col(key).hash(seed))
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in keys)
    return frame.lazy().select(pl.when(complete).then(combined)).collect(engine=_ENGINE).to_series()


def _repeated(hashes: pl.Series) -> pl.Series:
    """The hashes that occur more than once, found by sorting (`is_duplicated` cost twice as much)."""
    ordered = hashes.drop_nulls().sort()
    return ordered.filter(ordered == ordered.shift(1))


def _no_flags(height: int) -> pl.Series:
    return pl.repeat(False, height, eager=True, dtype=pl.Boolean).alias(DUPLICATE)


def _later_occurrences(keys: pl.DataFrame) -> pl.Series:
    """True for each row of `keys` (typed key columns, in file order) whose key an earlier row has."""
    return keys.select(~pl.struct(keys.columns).is_first_distinct()).to_series()


def duplicate_flags(frame: pl.DataFrame, keys: list[str]) -> pl.Series:
    """`__dup`: the row repeats a complete key (columns `keys`) seen earlier in its load (file order).

    The exact comparison runs on the hash candidates only. Rows are gathered column by column:
    `DataFrame.gather` first copies multi-chunk columns into one chunk (0.1 s for four key columns).
    """
    hashes = _key_hashes(frame, keys)
    candidates = hashes.is_in(_repeated(hashes).implode()).arg_true()
    flags = _no_flags(frame.height)
    if candidates.len():
        exact = (
            frame.lazy()
            .select(*(pl.col(k).gather(candidates) for k in keys), pl.col("_load_id").gather(candidates))
            .select(~pl.struct(keys).is_first_distinct().over("_load_id"))
            .collect(engine=_ENGINE)
            .to_series()
        )
        flags = flags.scatter(candidates, exact)
    return flags


class KeyLedger:
    """The typed keys of one load's batches seen so far, for `split_rows` of the next batch.

    `keys` names the key columns. `flags(frame)` gives the batch's `__dup` flags, then records its
    keys: call it once per batch, in file order. Memory: the typed key columns and a hash of every row
    so far, so `quality.stream` uses a ledger only for loads whose keys it would hold in memory anyway.
    """

    def __init__(self, keys: list[str]) -> None:
        self._names = keys
        self._hashes: list[pl.Series] = []
        self._keys: list[pl.DataFrame] = []

    def _earlier(self, hashes: pl.Series) -> pl.DataFrame:
        """The recorded keys whose hash is among `hashes`, in file order."""
        wanted = hashes.implode()
        parts = [keys.filter(h.is_in(wanted)) for h, keys in zip(self._hashes, self._keys, strict=True)]
        return pl.concat(parts) if parts else pl.DataFrame(schema=dict.fromkeys(self._names, pl.String))

    def flags(self, frame: pl.DataFrame) -> pl.Series:
        """True for the rows of `frame` (the next batch) whose key an earlier row of the load has."""
        hashes = _key_hashes(frame, self._names, by_load=False)  # one load: its id adds nothing
        seen = pl.concat(self._hashes) if self._hashes else hashes.clear()
        repeats = pl.concat([_repeated(hashes), seen.filter(seen.is_in(hashes.drop_nulls().implode()))])
        candidates = hashes.is_in(repeats.implode()).arg_true()
        flags = _no_flags(frame.height)
        if candidates.len():
            mine = frame.select(pl.col(n).gather(candidates) for n in self._names)
            earlier = self._earlier(hashes.gather(candidates))
            later = _later_occurrences(pl.concat([earlier.cast(mine.schema), mine]))
            flags = flags.scatter(candidates, later.tail(mine.height))
        self._hashes.append(hashes)
        self._keys.append(frame.select(self._names))
        return flags
