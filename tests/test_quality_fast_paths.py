"""The fast paths of the split give the answers of the plain ones: normalization, checksums, streaming.

- `prepare` normalizes only the identifiers their validator rejects as sent: valid as sent must mean
  normalized already, for every validator;
- the validators' shared building block `first_failing` equals its plain definition;
- the streamed key pass's hash of raw text is unchanged by normalization and stripping;
- `split_files` equals `split_rows` on the path where raw rows spill to key buckets (several loads),
  the batched path of one load (keys respelled too) and the one-batch path, and `check_files` gives
  the same counts, statistics and releases without writing.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from quality import prepare as qp
from quality import stream
from quality.split import split_rows
from quality.stream import check_files, split_files
from quality.validators import VALIDATORS, luhn_check_digit, normalize_identifier
from quality.validators.compiled import folded_hash_expr, needs_strip_expr
from quality.validators.exprs import first_failing
from quality.validators.normalize import TRANSLATION, normalize_identifier_expr, was_normalized_expr

from quality_fixtures import (
    LOAD_1,
    LOAD_2,
    TODAY,
    dataset,
    full_width,
    mobile,
    person,
    raw_frame,
    registry_lookup,
    resident_id,
    uscc,
    with_wrong_check_char,
)

_NOISE = [*"0123456789XABCDEHJKLMNPQRTUWY+()浙京学挂", *sorted(TRANSLATION)]


def _near_valid(rng: random.Random, value: str) -> str:
    """`value` with one character replaced or inserted, often one that normalization rewrites."""
    at = rng.randrange(len(value) + 1)
    replaced = 1 if rng.random() < 0.5 else 0
    return value[:at] + rng.choice(_NOISE) + value[at + replaced :]


def _valid_examples(n: int) -> list[str]:
    born = [date(1950 + k % 60, 1 + k % 12, 1 + k % 28) for k in range(n)]
    cards = [p + luhn_check_digit(p) for p in (f"622848{k * 7919:012d}" for k in range(n))]
    plates = ["浙E12345", "浙ED12345", "京AF1234", "沪B1234挂"]
    papers = ["E12345678", "G12345678", "C12345678", "H1234567801"]
    ids = [resident_id(b, k) for k, b in enumerate(born)]
    return [*ids, *(i[:6] + i[8:17] for i in ids), *(uscc(k) for k in range(n)), *(mobile(k) for k in range(n))] + [
        *cards,
        *plates,
        *papers,
        "057288888888",
        "(0572)8888888",
        "+8613812345678",
    ]


def _problem(entity: str, value: str) -> str | None:
    validator = VALIDATORS[entity]
    return validator.problem(value, today=TODAY) if entity == "CN_RESIDENT_ID" else validator.problem(value)


@pytest.mark.parametrize("entity", sorted(VALIDATORS))
def test_a_value_valid_as_sent_is_normalized_already(entity: str) -> None:
    rng = random.Random(f"as-sent-{entity}")
    valid = _valid_examples(300)
    values = [*valid, *(_near_valid(rng, rng.choice(valid)) for _ in range(20_000))]
    values += ["".join(rng.choice(_NOISE) for _ in range(rng.randint(1, 20))) for _ in range(20_000)]
    accepted = [v for v in values if _problem(entity, v) is None]
    assert accepted, "the corpus holds valid values of every kind"
    assert [v for v in accepted if normalize_identifier(v) != v] == []


def _messy_rows() -> list[dict]:
    """Rows whose identifiers need normalizing, are blank or wrong, next to clean ones."""
    rows = [person(k) for k in range(40)]
    rows[1]["resident_id"] = full_width(rows[1]["resident_id"])
    rows[2]["resident_id"] = rows[2]["resident_id"][:6] + " " + rows[2]["resident_id"][6:]
    rows[3]["resident_id"] = rows[3]["resident_id"][:17] + "x" if rows[3]["resident_id"].endswith("X") else "   "
    rows[4]["resident_id"] = with_wrong_check_char(rows[4]["resident_id"])
    rows[5]["resident_id"] = "\u3000" + full_width(with_wrong_check_char(rows[5]["resident_id"]))
    rows[6]["mobile"] = rows[6]["mobile"][:3] + "-" + rows[6]["mobile"][3:]
    rows[7]["mobile"] = ""
    rows[8]["employer_uscc"] = rows[8]["employer_uscc"].lower()
    rows[9]["employer_uscc"] = "\u200b" + rows[9]["employer_uscc"]
    rows[10]["resident_id"] = rows[10]["resident_id"][:6] + rows[10]["resident_id"][8:17]  # legacy 15 digits
    rows[11]["mobile"] = full_width(rows[11]["mobile"])[:-1] + "a"
    return rows


def test_identifiers_normalized_when_rejected_equal_identifiers_normalized_first() -> None:
    ds = dataset()
    raw = raw_frame(_messy_rows())
    prepared = qp.prepare(ds, raw, TODAY)
    for c in qp.identifier_columns(ds):
        plain = raw.select(
            qp.typed_expr(c).alias(f"__v_{c.name}"), was_normalized_expr(pl.col(c.name)).alias(f"__n_{c.name}")
        )
        code = qp.problem_expr(qp.validator_for(c), qp.value(c.name), TODAY).cast(pl.String)
        expected = plain.with_columns(code.alias(f"__c_{c.name}"))
        assert prepared.select(expected.columns).equals(expected), c.name
    assert prepared.get_column("__n_resident_id").sum() >= 3


# Every character Polars' `str.strip_chars()` strips, and characters that look blank but are not.
_WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_NOT_WHITESPACE = "\u200b\u180e\ufeff\u00b7x中😀"


def test_needs_strip_flags_exactly_the_text_that_stripping_changes() -> None:
    rng = random.Random("strip")
    alphabet = _WHITESPACE + _NOT_WHITESPACE
    values = ["", None, *_WHITESPACE, *_NOT_WHITESPACE, *(f"{w}中{w}" for w in _WHITESPACE)]
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    got = frame.select(needs_strip_expr(pl.col("v"))).to_series()
    expected = frame.select(pl.when(pl.col("v").is_not_null()).then(pl.col("v") != pl.col("v").str.strip_chars()))
    assert got.to_list() == expected.to_series().to_list()


def test_text_stripped_where_flagged_equals_text_stripped_everywhere() -> None:
    rows = [person(k) for k in range(len(_WHITESPACE) + 4)]
    for k, w in enumerate(_WHITESPACE):
        rows[k]["name"] = [f"{w}张三", f"张三{w}", f"{w}", f"张{w}三"][k % 4]
    rows[-1]["name"], rows[-2]["name"], rows[-3]["name"] = "", None, "\u200b张三\ufeff"
    raw = raw_frame(rows)
    ds = dataset()
    prepared = qp.prepare(ds, raw, TODAY)
    expected = raw.select(qp.typed_expr(ds.column("name")).alias("__v_name"))
    assert prepared.select("__v_name").equals(expected)
    assert prepared.get_column("__p_name").to_list() == expected.get_column("__v_name").is_not_null().to_list()


def test_folded_hash_is_unchanged_by_normalization_and_stripping_and_tells_the_rest_apart() -> None:
    rng = random.Random("fold")
    alphabet = _WHITESPACE + _NOT_WHITESPACE + "".join(sorted(TRANSLATION)) + "0123456789Xx-中文"
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    plain = ["330521199001011234", "91330521MA2B3C4D5E", "ABCDEFGH" * 9, "德清县武康街道" * 4]
    values += [_near_valid(rng, rng.choice(plain)) for _ in range(3000)] + plain + [None]
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    hashed = frame.select(
        raw=folded_hash_expr(pl.col("v")),
        normalized=folded_hash_expr(normalize_identifier_expr(pl.col("v"))),
        stripped=folded_hash_expr(pl.col("v").str.strip_chars()),
    )
    assert hashed.get_column("raw").equals(hashed.get_column("normalized"))
    assert hashed.get_column("raw").equals(hashed.get_column("stripped"))
    # The folded text: normalized, then whitespace dropped. One hash per folded text, and no two alike.
    folded = [
        None if v is None else "".join(c for c in normalize_identifier(v) if c not in _WHITESPACE) for v in values
    ]
    pairs = pl.DataFrame({"folded": folded, "hash": hashed.get_column("raw")})
    assert pairs.unique().height == pairs.get_column("folded").n_unique() == pairs.get_column("hash").n_unique()
    assert pairs.filter(pl.col("folded").is_null()).get_column("hash").is_null().all()


def test_first_failing_gives_the_first_true_check_and_treats_null_as_passed() -> None:
    frame = pl.DataFrame({"v": ["a", "b", "c", None], "x": [True, None, False, True], "y": [True, True, None, True]})
    checks = (("x_failed", pl.col("x")), ("y_failed", pl.col("y")))
    got = frame.select(first_failing(pl.col("v"), checks)).to_series().to_list()
    assert got == ["x_failed", "y_failed", None, None]


def _write_sources(raw: pl.DataFrame, folder: Path, rows: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for k, start in enumerate(range(0, raw.height, rows)):
        sources.append(folder / f"raw-{k}.parquet")
        raw.slice(start, rows).write_parquet(sources[-1])
    return sources


def _two_loads() -> pl.DataFrame:
    """An append dataset's loads: the second corrects, repeats and supersedes rows of the first."""
    first = [person(k) for k in range(300)]
    for k in range(0, 300, 9):
        first[k]["name"] = ""
    second = [person(k, income="99.50") for k in range(0, 300, 3)] + [person(k) for k in range(0, 60, 6)]
    return pl.concat([raw_frame(first, load_id=LOAD_1), raw_frame(second, load_id=LOAD_2)])


