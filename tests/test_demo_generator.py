"""The demo generator: deterministic, catalog-shaped agency extracts with counted, seeded defects."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from catalog import Dataset, load_catalog
from catalog.vocabulary import FREQUENCY_PERIOD, Entity
from demo.defects import DEFECTS, NORMALIZABLE, OVERDUE_MONTHS
from demo.generate import Extract, build, generate, header
from demo.world import add_months
from demo.writers import write_extract
from quality.validators import (
    is_valid_bank_card,
    is_valid_mobile,
    is_valid_plate,
    is_valid_uscc,
    luhn_check_digit,
    normalize_identifier,
    org_code_check_char,
    resident_id_check_char,
    resident_id_problem,
    uscc_check_char,
)

TODAY = date(2026, 11, 26)
SCALE = 0.2
CATALOG = {d.id: d for d in load_catalog()}


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("landing")
    generate(root, TODAY, scale=SCALE)
    return root


@pytest.fixture(scope="module")
def extracts() -> dict[str, Extract]:
    return build(TODAY, scale=SCALE)


def _file(landing: Path, ds: Dataset) -> Path:
    (path,) = (landing / ds.provider.code / ds.id).glob(f"*.{ds.format}")
    return path


def _read_back(path: Path, ds: Dataset, encoding: str) -> pl.DataFrame:
    """The file as the pipeline would read it: every value as text, headers mapped back to column names."""
    if ds.format == "csv":
        frame = pl.read_csv(path, encoding=encoding.removesuffix("-sig"), infer_schema=False)
    elif ds.format == "xlsx":
        frame = pl.read_excel(path, infer_schema_length=0)
    elif ds.format == "jsonl":
        frame = pl.read_ndjson(path, infer_schema_length=None)
    else:
        frame = pl.read_parquet(path)
    by_header = {h: c.name for c in ds.columns for h in c.headers}
    return frame.rename({h: by_header[h] for h in frame.columns})


def _resident_id_ok(value: str) -> bool:
    return len(value) == 18 and value[:17].isdigit() and resident_id_check_char(value[:17]) == value[17]


def _uscc_ok(value: str) -> bool:
    return org_code_check_char(value[8:16]) == value[16] and uscc_check_char(value[:17]) == value[17]


def _column(ds: Dataset, entity: Entity) -> str | None:
    return next((c.name for c in ds.columns if c.entity == entity), None)


def test_same_seed_gives_identical_bytes(tmp_path: Path, landing: Path) -> None:
    again = generate(tmp_path / "again", TODAY, scale=SCALE)
    assert len(again) == len(CATALOG)
    for path in again:
        original = landing / path.relative_to(tmp_path / "again")
        assert path.read_bytes() == original.read_bytes(), path.name


def test_another_seed_gives_other_data(tmp_path: Path, landing: Path) -> None:
    other = generate(tmp_path, TODAY, seed=7, scale=SCALE)
    csv = next(p for p in other if p.name.startswith("dq_scjg_enterprise"))
    assert csv.read_bytes() != (landing / csv.relative_to(tmp_path)).read_bytes()


@pytest.mark.parametrize("dataset_id", sorted(CATALOG))
def test_every_dataset_has_one_file_in_its_declared_format(landing: Path, dataset_id: str) -> None:
    ds = CATALOG[dataset_id]
    path = _file(landing, ds)
    assert path.name == f"{ds.id}_{TODAY:%Y%m%d}.{ds.format}"
    raw = path.read_bytes()
    if ds.format == "xlsx":
        assert raw[:2] == b"PK"
    elif ds.format == "parquet":
        assert raw[:4] == raw[-4:] == b"PAR1"
    elif ds.format == "jsonl":
        assert all(line.startswith("{") for line in raw.decode("utf-8").splitlines())


def test_csv_encodings_are_the_agencies_own(landing: Path, extracts: dict[str, Extract]) -> None:
    for ds in (d for d in CATALOG.values() if d.format == "csv"):
        raw, encoding = _file(landing, ds).read_bytes(), extracts[ds.id].encoding
        assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig"), ds.id
        if encoding == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        assert raw.decode(encoding).splitlines()[0].split(",")[0] == header(ds.columns[0])


@pytest.mark.parametrize("dataset_id", sorted(CATALOG))
def test_headers_are_first_aliases_and_map_back_to_every_column(
    landing: Path, extracts: dict[str, Extract], dataset_id: str
) -> None:
    ds = CATALOG[dataset_id]
    frame = _read_back(_file(landing, ds), ds, extracts[dataset_id].encoding)
    assert frame.columns == [c.name for c in ds.columns]
    assert extracts[dataset_id].agency_frame().columns == [c.aliases[0] for c in ds.columns]
    assert frame.height == extracts[dataset_id].frame.height


@pytest.mark.parametrize("dataset_id", ["dq_rsj_social_insurance", "dq_gaj_household", "dq_jtj_taxi_trips"])
def test_identifiers_stay_text_in_xlsx_parquet_and_jsonl(
    landing: Path, extracts: dict[str, Extract], dataset_id: str
) -> None:
    ds = CATALOG[dataset_id]
    path = _file(landing, ds)
    frame = pl.read_excel(path) if ds.format == "xlsx" else _read_back(path, ds, "utf-8")
    by_header = {h: c for c in ds.columns for h in c.headers}
    for name, dtype in frame.schema.items():
        column = by_header.get(name) or ds.column(name)
        if column.entity is not None and column.type == "string":
            assert dtype == pl.String, (dataset_id, name, dtype)


def test_row_counts_at_full_scale_stay_within_the_demo_budget() -> None:
    heights = {k: e.frame.height for k, e in build(TODAY).items()}
    assert set(heights) == set(CATALOG)
    assert all(500 <= h <= 5000 for h in heights.values()), heights
    assert sum(heights.values()) <= 20_000


def test_values_respect_catalog_enumerations_and_bounds(extracts: dict[str, Extract]) -> None:
    for ds_id, extract in extracts.items():
        for c in CATALOG[ds_id].columns:
            values = extract.frame.get_column(c.name).drop_nulls()
            if c.values is not None:
                assert set(values.to_list()) <= set(c.values), (ds_id, c.name)
            if c.min is not None:
                assert values.min() >= c.min, (ds_id, c.name)
            if c.max is not None:
                assert values.max() <= c.max, (ds_id, c.name)


def test_references_resolve(extracts: dict[str, Extract]) -> None:
    for ds_id, extract in extracts.items():
        for c in CATALOG[ds_id].columns:
            if c.references:
                target, column = c.references.split(".")
                known = set(extracts[target].frame.get_column(column).to_list())
                assert set(extract.frame.get_column(c.name).drop_nulls().to_list()) <= known


@pytest.mark.parametrize("dataset_id", sorted(CATALOG))
def test_identifiers_are_valid_apart_from_the_seeded_defects(
    landing: Path, extracts: dict[str, Extract], dataset_id: str
) -> None:
    ds, extract = CATALOG[dataset_id], extracts[dataset_id]
    frame = _read_back(_file(landing, ds), ds, extract.encoding)
    seeded = extract.defects
    if id_col := _column(ds, Entity.CN_RESIDENT_ID):
        ids = [normalize_identifier(v) for v in frame.get_column(id_col).drop_nulls().to_list()]
        assert sum(not _resident_id_ok(v) for v in ids) == seeded.get("bad_id_check_char", 0)
        assert {resident_id_problem(v, TODAY) for v in ids} <= {None, "bad_check_char"}
    if uscc_col := _column(ds, Entity.CN_USCC):
        codes = frame.get_column(uscc_col).drop_nulls().to_list()
        assert all(_uscc_ok(v) and is_valid_uscc(v) for v in codes)
    if card_col := _column(ds, Entity.CN_BANK_CARD):
        cards = frame.get_column(card_col).drop_nulls().to_list()
        assert cards and all(luhn_check_digit(v[:-1]) == v[-1] and is_valid_bank_card(v) for v in cards)
        assert all(v.startswith("62") and len(v) == 19 for v in cards)
    if mobile_col := _column(ds, Entity.CN_MOBILE_PHONE):
        mobiles = frame.get_column(mobile_col).drop_nulls().to_list()
        assert sum(not is_valid_mobile(v) for v in mobiles) == seeded.get("invalid_mobile", 0)
    if plate_col := _column(ds, Entity.CN_LICENSE_PLATE):
        plates = frame.get_column(plate_col).to_list()
        assert all(is_valid_plate(v) for v in plates)
        assert {len(v) for v in plates} == {7, 8}


@pytest.mark.parametrize("dataset_id", ["dq_wjj_vaccination", "dq_gaj_household"])
def test_birth_date_and_sex_agree_with_the_resident_id(extracts: dict[str, Extract], dataset_id: str) -> None:
    frame = extracts[dataset_id].frame.drop_nulls(["resident_id", "birth_date", "sex"])
    for rid, born, sex in frame.select("resident_id", "birth_date", "sex").iter_rows():
        rid = normalize_identifier(rid)
        assert rid[6:14] == f"{born:%Y%m%d}"
        assert sex == ("男" if int(rid[16]) % 2 else "女")


def test_seeded_defect_counts_match_the_files(extracts: dict[str, Extract]) -> None:
    for ds_id, extract in extracts.items():
        ds, frame, seeded = CATALOG[ds_id], extract.frame, extract.defects
        assert set(seeded) == set(DEFECTS.get(ds_id, {})), ds_id
        required = [c.name for c in ds.columns if c.required]
        missing = frame.filter(pl.any_horizontal(pl.col(required).is_null())).height
        assert missing == seeded.get("missing_required", 0), ds_id
        duplicates = frame.height - frame.select(ds.primary_key).n_unique()
        assert duplicates == seeded.get("duplicate_key", 0), ds_id


@pytest.mark.parametrize("dataset_id", sorted(DEFECTS))
def test_defect_rates_are_between_one_and_three_percent(extracts: dict[str, Extract], dataset_id: str) -> None:
    extract = extracts[dataset_id]
    defects = sum(n for kind, n in extract.defects.items() if kind not in NORMALIZABLE)
    assert 0.01 <= defects / extract.frame.height <= 0.03, (dataset_id, defects, extract.frame.height)


def test_full_width_and_spaced_ids_are_valid_once_normalized(extracts: dict[str, Extract]) -> None:
    ids = extracts["dq_gaj_household"].frame.get_column("resident_id").drop_nulls().to_list()
    full_width = [v for v in ids if any("０" <= ch <= "９" for ch in v)]
    spaced = [v for v in ids if v != v.strip() or " " in v]
    seeded = extracts["dq_gaj_household"].defects
    assert len(full_width) == seeded["full_width_id"] and len(spaced) == seeded["spaced_id"]
    assert all(_resident_id_ok(normalize_identifier(v)) for v in full_width + spaced)


def _newest_event(extract: Extract) -> datetime:
    column = extract.dataset.event_time_column
    newest = extract.frame.get_column(column).max()
    return newest if isinstance(newest, datetime) else datetime.combine(newest, datetime.min.time())


def test_only_the_subsidy_roster_is_overdue(extracts: dict[str, Extract]) -> None:
    for ds_id, extract in extracts.items():
        newest = _newest_event(extract)
        assert newest <= datetime.combine(TODAY, datetime.max.time()), ds_id
        if ds_id in OVERDUE_MONTHS:
            assert newest.date() == add_months(TODAY, -OVERDUE_MONTHS[ds_id])
        else:
            period = FREQUENCY_PERIOD[extract.dataset.update_frequency]
            assert datetime.combine(TODAY, datetime.min.time()) - newest <= period, ds_id


def test_free_text_carries_personal_data_in_prose(extracts: dict[str, Extract]) -> None:
    ds = CATALOG["dq_wjj_vaccination"]
    (free,) = [c.name for c in ds.columns if c.free_text]
    remarks = extracts[ds.id].frame.get_column(free).drop_nulls().to_list()
    assert any(re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", r) for r in remarks)
    assert any("浙江省湖州市德清县" in r or "德清县" in r for r in remarks)


@pytest.mark.parametrize(
    ("fmt", "encoding"),
    [("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "gb18030"), ("xlsx", "utf-8"), ("jsonl", "utf-8"),
     ("parquet", "utf-8")],
)  # fmt: skip
def test_write_extract_keeps_identifiers_as_text(tmp_path: Path, fmt: str, encoding: str) -> None:
    frame = pl.DataFrame(
        {
            "公民身份号码": ["33052119900101001X", "０３３０５２１"],
            "手机号码": ["013812345678", None],
            "金额": [1.5, 20.0],
            "日期": [date(2026, 1, 2), None],
        }
    )
    path = write_extract(frame, tmp_path / "sub" / f"x.{fmt}", fmt, encoding)
    if fmt == "csv":
        back = pl.read_csv(path, encoding=encoding.removesuffix("-sig"), infer_schema=False)
    elif fmt == "xlsx":
        back = pl.read_excel(path)
    elif fmt == "jsonl":
        back = pl.read_ndjson(path)
    else:
        back = pl.read_parquet(path)
    assert back.columns == frame.columns
    assert back.get_column("公民身份号码").to_list() == ["33052119900101001X", "０３３０５２１"]
    assert back.get_column("手机号码").to_list()[0] == "013812345678"
    assert str(back.get_column("日期").to_list()[0])[:10] == "2026-01-02"


def test_write_extract_rejects_unknown_formats_and_encodings(tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": ["1"]})
    with pytest.raises(ValueError, match="format"):
        write_extract(frame, tmp_path / "x.xml", "xml")
    with pytest.raises(ValueError, match="encoding"):
        write_extract(frame, tmp_path / "x.csv", "csv", "latin-1")


def test_catalog_covers_every_share_and_open_class() -> None:
    assert {d.share.klass.value for d in CATALOG.values()} == {"unconditional", "restricted", "non_shareable"}
    assert {d.open.klass.value for d in CATALOG.values()} == {"unconditional", "restricted", "prohibited"}
    for ds in CATALOG.values():
        assert all(c.grade for c in ds.personal_columns)
        assert ds.primary_key and ds.event_time_column
        if ds.open.klass.value == "restricted":
            assert ds.open.review_due and ds.open.review_due > TODAY - timedelta(days=1)
        assert all(c.aliases and not c.aliases[0].isascii() for c in ds.columns), ds.id
