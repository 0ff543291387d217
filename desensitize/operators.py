"""Desensitization operators (脱敏算子): each one turns a column expression into a safe expression.

An operator is a function `(expr or series, ctx) -> pl.Expr`, registered by name; the policy names
operators, never functions. Everything on the hot path is a vectorized Polars expression, except the
keyed primitives, which neither Polars nor DuckDB offers (DuckDB has sha256 but no HMAC).

HMAC, measured on 1M distinct 18-digit IDs (2 cores; `bench/desensitize.py` for the whole pipeline):
- `desensitize.hmac_batch` (C extension: padded key states compressed once, eight values at once with
  AVX2, one slice per core): ~0.2 s wall, 0.33 s CPU; used;
- the `polars-hash` plugin (`chash.hmac_sha256`, Rust): ~1.05 s, one core per column (it re-derives
  the padded key for every value); was used until 2026-11-27, and gives the same digests;
- Python over the distinct values of each batch, padded key states copied per value: ~2.3-3.5 s;
- HMAC composed from DuckDB's sha256 (`sha256(opad || unhex(sha256(ipad || v)))`): ~1.1-3.2 s;
- `hmac.digest` per value: ~3.9 s.
AES-SIV encryption runs in Python over the distinct values of each batch (`_map_distinct`).

Operators and what they keep:
- `keep`: the value as is (never allowed for personal data bound for `open`, see policy.py).
- `mask`: the usual display conventions per entity: ID `330521********1234`, mobile `138****5678`,
  name `张*` (compound surnames keep both characters: `欧阳**`), bank card first 6 and last 4; a value
  too short for its convention is masked whole, so a malformed value never leaks.
- `pseudonymize`: keyed HMAC-SHA256 (per-deployment secret, see keys.py) of the normalized value,
  32 hex characters; stable across runs and datasets, so shared data stays joinable.
- `year`, `age_band`, `township`, `amount_band`, and `generalize` which picks one by entity.
- `suppress`: the column is dropped (the caller drops it; `drops=True`).
- `encrypt`: deterministic AES-SIV with the separate encryption key; `decrypt_series` recovers it.
- `redact_text`: free text through `desensitize.text.redact_series`.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from desensitize import keys
from desensitize.hmac_batch import hex_series
from quality.validators import normalize_identifier_expr

OperatorFunc = Callable[[pl.Expr, "OperatorContext"], pl.Expr]

# fmt: off
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "司空", "夏侯",
    "轩辕", "令狐", "钟离", "独孤", "南宫", "西门", "万俟", "闻人", "赫连", "澹台", "公冶", "太史", "申屠", "端木",
    "呼延", "濮阳", "百里", "东郭", "第五", "左丘", "拓跋",
)
# fmt: on
PSEUDONYM_HEX_CHARS = 32
CIPHER_PREFIX = "enc1:"
_STARS = "*" * 256
# An address cut to its administrative prefix in one regex pass: optional province, city, county, then
# township (镇/乡/街道). Each part excludes the level words of the parts after it, so a road named
# 市场路 or 城区路 is never taken for a city or a district; a 区 after 小/园/社 is a housing estate or a
# park, not a district. Nothing matched (no administrative word at the start) gives null. The whole
# match is the prefix: without a capture group the regex engine needs no capture slots (a million
# addresses: 0.08 s, against 0.36 s extracting the same text as group 1).
_ADMIN_PREFIX = (
    r"^(?:[^省市县区镇乡街]*省)?(?:[^市县区镇乡街]*市)?(?:[^县区镇乡街]*[^小园社县区镇乡街][县区])?"
    r"(?:[^镇乡街]*(?:街道|镇|乡))?"
)
_IDENTIFIER_ENTITIES = frozenset(
    {"CN_RESIDENT_ID", "CN_MOBILE_PHONE", "CN_LANDLINE_PHONE", "CN_BANK_CARD", "CN_USCC", "CN_PASSPORT"}
)


@dataclass(frozen=True)
class OperatorContext:
    """What an operator may know about the column: never its values."""

    column: str
    entity: str | None = None
    dataset_id: str = ""
    today: date = field(default_factory=date.today)
    key_loader: Callable[[str], bytes] = keys.load_or_create
    # `shared(name, expr)`: an expression computed once (`desensitize.safe` makes it a hidden column of
    # the batch, all in one `with_columns`, so shared expressions must not read each other), which
    # several output columns or several parts of one may read; by default it is computed in place.
    shared: Callable[[str, pl.Expr], pl.Expr] = lambda _name, expr: expr

    def digest(self, e: pl.Expr) -> pl.Expr:
        """`pseudonym_digest` of this column, shared with whatever else reads it (the subject key)."""
        return self.shared(digest_name(self.column), pseudonym_digest(e, self.entity, self.key_loader("pseudonym")))

    def normalized(self, e: pl.Expr) -> pl.Expr:
        """`normalize_for_entity` of this column, computed once: a mask reads its value three or four
        times (length, head, tail), and Polars recomputed the normalization for each (a mobile mask of
        a million values: 0.7 s against 0.29 s)."""
        return self.shared(f"__normalized_{self.column}", normalize_for_entity(e, self.entity))


@dataclass(frozen=True)
class Operator:
    """A registered operator and the properties the policy checks.

    `open_safe`: may carry personal data to `open` (irreversible and not linkable across datasets).
    `applies_to`: entities it makes sense for (None: any column).
    """

    name: str
    func: OperatorFunc
    open_safe: bool
    drops: bool = False
    applies_to: frozenset[str | None] | None = None

    def __call__(self, value: pl.Expr | pl.Series, ctx: OperatorContext) -> pl.Expr:
        expr = pl.lit(value) if isinstance(value, pl.Series) else value
        return self.func(expr, ctx)


REGISTRY: dict[str, Operator] = {}


def register(
    name: str, *, open_safe: bool, drops: bool = False, applies_to: set[str | None] | None = None
) -> Callable[[OperatorFunc], OperatorFunc]:
    """Decorator adding `func` to the registry under `name`."""

    def add(func: OperatorFunc) -> OperatorFunc:
        frozen = frozenset(applies_to) if applies_to is not None else None
        REGISTRY[name] = Operator(name, func, open_safe, drops, frozen)
        return func

    return add


def get(name: str) -> Operator:
    """The operator registered as `name`; KeyError lists the known names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown operator '{name}'; known: {', '.join(sorted(REGISTRY))}") from None


