"""Desensitization policy: matrix lookups, overrides, the open rule, and the safe layer applying it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from catalog.loader import validate_catalog
from catalog.model import Dataset
from desensitize import operators, safe
from desensitize.policy import (
    DEFAULT_PATH,
    DESTINATIONS,
    GRADES,
    ROWS,
    PolicyError,
    is_personal_row,
    load_policy,
    operator_for,
    override_problems,
    parse_policy,
)
from desensitize.safe import desensitize_frame, write_safe

from catalog_support import catalog_entry


@pytest.fixture(autouse=True)
def key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PDL_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("PDL_ENCRYPTION_KEY_DIR", raising=False)
    return tmp_path / "keys"


def make_dataset(overrides: list[dict[str, str]] | None = None) -> Dataset:
    return catalog_entry(
        policy_overrides=overrides or [],
        columns=[
            {"name": "resident_id", "aliases": ["身份证号码"], "entity": "CN_RESIDENT_ID", "grade": "L3"},
            {"name": "name", "aliases": ["姓名"], "entity": "PERSON", "grade": "L2"},
            {"name": "mobile", "aliases": ["手机号码"], "entity": "CN_MOBILE_PHONE", "grade": "L3"},
            {"name": "birth_date", "aliases": ["出生日期"], "entity": "DATE_OF_BIRTH", "grade": "L2"},
            {"name": "address", "aliases": ["住址"], "entity": "CN_ADDRESS", "grade": "L3"},
            {"name": "bank_card", "entity": "CN_BANK_CARD", "grade": "L4"},
            {"name": "note", "aliases": ["备注"], "free_text": True, "grade": "L2"},
            {"name": "township", "aliases": ["所属乡镇"], "grade": "L1"},
            {"name": "amount", "aliases": ["金额"], "type": "decimal", "grade": "L2"},
        ],
    )


def default_matrix() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("column", "destination", "expected"),
    [
        ("resident_id", "share_unconditional", "pseudonymize"),
        ("resident_id", "share_restricted", "pseudonymize"),
        ("resident_id", "open", "suppress"),
        ("name", "share_unconditional", "mask"),
        ("name", "share_restricted", "keep"),
        ("name", "open", "mask"),
        ("mobile", "open", "suppress"),
        ("birth_date", "open", "year"),
        ("address", "open", "township"),
        ("bank_card", "share_restricted", "encrypt"),
        ("bank_card", "share_unconditional", "suppress"),
        ("note", "open", "redact_text"),
        ("township", "open", "keep"),
        ("amount", "open", "keep"),
    ],
)
def test_matrix_lookup(column: str, destination: str, expected: str) -> None:
    dataset = make_dataset()
    assert operator_for(dataset.column(column), dataset, destination) == expected


def test_default_policy_is_complete_and_never_opens_personal_data_as_is() -> None:
    policy = load_policy()
    for row in ROWS:
        for grade in GRADES:
            for destination in DESTINATIONS:
                name = policy.lookup(row, grade, destination)
                if destination == "open" and is_personal_row(row):
                    assert operators.get(name).open_safe, (row, grade, name)


def test_override_for_one_destination_and_for_all() -> None:
    dataset = make_dataset(
        [
            {"column": "name", "destination": "share_unconditional", "operator": "keep"},
            {"column": "amount", "destination": "all", "operator": "amount_band"},
            {"column": "amount", "destination": "share_restricted", "operator": "keep"},
        ]
    )
    assert operator_for(dataset.column("name"), dataset, "share_unconditional") == "keep"
    assert operator_for(dataset.column("name"), dataset, "open") == "mask"
    assert operator_for(dataset.column("amount"), dataset, "open") == "amount_band"
    assert operator_for(dataset.column("amount"), dataset, "share_restricted") == "keep"


@pytest.mark.parametrize("operator", ["keep", "pseudonymize", "encrypt"])
def test_override_cannot_open_personal_data(operator: str) -> None:
    dataset = make_dataset([{"column": "resident_id", "destination": "all", "operator": operator}])
    assert operator_for(dataset.column("resident_id"), dataset, "share_restricted") == operator
    with pytest.raises(PolicyError, match="CN_RESIDENT_ID.*open|open.*CN_RESIDENT_ID"):
        operator_for(dataset.column("resident_id"), dataset, "open")


def test_override_problems_lists_every_rejected_override() -> None:
    dataset = make_dataset(
        [
            {"column": "resident_id", "destination": "all", "operator": "keep"},
            {"column": "amount", "destination": "open", "operator": "amount_band"},
            {"column": "name", "destination": "share_restricted", "operator": "scramble"},
        ]
    )
    problems = override_problems(dataset)
    assert len(problems) == 2
    assert "CN_RESIDENT_ID" in problems[0] and "open" in problems[0]
    assert "scramble" in problems[1]
    assert override_problems(make_dataset()) == []


def test_override_with_an_operator_meant_for_another_entity_is_rejected() -> None:
    dataset = make_dataset([{"column": "resident_id", "destination": "all", "operator": "year"}])
    with pytest.raises(PolicyError, match="does not apply"):
        operator_for(dataset.column("resident_id"), dataset, "open")


@pytest.mark.parametrize("operator", ["keep", "pseudonymize", "encrypt"])
@pytest.mark.parametrize("row", ["PERSON", "CN_RESIDENT_ID", "FREE_TEXT"])
def test_matrix_letting_personal_data_into_open_as_is_is_rejected(row: str, operator: str) -> None:
    data = default_matrix()
    data["matrix"][row]["open"] = {"L1": operator, "L2": "mask" if row != "FREE_TEXT" else "redact_text"} | {
        "L3": "suppress",
        "L4": "suppress",
    }
    with pytest.raises(PolicyError, match=f"matrix.{row}.open.L1"):
        parse_policy(data)


def test_non_personal_entity_may_be_kept_in_open() -> None:
    data = default_matrix()
    data["matrix"]["CN_USCC"]["open"] = "keep"
    assert parse_policy(data).lookup("CN_USCC", "L4", "open") == "keep"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m["matrix"].pop("CN_PASSPORT"), "missing rows"),
        (lambda m: m["matrix"].__setitem__("SSN", m["matrix"]["PERSON"]), "unknown rows"),
        (lambda m: m["matrix"]["PERSON"].pop("share_restricted"), "destinations"),
        (lambda m: m["matrix"]["PERSON"].__setitem__("open", {"L1": "mask"}), "L1, L2, L3, L4"),
        (lambda m: m["matrix"]["PERSON"].__setitem__("open", "scramble"), "unknown operator"),
        (lambda m: m["matrix"]["CN_RESIDENT_ID"].__setitem__("share_restricted", "township"), "does not apply"),
    ],
)
def test_malformed_matrix_is_rejected(edit: Any, message: str) -> None:
    data = copy.deepcopy(default_matrix())
    edit(data)
    with pytest.raises(PolicyError, match=message):
        parse_policy(data)


def test_unknown_destination_is_rejected() -> None:
    dataset = make_dataset()
    with pytest.raises(PolicyError, match="destination"):
        operator_for(dataset.column("name"), dataset, "public")


def test_every_catalog_column_has_an_operator_for_every_destination() -> None:
    datasets, _ = validate_catalog()
    assert datasets
    for dataset in datasets:
        for column in dataset.columns:
            for destination in DESTINATIONS:
                assert operators.get(operator_for(column, dataset, destination))


def people_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "身份证号码": ["330521199001011234", "110101198001010010"],
            "姓名": ["张三", "欧阳娜娜"],
            "出生日期": ["1990-01-01", "1980-01-01"],
            "住址": ["德清县新市镇某村12号", "德清县武康街道英溪北路1号"],
            "金额": ["1200", "350"],
            "unexpected": ["13812345678", "13912345678"],
        }
    )


def test_desensitize_frame_for_open() -> None:
    frame, actions = desensitize_frame(make_dataset(), people_frame().lazy(), "open")
    out = frame.collect()
    assert out.columns == ["姓名", "出生日期", "住址", "金额"]
    assert out.row(0) == ("张*", "1990", "德清县新市镇", "1200")
    by_column = {a.column: a for a in actions}
    assert by_column["身份证号码"].operator == "suppress"
    assert by_column["身份证号码"].entity == "CN_RESIDENT_ID"
    assert by_column["unexpected"].operator == "suppress" and by_column["unexpected"].entity is None
    assert {a.destination for a in actions} == {"open"}


def test_desensitize_frame_for_share_keeps_ids_joinable() -> None:
    frame, _ = desensitize_frame(make_dataset(), people_frame().lazy(), "share_unconditional")
    other, _ = desensitize_frame(make_dataset(), people_frame().reverse().lazy(), "share_unconditional")
    ids, other_ids = frame.collect()["身份证号码"], other.collect()["身份证号码"]
    assert sorted(ids.to_list()) == sorted(other_ids.to_list())
    assert "330521199001011234" not in ids.to_list()


def test_write_safe_streams_and_reports_counts_only(tmp_path: Path) -> None:
    source, target = tmp_path / "raw.parquet", tmp_path / "safe" / "open.parquet"
    pl.concat([people_frame()] * 500).write_parquet(source)
    report = write_safe(make_dataset(), source, target, "open")
    assert report.rows == 1000
    assert report.columns_in == 6 and report.columns_out == 4
    assert report.operators == {"suppress": 2, "mask": 1, "year": 1, "township": 1, "keep": 1}
    assert pl.read_parquet(target).height == 1000
    assert not list(target.parent.glob(".*partial"))
    assert "330521199001011234" not in repr(report) and "张三" not in repr(report)


@pytest.mark.parametrize("row_group_size", [None, 6], ids=["slices-of-one-row-group", "several-row-groups"])
def test_write_safe_in_several_batches_keeps_every_row_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, row_group_size: int | None
) -> None:
    monkeypatch.setattr(safe, "BATCH_ROWS", 7)
    source, target = tmp_path / "raw.parquet", tmp_path / "share.parquet"
    frame = pl.concat([people_frame()] * 25).with_columns(pl.int_range(pl.len()).cast(pl.String).alias("金额"))
    frame.write_parquet(source, row_group_size=row_group_size)
    report = write_safe(make_dataset(), source, target, "share_unconditional")
    out = pl.read_parquet(target)
    assert report.rows == out.height == 50
    assert out["金额"].to_list() == [str(i) for i in range(50)]
    assert out["身份证号码"].n_unique() == 2


def test_write_safe_of_an_empty_file(tmp_path: Path) -> None:
    source, target = tmp_path / "raw.parquet", tmp_path / "open.parquet"
    people_frame().head(0).write_parquet(source)
    report = write_safe(make_dataset(), source, target, "open")
    assert report.rows == 0
    assert pl.read_parquet(target).columns == ["姓名", "出生日期", "住址", "金额"]


def test_safe_batches_honours_head_and_projection(tmp_path: Path) -> None:
    source = tmp_path / "raw.parquet"
    pl.concat([people_frame()] * 10).write_parquet(source)
    plan = safe.plan_for(make_dataset(), people_frame().columns, "open")
    frame = safe.safe_batches(source, plan).select("姓名").head(3).collect()
    assert frame.to_series().to_list() == ["张*", "欧阳**", "张*"]


def test_subject_key_column_goes_to_shares_only() -> None:
    frame = people_frame().with_columns(pl.lit("k1").alias("_subject")).lazy()
    shared, _ = desensitize_frame(make_dataset(), frame, "share_restricted")
    opened, _ = desensitize_frame(make_dataset(), frame, "open")
    assert "_subject" in shared.collect_schema().names()
    assert "_subject" not in opened.collect_schema().names()


def test_everything_suppressed_is_an_error() -> None:
    frame = pl.DataFrame({"unexpected": ["x"]}).lazy()
    with pytest.raises(PolicyError, match="nothing to publish"):
        desensitize_frame(make_dataset(), frame, "open")


def test_a_masked_column_is_normalized_once_per_batch() -> None:
    """The mask reads its normalized value several times (length, head, tail): from one shared column."""
    plan = safe.plan_for(make_dataset(), people_frame().columns, "share_unconditional")
    masked = [a.column for a in plan.actions if a.operator == "mask"]
    assert masked
    for expr in plan.exprs:
        if expr.meta.output_name() in masked:
            assert set(expr.meta.root_names()) == {f"__normalized_{expr.meta.output_name()}"}
    frame = plan.apply(people_frame())
    assert not [c for c in frame.columns if c.startswith("__")]
