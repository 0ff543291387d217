"""The data subject's key (当事人标识): a keyed pseudonym of a resident ID, for consent row filters.

Safe-layer files of datasets about natural persons carry it as column `_subject`, so a consumer's
access database can keep only the rows of subjects who authorized that consumer (art. 14) without
ever holding or comparing raw ID numbers. Domain-separated from the published pseudonyms, so the
filter key cannot be joined against a published column.
"""

from __future__ import annotations

import hashlib
import hmac

import polars as pl

from desensitize.keys import load_or_create
from quality.validators import normalize_identifier

SUBJECT_COLUMN = "_subject"
_DOMAIN = b"pdl-subject-v1:"


def subject_key(resident_id: str) -> str:
    """The subject key of one resident ID (normalized first, so full-width or spaced forms agree)."""
    key = load_or_create("pseudonym")
    message = _DOMAIN + normalize_identifier(resident_id).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def subject_keys(ids: pl.Series) -> pl.Series:
    """Subject keys for a column of resident IDs; HMAC runs once per distinct value, nulls stay null."""
    distinct = ids.drop_nulls().unique()
    mapping = dict(zip(distinct.to_list(), (subject_key(v) for v in distinct.to_list()), strict=True))
    return ids.replace_strict(mapping, default=None, return_dtype=pl.String).alias(SUBJECT_COLUMN)