_ONE_LOAD = raw_frame([person(k % 350) for k in range(700)])  # the second half repeats the first
_KEY = ["resident_id"]


def _respelled(k: int) -> dict[str, str]:
    """Person `k % 350` again, the key spelled otherwise (full-width, spaced, dashed or lowercase ID, padded
    name, another date format) or, every fourth row, another date: a new key."""
    row = person(k % 350)
    rid = row["resident_id"]
    spellings = [full_width(rid), f" {rid[:6]} {rid[6:14]} {rid[14:]}", f"{rid[:6]}-{rid[6:]}", rid.lower()]
    row["resident_id"] = spellings[k % 4]
    row["name"] = ["\u3000", " ", "", "\t"][k % 4] + row["name"] + [" ", "", "\u00a0"][k % 3]
    row["updated_on"] = ["2026/11/25", "20261125", "2026-11-25", "2026-11-24"][k % 4]
    return row


_RESPELLED = raw_frame([person(k) for k in range(350)] + [_respelled(k) for k in range(350, 700)])
_COMPOSITE_KEY = ["resident_id", "name", "updated_on"]  # identifier, text and date: each typed its own way


@pytest.mark.parametrize(
    ("raw", "chunk_rows", "key", "bucket_chunks"),
    [
        (_two_loads(), 60, _KEY, stream.HASH_BUCKET_CHUNKS),
        (_ONE_LOAD, 60, _KEY, stream.HASH_BUCKET_CHUNKS),
        (_RESPELLED, 60, _COMPOSITE_KEY, stream.HASH_BUCKET_CHUNKS),
        (_RESPELLED, 60, _COMPOSITE_KEY, 2),
        (_ONE_LOAD, 700, _KEY, stream.HASH_BUCKET_CHUNKS),
    ],
    ids=[
        "loads",
        "load in batches",
        "load in batches, keys respelled",
        "load in batches, key hashes in several buckets",
        "load in one batch",
    ],
)
def test_streamed_split_equals_the_in_memory_split_on_every_path(
    raw: pl.DataFrame, chunk_rows: int, key: list[str], bucket_chunks: int, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(stream, "HASH_BUCKET_CHUNKS", bucket_chunks)
    ds = dataset(load_mode="append", primary_key=key)
    memory = split_rows(ds, raw, today=TODAY, lookups=registry_lookup())
    sources = _write_sources(raw, tmp_path / "raw", 170)
    options = {"today": TODAY, "lookups": registry_lookup(), "chunk_rows": chunk_rows}
    streamed = split_files(ds, sources, tmp_path / "out", **options)
    order = ["_load_id", "_row_number"]
    assert pl.read_parquet(streamed.clean_files).sort(order).equals(memory.clean.sort(order))
    assert pl.read_parquet(streamed.quarantine_files).sort(order).equals(memory.quarantine.sort(order))
    for outcome in (streamed, check_files(ds, sources, **options)):
        assert (outcome.clean_rows, outcome.quarantined_rows) == (memory.clean.height, memory.quarantine.height)
        assert outcome.released.sort(order).equals(memory.released.sort(order))
        assert {(r.rule, r.column): (r.count, r.examples, r.details) for r in outcome.stats.rules} == {
            (r.rule, r.column): (r.count, r.examples, r.details) for r in memory.stats.rules
        }
        assert outcome.stats.dimension_rows == memory.stats.dimension_rows
    assert memory.stats.count("duplicate_key") > 0