def apply_series(name: str, series: pl.Series, ctx: OperatorContext) -> pl.Series:
    """Run operator `name` on a Series (tests, scans); pipelines use the expression form."""
    return pl.select(get(name)(series, ctx).alias(series.name)).to_series()


def _text(e: pl.Expr) -> pl.Expr:
    return e.cast(pl.String)


def _stars(count: pl.Expr) -> pl.Expr:
    return pl.lit(_STARS).str.head(count.clip(lower_bound=0))


def keep_ends(e: pl.Expr, head: int, tail: int, min_hidden: int = 4) -> pl.Expr:
    """Keep `head` and `tail` characters, one `*` per hidden character; all `*` if too short."""
    n = e.str.len_chars().cast(pl.Int64)
    kept = pl.concat_str([e.str.head(head), _stars(n - head - tail), e.str.tail(tail)])
    return pl.when(n >= head + tail + min_hidden).then(kept).otherwise(_stars(n))


def normalize_for_entity(e: pl.Expr, entity: str | None) -> pl.Expr:
    """The canonical form of a value, so that the same identifier masks and hashes the same everywhere."""
    text = _text(e).str.strip_chars()
    if entity == "CN_MOBILE_PHONE":
        return normalize_identifier_expr(text).str.replace(r"^(?:\+?86)(1\d{10})$", "$1")
    if entity in _IDENTIFIER_ENTITIES or entity == "CN_LICENSE_PLATE":
        return normalize_identifier_expr(text)
    if entity == "EMAIL_ADDRESS":
        return text.str.to_lowercase()
    return text


def _mask_person(e: pl.Expr) -> pl.Expr:
    n = e.str.len_chars().cast(pl.Int64)
    head = pl.when(e.str.head(2).is_in(COMPOUND_SURNAMES) & (n >= 3)).then(2).otherwise(1)
    return pl.when(n >= 2).then(pl.concat_str([e.str.head(head), _stars(n - head)])).otherwise(_stars(n))


def _mask_email(e: pl.Expr) -> pl.Expr:
    ok = e.str.contains(r"^[^@\s]+@[^@\s]+$")
    return pl.when(ok).then(e.str.replace(r"^(.)[^@]*@", "${1}***@")).otherwise(_stars(e.str.len_chars()))


def _mask_ip(e: pl.Expr) -> pl.Expr:
    ipv4 = r"^(\d{1,3}\.\d{1,3})\.\d{1,3}\.\d{1,3}$"
    return pl.when(e.str.contains(ipv4)).then(e.str.replace(ipv4, "$1.*.*")).otherwise(_stars(e.str.len_chars()))


