"""Desensitization operators: mask conventions, keyed pseudonyms, generalization, encryption, keys."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from cryptography.exceptions import InvalidTag

from desensitize import keys, operators
from desensitize.operators import OperatorContext, apply_series

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "keys"
    monkeypatch.setenv("PDL_KEY_DIR", str(folder))
    monkeypatch.delenv("PDL_ENCRYPTION_KEY_DIR", raising=False)
    return folder


def run(name: str, values: list[str | None], entity: str | None = None, dataset: str = "ds") -> list[str | None]:
    ctx = OperatorContext("c", entity, dataset, TODAY)
    return apply_series(name, pl.Series("c", values, dtype=pl.String), ctx).to_list()


@pytest.mark.parametrize(
    ("entity", "value", "masked"),
    [
        ("CN_RESIDENT_ID", "330521199001011234", "330521********1234"),
        ("CN_RESIDENT_ID", "33052119900101123x", "330521********123X"),
        ("CN_RESIDENT_ID", "３３０５２１１９９００１０１１２３４", "330521********1234"),
        ("CN_MOBILE_PHONE", "13812345678", "138****5678"),
        ("CN_MOBILE_PHONE", "+86 138-1234-5678", "138****5678"),
        ("PERSON", "张三", "张*"),
        ("PERSON", "张三丰", "张**"),
        ("PERSON", "欧阳娜娜", "欧阳**"),
        ("PERSON", "司马光", "司马*"),
        ("PERSON", "欧阳", "欧*"),
        ("CN_BANK_CARD", "6222021234567890123", "622202*********0123"),
        ("CN_BANK_CARD", "6222 0212 3456 7890", "622202******7890"),
        ("CN_LANDLINE_PHONE", "0572-8421234", "0572*****34"),
        ("EMAIL_ADDRESS", "zhangsan@example.com", "z***@example.com"),
        ("IP_ADDRESS", "192.168.10.20", "192.168.*.*"),
        ("CN_PASSPORT", "E12345678", "E*****678"),
        ("CN_LICENSE_PLATE", "浙E12345", "浙E****5"),
        ("DATE_OF_BIRTH", "1990-01-01", "1990-**-**"),
        ("CN_ADDRESS", "浙江省湖州市德清县武康街道英溪北路1号", "浙江省湖州市德清县武康街道"),
    ],
)
def test_mask_conventions(entity: str, value: str, masked: str) -> None:
    assert run("mask", [value], entity) == [masked]


@pytest.mark.parametrize(
    ("entity", "value"),
    [("CN_RESIDENT_ID", "1234"), ("CN_MOBILE_PHONE", "13812"), ("PERSON", "李"), ("CN_BANK_CARD", "62220")],
)
def test_mask_hides_a_value_too_short_for_its_convention(entity: str, value: str) -> None:
    assert run("mask", [value], entity) == ["*" * len(value)]


def test_mask_keeps_length_and_null() -> None:
    values = ["330521199001011234", None, "110101198001010010"]
    out = run("mask", values, "CN_RESIDENT_ID")
    assert out[1] is None
    assert [len(v) for v in out if v] == [18, 18]


def test_pseudonym_is_stable_across_calls_and_datasets() -> None:
    values = ["330521199001011234", "110101198001010010", None]
    first = run("pseudonymize", values, "CN_RESIDENT_ID", dataset="a")
    again = run("pseudonymize", values, "CN_RESIDENT_ID", dataset="b")
    assert first == again
    assert first[2] is None
    assert len(set(first[:2])) == 2
    assert all(len(p) == operators.PSEUDONYM_HEX_CHARS for p in first[:2])


def test_pseudonym_of_one_value_in_two_forms_is_one_pseudonym() -> None:
    out = run("pseudonymize", ["13812345678", "+86 138 1234 5678", "１３８１２３４５６７８"], "CN_MOBILE_PHONE")
    assert len(set(out)) == 1


def test_pseudonym_differs_with_another_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run("pseudonymize", ["13812345678"], "CN_MOBILE_PHONE")
    monkeypatch.setenv("PDL_KEY_DIR", str(tmp_path / "other-keys"))
    assert run("pseudonymize", ["13812345678"], "CN_MOBILE_PHONE") != first


def test_pseudonym_is_a_keyed_hmac_not_a_plain_hash() -> None:
    import hashlib

    value = "330521199001011234"
    out = run("pseudonymize", [value], "CN_RESIDENT_ID")[0]
    assert out != hashlib.sha256(value.encode()).hexdigest()[: operators.PSEUDONYM_HEX_CHARS]
    assert out == operators.hmac_values(keys.load_or_create("pseudonym"), [value])[0]


@pytest.mark.parametrize("name", ["mask", "pseudonymize", "encrypt"])
def test_no_raw_value_survives(name: str) -> None:
    values = ["330521199001011234", "13812345678", "张三丰", "6222021234567890123"]
    entities = ["CN_RESIDENT_ID", "CN_MOBILE_PHONE", "PERSON", "CN_BANK_CARD"]
    for value, entity in zip(values, entities):
        out = run(name, [value], entity)[0]
        assert out is not None and value not in out
        assert value[-6:] not in out.replace("*", "")


def test_year_and_age_band() -> None:
    dates = ["1990-01-01", "1990年1月1日", "19900101", "2020/5/6", None]
    assert run("year", dates, "DATE_OF_BIRTH") == ["1990", "1990", "1990", "2020", None]
    assert run("age_band", ["1990-01-01", "2020-05-06", "1930-01-01"], "DATE_OF_BIRTH") == ["30-39", "0-9", "90+"]


def test_year_on_a_date_column() -> None:
    ctx = OperatorContext("c", "DATE_OF_BIRTH", "ds", TODAY)
    series = pl.Series("c", [date(1985, 3, 4), None])
    assert apply_series("year", series, ctx).to_list() == ["1985", None]


@pytest.mark.parametrize(
    ("address", "township"),
    [
        ("德清县新市镇某村12号", "德清县新市镇"),
        ("浙江省湖州市德清县武康街道英溪北路1号", "浙江省湖州市德清县武康街道"),
        ("德清县武康街道千秋街100号", "德清县武康街道"),
        ("湖州市德清县某路1号", "湖州市德清县"),
        ("湖州市吴兴区市场路5号", "湖州市吴兴区"),
        ("德清县乾元镇市场路1号", "德清县乾元镇"),
        ("新市镇城区路2号", "新市镇"),
        ("上海市浦东新区张江镇某路8号", "上海市浦东新区张江镇"),
        ("湖州市某某小区5幢", "湖州市"),
        ("某某小区5幢", None),
        ("某路1号", None),
    ],
)
def test_township_cuts_address_after_township_or_county(address: str, township: str | None) -> None:
    assert run("township", [address], "CN_ADDRESS") == [township]


def test_amount_band() -> None:
    values = ["0.5", "1", "1,234.5", "550", "99999", "-3", "n/a", None]
    assert run("amount_band", values) == ["0-1", "1-2", "1000-2000", "500-1000", "50000-100000", "<0", None, None]


def test_generalize_dispatches_by_entity() -> None:
    assert run("generalize", ["1990-01-01"], "DATE_OF_BIRTH") == ["1990"]
    assert run("generalize", ["德清县新市镇某村12号"], "CN_ADDRESS") == ["德清县新市镇"]
    assert run("generalize", ["13812345678"], "CN_MOBILE_PHONE") == ["138****5678"]
    assert run("generalize", ["2300"]) == ["2000-5000"]


def test_encryption_round_trips_only_with_the_key(tmp_path: Path) -> None:
    values = ["330521199001011234", None, "a b", "330521199001011234"]
    tokens = run("encrypt", values, "CN_RESIDENT_ID")
    assert tokens[0] == tokens[3] and tokens[1] is None
    assert all(t.startswith(operators.CIPHER_PREFIX) for t in tokens if t)
    key = keys.load_or_create("encryption")
    assert operators.decrypt_series(pl.Series(tokens), key).to_list() == values
    with pytest.raises(InvalidTag):
        operators.decrypt_series(pl.Series(tokens), bytes(64))


def test_encryption_key_can_be_held_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key_dir: Path) -> None:
    apart = tmp_path / "authority"
    monkeypatch.setenv("PDL_ENCRYPTION_KEY_DIR", str(apart))
    run("encrypt", ["x1234567"], None)
    assert (apart / "encryption.key").exists()
    assert not (key_dir / "encryption.key").exists()


def test_key_files_are_private_and_reused(key_dir: Path) -> None:
    first = keys.load_or_create("pseudonym")
    assert keys.load_or_create("pseudonym") == first
    assert stat.S_IMODE((key_dir / "pseudonym.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700


def test_key_dir_is_read_at_call_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDL_KEY_DIR", str(tmp_path / "later"))
    assert keys.key_dir() == tmp_path / "later"


def test_key_file_readable_by_others_is_refused(key_dir: Path) -> None:
    keys.load_or_create("pseudonym")
    (key_dir / "pseudonym.key").chmod(0o644)
    with pytest.raises(keys.KeyFileError, match="chmod 600") as info:
        keys.load_or_create("pseudonym")
    assert (key_dir / "pseudonym.key").read_bytes().hex() not in str(info.value)


def test_key_dir_inside_the_repository_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDL_KEY_DIR", str(Path(keys.__file__).parent / "not-here"))
    with pytest.raises(keys.KeyFileError, match="inside the repository"):
        keys.load_or_create("pseudonym")


def test_operators_are_lazy_expressions() -> None:
    ctx = OperatorContext("c", "CN_MOBILE_PHONE", "ds", TODAY)
    for name in ("mask", "pseudonymize", "year", "township", "amount_band", "encrypt"):
        assert isinstance(operators.get(name)(pl.col("c"), ctx), pl.Expr)


def test_streaming_sink_with_keyed_operators(tmp_path: Path) -> None:
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pl.DataFrame({"m": ["13812345678", "13912345678"] * 5000}).write_parquet(source)
    ctx = OperatorContext("m", "CN_MOBILE_PHONE", "ds", TODAY)
    pl.scan_parquet(source).select(operators.get("pseudonymize")(pl.col("m"), ctx)).sink_parquet(target)
    out = pl.read_parquet(target)["m"]
    assert out.n_unique() == 2 and out.len() == 10_000


def test_redact_text_removes_identifiers_from_free_text() -> None:
    notes = ["已电话回访13812345678，情况属实", None, "材料齐全"]
    out = run("redact_text", notes)
    assert "13812345678" not in out[0]
    assert out[1:] == [None, "材料齐全"]


def test_unknown_operator_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="mask"):
        operators.get("scramble")
