"""The compiled HMAC (desensitize.hmac_batch) gives Python's hmac digests, whatever the value or key."""

import hmac

import polars as pl
import pytest

from desensitize import hmac_batch

# Lengths around the block boundaries: one block holds at most 55 message bytes, two at most 119.
LENGTHS = [0, 1, 17, 18, 54, 55, 56, 57, 63, 64, 65, 118, 119, 120, 127, 128, 129, 300]


def _values(count: int) -> list[str | None]:
    """Every length of `LENGTHS` in bytes (ASCII values), and as many characters of mixed text."""
    ascii_only, mixed = "0123456789X", "0123456789X张欧阳路号"
    values: list[str | None] = []
    for i in range(count):
        alphabet = ascii_only if i % 2 else mixed
        length = LENGTHS[i // 2 % len(LENGTHS)]
        values.append("".join(alphabet[(i * 7 + j * 3) % len(alphabet)] for j in range(length)))
    values[5] = None
    return values


def _expected(key: bytes, values: list[str | None]) -> list[str | None]:
    return [None if v is None else hmac.digest(key, v.encode(), "sha256").hex() for v in values]


@pytest.mark.parametrize("key", [b"k", bytes(range(32)), b"a" * 64], ids=["short", "32-bytes", "64-bytes"])
def test_digests_equal_the_standard_library(key: bytes) -> None:
    values = _values(50_000)  # enough for one slice per thread, full eight-value groups and a remainder
    series = pl.Series("v", values)
    out = hmac_batch.hex_series(series, key)
    assert out.name == "v"
    assert out.to_list() == _expected(key, values)


def test_sliced_and_chunked_columns_keep_their_order() -> None:
    key = bytes(range(16))
    values = _values(1_003)
    chunked = pl.concat([pl.Series("v", values[:400]), pl.Series("v", values[400:])], rechunk=False)
    assert chunked.n_chunks() == 2
    assert hmac_batch.hex_series(chunked, key).to_list() == _expected(key, values)
    assert hmac_batch.hex_series(chunked.slice(397, 11), key).to_list() == _expected(key, values[397:408])
    many = _values(30_011)  # one slice per core, cut again where the chunks meet
    parts = pl.concat([pl.Series("v", many[k : k + 9_000]) for k in range(0, len(many), 9_000)], rechunk=False)
    assert hmac_batch.hex_series(parts.slice(5), key).to_list() == _expected(key, many[5:])


def test_empty_and_all_null_columns() -> None:
    assert hmac_batch.hex_series(pl.Series("v", [], dtype=pl.String), b"k").to_list() == []
    assert hmac_batch.hex_series(pl.Series("v", [None, None], dtype=pl.String), b"k").to_list() == [None, None]
    assert hmac_batch.hex_series(pl.Series("v", ["", ""]), b"k").to_list() == _expected(b"k", ["", ""])


def test_a_key_longer_than_a_block_is_refused() -> None:
    with pytest.raises(ValueError, match="longer than 64 bytes"):
        hmac_batch.hex_series(pl.Series("v", ["x"]), bytes(65))