def _mask_landline(e: pl.Expr) -> pl.Expr:
    return pl.when(e.str.contains(r"^0[12]")).then(keep_ends(e, 3, 2)).otherwise(keep_ends(e, 4, 2))


def _mask_date(e: pl.Expr) -> pl.Expr:
    year = _year(e)
    return pl.when(year.is_not_null()).then(year + "-**-**").otherwise(_stars(e.str.len_chars()))


_MASKS: dict[str | None, Callable[[pl.Expr], pl.Expr]] = {
    "CN_RESIDENT_ID": lambda e: keep_ends(e, 6, 4),
    "CN_MOBILE_PHONE": lambda e: keep_ends(e, 3, 4),
    "CN_BANK_CARD": lambda e: keep_ends(e, 6, 4),
    "CN_PASSPORT": lambda e: keep_ends(e, 1, 3),
    "CN_LICENSE_PLATE": lambda e: keep_ends(e, 2, 1, min_hidden=3),
    "CN_USCC": lambda e: keep_ends(e, 2, 2),
    "CN_LANDLINE_PHONE": _mask_landline,
    "PERSON": _mask_person,
    "EMAIL_ADDRESS": _mask_email,
    "IP_ADDRESS": _mask_ip,
    "DATE_OF_BIRTH": _mask_date,
}


