"""The data subject's key (当事人标识): a keyed pseudonym of a resident ID, for consent row filters.

Safe-layer files of datasets about natural persons carry it as column `_subject`, so a consumer's
access database can keep only the rows of subjects who authorized that consumer (art. 14) without
ever holding or comparing raw ID numbers.

It is the second half of the HMAC-SHA256 whose first half is the published pseudonym of the same ID
(`operators.pseudonym_digest`: same key, same normalization). The halves of an HMAC output are
independent: the published pseudonym does not reveal the subject key, so the filter key cannot be
joined against a published column. One HMAC per ID serves both columns (`desensitize.safe` computes
the digest once per batch), where a second, prefixed HMAC made `_subject` the costliest column of a
share (and Python HMAC per distinct ID before that: ~10 s per million IDs).
"""

from __future__ import annotations

import polars as pl

from desensitize.keys import load_or_create
from desensitize.operators import PSEUDONYM_HEX_CHARS, pseudonym_digest

SUBJECT_COLUMN = "_subject"
_ENTITY = "CN_RESIDENT_ID"


def subject_expr(resident_id: pl.Expr, key: bytes) -> pl.Expr:
    """The subject key of every value of a resident-ID column under `key`; nulls stay null."""
    return subject_of_digest(pseudonym_digest(resident_id, _ENTITY, key))


def subject_of_digest(digest: pl.Expr) -> pl.Expr:
    """The subject key from the ID's `pseudonym_digest` (shared with its published pseudonym)."""
    return digest.str.slice(PSEUDONYM_HEX_CHARS).alias(SUBJECT_COLUMN)


def subject_key(resident_id: str) -> str:
    """The subject key of one resident ID (normalized first, so full-width or spaced forms agree)."""
    return pl.select(subject_expr(pl.lit(resident_id, pl.String), load_or_create("pseudonym"))).item()
