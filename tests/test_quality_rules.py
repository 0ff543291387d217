"""Rules compiled from a catalog entry: which rule each declaration yields, and which row fails it."""

from __future__ import annotations

from datetime import date

import pytest

from quality.rules import Severity, compile_rule_set, compile_rules
from quality.split import split_rows

from quality_fixtures import (
    LOAD_1,
    TODAY,
    dataset,
    full_width,
    person,
    raw_frame,
    registry_lookup,
    with_wrong_check_char,
)


def test_every_declaration_yields_its_rule():
    keys = {r.key: r for r in compile_rules(dataset(), TODAY, registry_lookup())}
    expected = {
        "required:resident_id",
        "required:name",
        "required:updated_on",
        "bad_type:birth_date",
        "bad_type:children",
        "bad_type:income",
        "bad_type:updated_on",
        "not_in_values:sex",
        "out_of_range:children",
        "out_of_range:income",
        "future_date:birth_date",
        "future_date:updated_on",
        "invalid_resident_id:resident_id",
        "legacy_resident_id:resident_id",
        "invalid_mobile_phone:mobile",
        "invalid_uscc:employer_uscc",
        "birth_date_mismatch:birth_date",
        "sex_mismatch:sex",
        "reference_missing:employer_uscc",
        "duplicate_key:resident_id",
    }
    assert set(keys) == expected
    assert keys["legacy_resident_id:resident_id"].severity == Severity.WARNING
    assert keys["reference_missing:employer_uscc"].severity == Severity.WARNING
    assert keys["invalid_resident_id:resident_id"].severity == Severity.ERROR


def test_a_missing_lookup_skips_the_reference_rule_and_says_so():
    rule_set = compile_rule_set(dataset(), TODAY, lookups={})
    assert "reference_missing:employer_uscc" not in {r.key for r in rule_set.rules}
    assert any("reference_missing:employer_uscc" in s for s in rule_set.skipped)


def test_rules_follow_the_catalog_not_the_dataset_name():
    plain = dataset(id="dq_other", primary_key=[], columns=[{"name": "note", "type": "string"}], event_time_column=None)
    assert compile_rules(plain, TODAY) == []


CASES = [
    ("valid", {}, []),
    ("blank required", {"name": "  "}, ["required:name"]),
    ("null required", {"updated_on": None}, ["required:updated_on"]),
    ("bad enum", {"sex": "未知"}, ["not_in_values:sex"]),
    ("below min", {"children": "-1"}, ["out_of_range:children"]),
    ("above max", {"children": "13"}, ["out_of_range:children"]),
    ("not an integer", {"children": "two"}, ["bad_type:children"]),
    ("not a decimal", {"income": "1.2.3"}, ["bad_type:income"]),
    ("impossible date", {"updated_on": "2026-02-30"}, ["bad_type:updated_on"]),
    ("future event", {"updated_on": "2026-11-27"}, ["future_date:updated_on"]),
    ("wrong check char", {"resident_id": "WRONG"}, ["invalid_resident_id:resident_id"]),
    ("mobile mistyped", {"mobile": "1381234567"}, ["invalid_mobile_phone:mobile"]),
    ("credit code mistyped", {"employer_uscc": "91330521MA2B3C4D5X"}, ["invalid_uscc:employer_uscc"]),
    ("birth date disagrees with ID", {"birth_date": "1999-12-31"}, ["birth_date_mismatch:birth_date"]),
    ("sex disagrees with ID", {"sex": "女"}, ["sex_mismatch:sex"]),
]


@pytest.mark.parametrize(("label", "changes", "failed"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_catches_its_defect(label, changes, failed):
    row = person(0, **changes)
    if changes.get("resident_id") == "WRONG":
        row["resident_id"] = with_wrong_check_char(person(0)["resident_id"])
    split = split_rows(dataset(), raw_frame([row]), today=TODAY, lookups=registry_lookup())
    if not failed:
        assert split.clean.height == 1 and split.quarantine.height == 0
        return
    assert split.clean.height == 0
    q = split.quarantine.row(0, named=True)
    assert [f"{r}:{c}" for r, c in zip(q["_rules"], q["_columns"], strict=True)] == failed


def test_alternative_spellings_parse_to_the_same_value():
    rows = [
        person(0, updated_on=v, children=n, income=i)
        for v, n, i in [
            ("2026/11/25", "1", "1,000.50"),
            ("20261125", "１", "1000.5"),
            ("2026年11月25日", " 1 ", "1000.50"),
            ("2026-11-25 00:00:00", "1", "1 000.50"),
        ]
    ]
    rows = [
        dict(r, resident_id=person(k)["resident_id"], birth_date=person(k)["birth_date"], sex=person(k)["sex"])
        for k, r in enumerate(rows)
    ]
    split = split_rows(dataset(), raw_frame(rows), today=TODAY, lookups=registry_lookup())
    assert split.quarantine.height == 0
    assert split.clean.get_column("updated_on").to_list() == [date(2026, 11, 25)] * 4
    assert split.clean.get_column("children").to_list() == [1, 1, 1, 1]
    assert split.clean.get_column("income").to_list() == [1000.5] * 4


def test_a_cited_code_absent_from_the_registry_is_a_warning():
    row = person(0, employer_uscc=person(9)["employer_uscc"])
    lookups = {
        "dq_test_registry.uscc": registry_lookup()["dq_test_registry.uscc"].filter(
            registry_lookup()["dq_test_registry.uscc"] != row["employer_uscc"]
        )
    }
    split = split_rows(dataset(), raw_frame([row]), today=TODAY, lookups=lookups)
    assert split.quarantine.height == 0
    assert split.clean.get_column("_flags").to_list() == [["reference_missing:employer_uscc"]]
    assert split.stats.count("reference_missing") == 1


def test_a_legacy_15_digit_id_is_kept_and_flagged():
    legacy = "330521" + "700101" + "123"
    row = person(0, resident_id=legacy, birth_date="1970-01-01", sex="男")
    split = split_rows(dataset(), raw_frame([row], load_id=LOAD_1), today=TODAY, lookups=registry_lookup())
    assert split.quarantine.height == 0
    assert split.clean.get_column("_flags").to_list() == [["legacy_resident_id:resident_id"]]


def test_full_width_and_spaced_identifiers_are_normalized_and_recorded():
    clean_id = person(0)["resident_id"]
    rows = [
        person(0, resident_id=full_width(clean_id)),
        person(1, resident_id=" " + person(1)["resident_id"][:6] + " " + person(1)["resident_id"][6:] + "\t"),
        person(2, mobile="138-" + person(2)["mobile"][3:]),
        person(3),
    ]
    split = split_rows(dataset(), raw_frame(rows), today=TODAY, lookups=registry_lookup())
    assert split.quarantine.height == 0
    assert split.clean.get_column("resident_id").to_list()[:2] == [clean_id, person(1)["resident_id"]]
    assert split.clean.get_column("_normalized").to_list() == [["resident_id"], ["resident_id"], ["mobile"], []]
    assert split.stats.normalized == {"resident_id": 2, "mobile": 1, "employer_uscc": 0}