@register("keep", open_safe=False)
def keep(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    return e


@register("mask", open_safe=True)
def mask(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """Entity-specific display mask; addresses are cut to their township."""
    value = ctx.normalized(e)
    if ctx.entity == "CN_ADDRESS":
        return township(value, ctx)
    return _MASKS.get(ctx.entity, lambda v: keep_ends(v, 1, 1))(value)


@register("suppress", open_safe=True, drops=True)
def suppress(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """Dropped by the caller (`drops=True`); as an expression, all null."""
    return pl.lit(None, dtype=pl.String)


def _year(e: pl.Expr) -> pl.Expr:
    """The leading four-digit year of a date in any of the layouts used here (or of a Date); else null."""
    head = _text(e).str.strip_chars_start().str.head(4)
    return pl.when(head.str.contains(r"^(?:18|19|20)\d{2}$")).then(head)


@register("year", open_safe=True, applies_to={"DATE_OF_BIRTH", None})
def year(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """A date (`1990-01-01`, `19900101`, `1990年1月1日`, `1990/1/1`, or a Date column) cut to its year."""
    return _year(e)


@register("age_band", open_safe=True, applies_to={"DATE_OF_BIRTH", None})
def age_band(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """Ten-year age band at `ctx.today` (`30-39`, `90+`), from the birth year."""
    age = pl.lit(ctx.today.year) - _year(e).cast(pl.Int64)
    low = (age.clip(lower_bound=0) // 10) * 10
    band = pl.concat_str([low.cast(pl.String), pl.lit("-"), (low + 9).cast(pl.String)])
    return pl.when(low >= 90).then(pl.lit("90+")).otherwise(band)


@register("township", open_safe=True, applies_to={"CN_ADDRESS", None})
def township(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """An address cut after its township (镇/乡/街道), else its county or city; null if none is found."""
    return _text(e).str.strip_chars().str.extract(_ADMIN_PREFIX, 0).replace("", None)


@register("amount_band", open_safe=True, applies_to={None})
def amount_band(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """A number in its 1-2-5 band (`500-1000`, `1000-2000`); text amounts with `,` are parsed."""
    v = _text(e).str.replace_all(",", "").str.strip_chars().cast(pl.Float64, strict=False)
    exp = v.log10().floor().clip(lower_bound=0)
    mantissa = v / pl.lit(10.0).pow(exp)
    step = pl.when(mantissa < 2).then(1).when(mantissa < 5).then(2).otherwise(5)
    upper = pl.when(step == 1).then(2).when(step == 2).then(5).otherwise(10)
    low = (step * pl.lit(10.0).pow(exp)).cast(pl.Int64)
    high = (upper * pl.lit(10.0).pow(exp)).cast(pl.Int64)
    band = pl.concat_str([low.cast(pl.String), pl.lit("-"), high.cast(pl.String)])
    return pl.when(v < 0).then(pl.lit("<0")).when(v < 1).then(pl.lit("0-1")).otherwise(band)


@register("generalize", open_safe=True)
def generalize(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """Birth date to year, address to township, other entities masked, plain columns to amount bands."""
    if ctx.entity == "DATE_OF_BIRTH":
        return year(e, ctx)
    if ctx.entity == "CN_ADDRESS":
        return township(e, ctx)
    if ctx.entity is not None:
        return mask(e, ctx)
    return amount_band(e, ctx)


def _map_distinct(series: pl.Series, func: Callable[[list[bytes]], list[bytes]]) -> pl.Series:
    """`func` over the distinct non-null values of a batch only (as bytes), joined back onto the rows."""
    distinct = series.drop_nulls().unique()
    results = pl.Series("r", func(distinct.cast(pl.Binary).to_list()), dtype=pl.Binary)
    mapping = pl.DataFrame({"v": distinct, "r": results})
    joined = series.to_frame("v").join(mapping, on="v", how="left", maintain_order="left")
    return joined.get_column("r")


def hmac_values(key: bytes, values: list[str]) -> list[str]:
    """The pseudonyms of `values` (reference form, one at a time): HMAC-SHA256 hex, first 32 characters."""
    secret = key.hex().encode()
    return [hmac.digest(secret, v.encode(), "sha256").hex()[:PSEUDONYM_HEX_CHARS] for v in values]


def hmac_hex(e: pl.Expr, key: bytes) -> pl.Expr:
    """RFC 2104 HMAC-SHA256 of a String expression under the hex form of `key`, as 64 hex characters.

    The HMAC key is the secret's hex text (as polars-hash, used before, took it), so pseudonyms
    published before the switch to `hmac_batch` stay the same.
    """
    secret = key.hex().encode()
    return e.map_batches(lambda s: hex_series(s, secret), return_dtype=pl.String, is_elementwise=True)


def digest_name(column: str) -> str:
    """The name under which a column's `pseudonym_digest` is shared."""
    return f"__digest_{column}"


def pseudonym_digest(e: pl.Expr, entity: str | None, key: bytes) -> pl.Expr:
    """`hmac_hex` of the normalized value: the published pseudonym is its first half, the data
    subject's consent key (`desensitize.subject`) its second half."""
    return hmac_hex(normalize_for_entity(e, entity), key)


def pseudonym_expr(e: pl.Expr, key: bytes) -> pl.Expr:
    """The published pseudonym: the first half (32 hex characters) of `hmac_hex`."""
    return hmac_hex(e, key).str.head(PSEUDONYM_HEX_CHARS)


@register("pseudonymize", open_safe=False)
def pseudonymize(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """Keyed, stable pseudonym of the normalized value (joinable across datasets, not reversible)."""
    return ctx.digest(e).str.head(PSEUDONYM_HEX_CHARS)


def encrypt_values(key: bytes, values: list[bytes]) -> list[bytes]:
    """Deterministic AES-SIV ciphertexts, as `enc1:` + URL-safe base64 (ASCII bytes)."""
    cipher = AESSIV(key)
    prefix = CIPHER_PREFIX.encode()
    return [prefix + base64.urlsafe_b64encode(cipher.encrypt(v, None)) for v in values]


def decrypt_values(key: bytes, tokens: list[bytes]) -> list[bytes]:
    """Inverse of `encrypt_values`; raises `cryptography.exceptions.InvalidTag` with a wrong key."""
    cipher = AESSIV(key)
    prefix = CIPHER_PREFIX.encode()
    return [cipher.decrypt(base64.urlsafe_b64decode(t.removeprefix(prefix)), None) for t in tokens]


@register("encrypt", open_safe=False)
def encrypt(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """Reversible for the holder of the encryption key only: the value exactly as sent comes back.

    AES-SIV is deterministic (equal values give equal tokens), which is what lets it run over the
    distinct values only; it reveals equality, as a pseudonym does, and nothing else.
    """
    key = ctx.key_loader("encryption")

    def batch(series: pl.Series) -> pl.Series:
        return _map_distinct(series, lambda values: encrypt_values(key, values)).cast(pl.String)

    return _text(e).map_batches(batch, return_dtype=pl.String, is_elementwise=True)


def decrypt_series(series: pl.Series, key: bytes) -> pl.Series:
    """Recover the values of an encrypted column (the authority's operation, with the key held apart)."""
    return _map_distinct(series, lambda tokens: decrypt_values(key, tokens)).cast(pl.String).alias(series.name)


@register("redact_text", open_safe=True)
def redact_text(e: pl.Expr, ctx: OperatorContext) -> pl.Expr:
    """Free text with the personal spans found by `desensitize.text` replaced."""
    from desensitize.text import redact_series

    return _text(e).map_batches(redact_series, return_dtype=pl.String, is_elementwise=True)
