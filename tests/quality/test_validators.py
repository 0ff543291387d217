"""Identifier validators: every table row runs through the scalar and the Polars form, which must agree.

All identifiers are synthetic: built from made-up digits with the check-character functions.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

import polars as pl
import pytest

from catalog.vocabulary import Entity
from quality.validators import (
    VALIDATORS,
    bank_card,
    bank_card_problem,
    bank_card_problem_expr,
    get_validator,
    is_valid_bank_card,
    is_valid_landline,
    is_valid_mobile,
    is_valid_passport,
    is_valid_plate,
    is_valid_resident_id,
    is_valid_uscc,
    landline_problem,
    landline_problem_expr,
    luhn_check_digit,
    mobile_problem,
    mobile_problem_expr,
    normalize_identifier,
    normalize_identifier_expr,
    org_code_check_char,
    org_code_check_char_expr,
    passport,
    passport_problem,
    passport_problem_expr,
    phone,
    plate,
    plate_problem,
    plate_problem_expr,
    resident_id,
    resident_id_birth_date,
    resident_id_birth_date_expr,
    resident_id_check_char,
    resident_id_check_char_expr,
    resident_id_problem,
    resident_id_problem_expr,
    resident_id_sex,
    resident_id_sex_expr,
    uscc,
    uscc_check_char,
    uscc_check_char_expr,
    uscc_problem,
    uscc_problem_expr,
    was_normalized_expr,
)
from reference.divisions import province_codes

TODAY = date(2025, 6, 30)
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

Row = tuple[str, str | None]


def rid(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def credit_code(first16: str) -> str:
    with_org = first16 + org_code_check_char(first16[8:16])
    return with_org + uscc_check_char(with_org)


def card(partial: str) -> str:
    return partial + luhn_check_digit(partial)


def other_char(alphabet: str, current: str, rng: random.Random) -> str:
    return rng.choice(alphabet.replace(current, ""))


def frame_of(values: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame({"value": values}, schema={"value": pl.String})


def run_both(
    values: list[str], problem: Callable[[str], str | None], problem_expr: Callable[[pl.Expr], pl.Expr]
) -> list[str | None]:
    """Normalize then validate each value in both forms; assert they agree and return the codes."""
    scalar = [problem(normalize_identifier(v)) for v in values]
    vector = frame_of(values).select(problem_expr(normalize_identifier_expr(pl.col("value")))).to_series().to_list()
    disagreements = [(v, s, p) for v, s, p in zip(values, scalar, vector) if s != p]
    assert not disagreements, f"scalar and Polars disagree (value, scalar, polars): {disagreements[:10]}"
    return scalar


ID_WITH_X = "33052119850612007X"
assert resident_id_check_char(ID_WITH_X[:17]) == "X"
VALID_ID = rid("33052119900101001")

RESIDENT_ID_ROWS: list[Row] = [
    (VALID_ID, None),
    (rid("33052120000229002"), None),
    (rid("33052119000101003"), None),
    (rid("33052120250630004"), None),
    (ID_WITH_X, None),
    (ID_WITH_X.lower(), None),
    (VALID_ID.translate(FULL_WIDTH), None),
    (f" {VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}\t", None),
    (f"{VALID_ID[:6]}-{VALID_ID[6:14]}－{VALID_ID[14:]}", None),
    (f"{VALID_ID[:6]}\u3000{VALID_ID[6:]}\u00a0", None),
    (VALID_ID[:17] + ("1" if VALID_ID[17] != "1" else "2"), "bad_check_char"),
    (ID_WITH_X[:17] + "0", "bad_check_char"),
    (rid("33052119900230001"), "bad_birth_date"),
    (rid("33052119901301001"), "bad_birth_date"),
    (rid("33052119900100001"), "bad_birth_date"),
    (rid("33052119000229001"), "bad_birth_date"),
    (rid("33052120250701001"), "bad_birth_date"),
    (rid("33052120300101001"), "bad_birth_date"),
    (rid("33052118991231001"), "bad_birth_date"),
    (rid("99052119900101001"), "unknown_region"),
    (rid("71010019900101001"), "unknown_region"),
    (rid("00000019900101001"), "unknown_region"),
    (VALID_ID[:17], "bad_length"),
    (VALID_ID + "1", "bad_length"),
    ("13812345678", "bad_length"),
    ("", "bad_length"),
    (VALID_ID[:17] + "A", "bad_chars"),
    (VALID_ID[:10] + "X" + VALID_ID[11:], "bad_chars"),
    ("33O52119900101001X", "bad_chars"),
    ("202311261530001234", "unknown_region"),
    ("330521202401011234", "bad_check_char"),
    ("330521900101001", "legacy_15"),
    ("330521900101002".translate(FULL_WIDTH), "legacy_15"),
    ("330521900230001", "bad_birth_date"),
    ("990521900101001", "unknown_region"),
    ("33052190010100X", "bad_chars"),
]

ORG_X = "91330521MA2C0001"
assert org_code_check_char(ORG_X[8:16]) == "X"
VALID_USCC = credit_code("91330521MA2B3C4D")


def with_wrong_org_check(code: str) -> str:
    wrong = "0" if code[16] != "0" else "1"
    first17 = code[:16] + wrong
    return first17 + uscc_check_char(first17)


USCC_ROWS: list[Row] = [
    (VALID_USCC, None),
    (credit_code(ORG_X), None),
    (credit_code("12330521002030401"[:16]), None),
    (VALID_USCC.lower(), None),
    (VALID_USCC.translate(str.maketrans("0123456789ABCDMX", "０１２３４５６７８９ＡＢＣＤＭＸ")), None),
    (f"{VALID_USCC[:8]} {VALID_USCC[8:]}", None),
    (f"{VALID_USCC[:8]}-{VALID_USCC[8:17]}-{VALID_USCC[17]}", None),
    (VALID_USCC[:17] + ("0" if VALID_USCC[17] != "0" else "1"), "bad_check_char"),
    (with_wrong_org_check(VALID_USCC), "bad_org_code"),
    (with_wrong_org_check(credit_code(ORG_X)), "bad_org_code"),
    (VALID_USCC[:9] + "I" + VALID_USCC[10:], "bad_chars"),
    (VALID_USCC[:9] + "O" + VALID_USCC[10:], "bad_chars"),
    (VALID_USCC[:17] + "Z", "bad_chars"),
    (VALID_USCC[:17], "bad_length"),
    (VALID_USCC + "0", "bad_length"),
    ("330521000012345", "bad_length"),
    (VALID_ID, "bad_org_code"),
]

CARD16 = card("622202123456789")
CARD19 = card("621700123456789012")

BANK_CARD_ROWS: list[Row] = [
    (CARD16, None),
    (CARD19, None),
    (card("62284801234567890"), None),
    ("4111111111111111", None),
    (f"{CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]}", None),
    (CARD19.translate(FULL_WIDTH), None),
    (f"{CARD16[:4]}-{CARD16[4:]}", None),
    (CARD16[:15] + str((int(CARD16[15]) + 1) % 10), "bad_luhn"),
    (CARD19[:18] + str((int(CARD19[18]) + 5) % 10), "bad_luhn"),
    ("4111111111111121", "bad_luhn"),
    ("4111111111111112", "bad_luhn"),
    (card("62220212345678"), "bad_length"),
    (card("6222021234567890123"), "bad_length"),
    (CARD16[:8] + "A" + CARD16[9:], "bad_chars"),
    ("6222.02123456789", "bad_chars"),
    (ID_WITH_X, "bad_chars"),
]

MOBILE_ROWS: list[Row] = [
    ("13812345678", None),
    ("+8613812345678", None),
    ("+86 138 1234 5678", None),
    ("＋86-138-1234-5678", None),
    ("008613812345678", None),
    ("8619912345678", None),
    ("１３８１２３４５６７８", None),
    ("14512345678", None),
    ("16212345678", None),
    ("17812345678", None),
    ("19512345678", None),
    ("14412345678", "bad_prefix"),
    ("15412345678", "bad_prefix"),
    ("16012345678", "bad_prefix"),
    ("17912345678", "bad_prefix"),
    ("19412345678", "bad_prefix"),
    ("12012345678", "bad_prefix"),
    ("+8612012345678", "bad_prefix"),
    ("1381234567", "bad_format"),
    ("138123456789", "bad_format"),
    ("+85213812345678", "bad_format"),
    ("+86013812345678", "bad_format"),
    ("23812345678", "bad_format"),
    # The vectorized form reads the text as one integer: a sign or extra zeros must not pass for a prefix.
    ("+1381234567", "bad_format"),
    ("+08613812345678", "bad_format"),
    ("08613812345678", "bad_format"),
    ("0008613812345678", "bad_format"),
    ("8613812345678+", "bad_format"),
    ("+8613812345678X", "bad_format"),
    ("0572-8888888", "bad_format"),
    ("", "bad_format"),
]

LANDLINE_ROWS: list[Row] = [
    ("0572-8888888", None),
    ("0572 8888888", None),
    ("05728888888", None),
    ("(0572)8888888", None),
    ("（0572）8888888", None),
    ("(0572)-8888888", None),
    ("0571-86543210", None),
    ("010-62345678", None),
    ("021-5888 8888", None),
    ("０５７２－８８８８８８８", None),
    ("0572-0888888", "bad_prefix"),
    ("0572-1888888", "bad_prefix"),
    ("010-12345678", "bad_prefix"),
    ("031-2345678", "bad_prefix"),
    ("0572-88888", "bad_format"),
    ("0572-888888888", "bad_format"),
    ("8888888", "bad_format"),
    ("13812345678", "bad_format"),
    ("(0572-8888888", "bad_format"),
    ("+86 572 8888888", "bad_format"),
    ("", "bad_format"),
]

PLATE_ROWS: list[Row] = [
    ("浙E12345", None),
    ("浙E·A1234", None),
    ("浙 e 12345", None),
    ("浙Ｅ１２３４５", None),
    ("京AB1234", None),
    ("浙ED12345", None),
    ("浙EF12345", None),
    ("浙EDA1234", None),
    ("浙E12345D", None),
    ("沪A12345F", None),
    ("浙E1234学", None),
    ("粤Z1234港", None),
    ("浙A1234警", None),
    ("浙E1234", "bad_length"),
    ("浙E1234567", "bad_length"),
    ("", "bad_length"),
    ("台A12345", "unknown_province"),
    ("AE123456", "unknown_province"),
    ("浙I12345", "bad_format"),
    ("浙E1234O", "bad_format"),
    ("浙EA12345", "bad_format"),
    ("浙ED1234A", "bad_format"),
    ("浙EDI1234", "bad_format"),
    ("浙E12345G", "bad_format"),
    ("浙E学1234", "bad_format"),
    ("浙E123456", "bad_format"),
]

PASSPORT_ROWS: list[Row] = [
    ("E12345678", None),
    ("G12345678", None),
    ("EA1234567", None),
    ("e 1234 5678", None),
    ("C12345678", None),
    ("CB1234567", None),
    ("H12345678", None),
    ("M1234567801", None),
    ("Ｅ１２３４５６７８", None),
    ("E1234567", "bad_length"),
    ("H123456789", "bad_length"),
    ("", "bad_length"),
    ("K12345678", "bad_format"),
    ("GA1234567", "bad_format"),
    ("EAB234567", "bad_format"),
    ("H1234567A", "bad_format"),
    ("C1234567801", "bad_format"),
]

TABLES = {
    "resident_id": (
        RESIDENT_ID_ROWS,
        lambda s: resident_id_problem(s, TODAY),
        lambda e: resident_id_problem_expr(e, TODAY),
        resident_id.CODES,
    ),
    "uscc": (USCC_ROWS, uscc_problem, uscc_problem_expr, uscc.CODES),
    "bank_card": (BANK_CARD_ROWS, bank_card_problem, bank_card_problem_expr, bank_card.CODES),
    "mobile": (MOBILE_ROWS, mobile_problem, mobile_problem_expr, phone.CODES),
    "landline": (LANDLINE_ROWS, landline_problem, landline_problem_expr, phone.CODES),
    "plate": (PLATE_ROWS, plate_problem, plate_problem_expr, plate.CODES),
    "passport": (PASSPORT_ROWS, passport_problem, passport_problem_expr, passport.CODES),
}


@pytest.mark.parametrize("name", TABLES)
def test_table_gives_expected_code_in_both_forms(name: str) -> None:
    rows, problem, problem_expr, _ = TABLES[name]
    got = run_both([value for value, _ in rows], problem, problem_expr)
    wrong = [(value, expected, code) for (value, expected), code in zip(rows, got) if code != expected]
    assert not wrong, f"(value, expected, got): {wrong}"


@pytest.mark.parametrize("name", TABLES)
def test_table_exercises_every_code(name: str) -> None:
    rows, _, _, codes = TABLES[name]
    assert {code for _, code in rows} == {None, *codes}


@pytest.mark.parametrize("name", TABLES)
def test_problem_expr_is_null_for_null_input(name: str) -> None:
    _, _, problem_expr, _ = TABLES[name]
    assert frame_of([None]).select(problem_expr(pl.col("value"))).item() is None


@pytest.mark.parametrize("name", TABLES)
def test_validators_check_the_exact_string(name: str) -> None:
    rows, problem, problem_expr, _ = TABLES[name]
    raw = [value for value, _ in rows]
    vector = frame_of(raw).select(problem_expr(pl.col("value"))).to_series().to_list()
    assert vector == [problem(v) for v in raw]


def test_full_width_and_lowercase_are_rejected_before_normalization() -> None:
    assert resident_id_problem(VALID_ID.translate(FULL_WIDTH), TODAY) == "bad_chars"
    assert resident_id_problem(ID_WITH_X.lower(), TODAY) == "bad_chars"
    assert landline_problem("0572-8888888") == "bad_format"


def random_text(rng: random.Random, length: int) -> str:
    alphabet = "0123456789XABIOSZxa浙京学 -+()（）－０１Ｘ\u3000"
    return "".join(rng.choice(alphabet) for _ in range(length))


@pytest.mark.parametrize("name", TABLES)
def test_forms_agree_on_random_strings(name: str) -> None:
    rng = random.Random(f"fuzz-{name}")
    rows, problem, problem_expr, codes = TABLES[name]
    values = [random_text(rng, rng.randint(0, 22)) for _ in range(3000)]
    values += [rng.choice(rows)[0][:-1] + random_text(rng, 1) for _ in range(1000)]
    assert set(run_both(values, problem, problem_expr)) <= {None, *codes}
    raw = frame_of(values).select(problem_expr(pl.col("value"))).to_series().to_list()
    assert raw == [problem(v) for v in values]


def random_first17(rng: random.Random) -> str:
    span = (TODAY - date(1900, 1, 1)).days
    born = date(1900, 1, 1) + timedelta(days=rng.randint(0, span))
    region = rng.choice(sorted(province_codes())) + f"{rng.randint(0, 9999):04d}"
    return f"{region}{born:%Y%m%d}{rng.randint(0, 999):03d}"


def test_generated_resident_ids_are_valid_and_flipping_the_check_char_breaks_them() -> None:
    rng = random.Random(11643)
    valid = [rid(random_first17(rng)) for _ in range(2000)]
    flipped = [v[:17] + other_char("0123456789X", v[17], rng) for v in valid]
    _, problem, problem_expr, _ = TABLES["resident_id"]
    assert run_both(valid, problem, problem_expr) == [None] * 2000
    assert all(is_valid_resident_id(v, TODAY) for v in valid)
    assert run_both(flipped, problem, problem_expr) == ["bad_check_char"] * 2000


def test_resident_id_check_char_expr_matches_scalar() -> None:
    rng = random.Random(7064)
    bodies = [random_first17(rng) for _ in range(500)] + ["1234567890123456", "1234567890123456A", None]
    got = frame_of(bodies).select(resident_id_check_char_expr(pl.col("value"))).to_series().to_list()
    expected = [resident_id_check_char(b) if b and len(b) == 17 and b.isdigit() else None for b in bodies]
    assert got == expected


def test_resident_id_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        resident_id_check_char("3305211990010100")


def test_legacy_15_is_valid_but_flagged() -> None:
    assert resident_id_problem("330521900101001", TODAY) == "legacy_15"
    assert is_valid_resident_id("330521900101001", TODAY)
    assert not is_valid_resident_id("330521900230001", TODAY)


BIRTH_AND_SEX_ROWS = [
    (rid("33052119900101001"), date(1990, 1, 1), "M"),
    (rid("33052120000229002"), date(2000, 2, 29), "F"),
    (rid("33052120300101009"), date(2030, 1, 1), "M"),
    ("330521900101001", date(1990, 1, 1), "M"),
    ("330521851231004", date(1985, 12, 31), "F"),
    (rid("33052119900230001"), None, "M"),
    (rid("33052100000101002"), None, "F"),
    (VALID_ID[:17] + "A", None, None),
    ("3305211990", None, None),
]


def test_birth_date_and_sex_agree_in_both_forms() -> None:
    values = [value for value, _, _ in BIRTH_AND_SEX_ROWS]
    frame = frame_of(values).select(
        born=resident_id_birth_date_expr(pl.col("value")), sex=resident_id_sex_expr(pl.col("value"))
    )
    assert frame["born"].to_list() == [born for _, born, _ in BIRTH_AND_SEX_ROWS]
    assert frame["sex"].to_list() == [sex for _, _, sex in BIRTH_AND_SEX_ROWS]
    assert [resident_id_birth_date(v) for v in values] == [born for _, born, _ in BIRTH_AND_SEX_ROWS]
    assert [resident_id_sex(v) for v in values] == [sex for _, _, sex in BIRTH_AND_SEX_ROWS]
    assert frame.schema["born"] == pl.Date


def random_uscc_body(rng: random.Random) -> str:
    return "".join(rng.choice(uscc.ALPHABET) for _ in range(16))


def test_generated_credit_codes_are_valid_and_corruptions_are_caught() -> None:
    rng = random.Random(32100)
    valid = [credit_code(random_uscc_body(rng)) for _ in range(2000)]
    flipped = [v[:17] + other_char(uscc.ALPHABET, v[17], rng) for v in valid]
    bad_org = [with_wrong_org_check(v) for v in valid]
    assert run_both(valid, uscc_problem, uscc_problem_expr) == [None] * 2000
    assert all(is_valid_uscc(v) for v in valid)
    assert run_both(flipped, uscc_problem, uscc_problem_expr) == ["bad_check_char"] * 2000
    assert run_both(bad_org, uscc_problem, uscc_problem_expr) == ["bad_org_code"] * 2000


def test_uscc_check_char_exprs_match_scalar() -> None:
    rng = random.Random(11714)
    bodies = [random_uscc_body(rng) + rng.choice(uscc.ALPHABET) for _ in range(500)]
    frame = frame_of(bodies).select(
        final=uscc_check_char_expr(pl.col("value")),
        org=org_code_check_char_expr(pl.col("value").str.slice(8, 8)),
    )
    assert frame["final"].to_list() == [uscc_check_char(b) for b in bodies]
    assert frame["org"].to_list() == [org_code_check_char(b[8:16]) for b in bodies]
    invalid = frame_of(["91330521MA2B3C4DI", "91330521MA2B3C4D", None])
    assert invalid.select(uscc_check_char_expr(pl.col("value"))).to_series().to_list() == [None] * 3
    assert invalid.select(org_code_check_char_expr(pl.col("value"))).to_series().to_list() == [None] * 3


def test_org_code_check_char_handles_x_and_zero() -> None:
    checks = {org_code_check_char(f"MA2C{i:04d}") for i in range(200)}
    assert {"X", "0"} <= checks


def test_generated_bank_cards_are_valid_and_single_digit_errors_are_caught() -> None:
    rng = random.Random(7812)
    partials = ["62" + "".join(rng.choice("0123456789") for _ in range(rng.randint(13, 16))) for _ in range(2000)]
    valid = [card(p) for p in partials]
    typos = []
    for v in valid:
        i = rng.randrange(len(v))
        typos.append(v[:i] + other_char("0123456789", v[i], rng) + v[i + 1 :])
    assert run_both(valid, bank_card_problem, bank_card_problem_expr) == [None] * 2000
    assert all(is_valid_bank_card(v) for v in valid)
    assert run_both(typos, bank_card_problem, bank_card_problem_expr) == ["bad_luhn"] * 2000


def test_luhn_check_digit_known_value() -> None:
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_check_digit("411111111111111") == "1"


NORMALIZE_ROWS = [
    ("３３０５２１", "330521"),
    ("330521 1990\u30000101\u00a0001x", "33052119900101001X"),
    ("\t330521-19900101—001Ｘ ", "33052119900101001X"),
    ("６２２２－０２１２", "62220212"),
    ("浙e·12345", "浙E12345"),
    ("（0572）8888888", "(0572)8888888"),
    ("＋86 138", "+86138"),
    ("ß", "ß"),
    ("", ""),
    ("33052119900101001X", "33052119900101001X"),
]


def test_normalization_agrees_in_both_forms() -> None:
    raw = [r for r, _ in NORMALIZE_ROWS]
    frame = frame_of(raw).select(
        normalized=normalize_identifier_expr(pl.col("value")), changed=was_normalized_expr(pl.col("value"))
    )
    expected = [n for _, n in NORMALIZE_ROWS]
    assert [normalize_identifier(r) for r in raw] == expected
    assert frame["normalized"].to_list() == expected
    assert frame["changed"].to_list() == [r != n for r, n in NORMALIZE_ROWS]


def test_was_normalized_is_false_for_null() -> None:
    assert frame_of([None]).select(was_normalized_expr(pl.col("value"))).item() is False


def test_registry_covers_the_identifier_entities_of_the_catalog() -> None:
    assert set(VALIDATORS) <= {e.value for e in Entity}
    assert set(VALIDATORS) == {
        "CN_RESIDENT_ID",
        "CN_USCC",
        "CN_BANK_CARD",
        "CN_MOBILE_PHONE",
        "CN_LANDLINE_PHONE",
        "CN_LICENSE_PLATE",
        "CN_PASSPORT",
    }
    assert get_validator(Entity.CN_USCC) is VALIDATORS["CN_USCC"]
    with pytest.raises(KeyError, match="CN_RESIDENT_ID"):
        get_validator("CN_NOTHING")


REGISTRY_SAMPLES = {
    "CN_RESIDENT_ID": (VALID_ID, VALID_ID[:17]),
    "CN_USCC": (VALID_USCC, VALID_USCC[:17] + "0"),
    "CN_BANK_CARD": (CARD16, CARD16[:15] + str((int(CARD16[15]) + 1) % 10)),
    "CN_MOBILE_PHONE": ("13812345678", "14412345678"),
    "CN_LANDLINE_PHONE": ("05728888888", "0572088888"),
    "CN_LICENSE_PLATE": ("浙ED12345", "浙I12345"),
    "CN_PASSPORT": ("E12345678", "K12345678"),
}


@pytest.mark.parametrize("entity", REGISTRY_SAMPLES)
def test_registry_validators_agree_in_both_forms(entity: str) -> None:
    validator = VALIDATORS[entity]
    good, bad = REGISTRY_SAMPLES[entity]
    frame = frame_of([good, bad, None]).select(
        problem=validator.problem_expr(pl.col("value")), valid=validator.is_valid_expr(pl.col("value"))
    )
    assert frame["problem"].to_list() == [validator.problem(good), validator.problem(bad), None]
    assert frame["valid"].to_list() == [True, False, None]
    assert validator.is_valid(good) and not validator.is_valid(bad)
    assert set(validator.codes) >= {validator.problem(bad)}


def test_registry_resident_id_today_defaults_to_the_call_date() -> None:
    validator = VALIDATORS["CN_RESIDENT_ID"]
    tomorrow = date.today() + timedelta(days=1)
    born_tomorrow = rid(f"330521{tomorrow:%Y%m%d}001")
    assert validator.problem(born_tomorrow) == "bad_birth_date"
    assert validator.problem(born_tomorrow, today=tomorrow) is None
    frame = frame_of([born_tomorrow]).select(
        default=validator.problem_expr(pl.col("value")),
        explicit=validator.problem_expr(pl.col("value"), today=tomorrow),
    )
    assert frame.row(0) == ("bad_birth_date", None)
    assert validator.is_valid("330521900101001")
    assert frame_of(["330521900101001"]).select(validator.is_valid_expr(pl.col("value"))).item() is True


def test_scalar_is_valid_helpers() -> None:
    assert is_valid_mobile("+8613812345678") and not is_valid_mobile("14412345678")
    assert is_valid_landline("(0572)8888888") and not is_valid_landline("0572-8888888")
    assert is_valid_plate("浙E12345D") and not is_valid_plate("台A12345")
    assert is_valid_passport("M1234567801") and not is_valid_passport("M123456780")


def test_expressions_are_named_after_the_input_column() -> None:
    frame = pl.DataFrame({"id": [VALID_ID], "tel": [" 13812345678"], "code": [VALID_USCC]})
    out = frame.with_columns(
        resident_id_problem_expr(pl.col("id"), TODAY),
        resident_id_birth_date_expr(pl.col("id")),
        resident_id_sex_expr(pl.col("id")),
        mobile_problem_expr(normalize_identifier_expr(pl.col("tel"))),
        was_normalized_expr(pl.col("tel")),
        uscc_problem_expr(pl.col("code")),
        VALIDATORS["CN_USCC"].is_valid_expr(pl.col("code")),
    )
    assert out.row(0, named=True) == {
        "id": VALID_ID,
        "tel": " 13812345678",
        "code": VALID_USCC,
        "id_problem": None,
        "id_birth_date": date(1990, 1, 1),
        "id_sex": "M",
        "tel_problem": None,
        "tel_was_normalized": True,
        "code_problem": None,
        "code_is_valid": True,
    }


COMPILED = {
    "resident_id": "CN_RESIDENT_ID",
    "uscc": "CN_USCC",
    "bank_card": "CN_BANK_CARD",
    "mobile": "CN_MOBILE_PHONE",
}


@pytest.mark.parametrize("name", COMPILED)
def test_compiled_checks_read_chunked_and_sliced_columns(name: str) -> None:
    """The compiled checks read Polars' string views in place: every chunk, at its offset, inline
    (at most 12 bytes) and out-of-line values alike."""
    assert VALIDATORS[COMPILED[name]].compiled
    rows, problem, problem_expr, _ = TABLES[name]
    values = [value for value, _ in rows] * 3 + [None]
    parts = [pl.Series("value", values[k : k + 7], dtype=pl.String) for k in range(0, len(values), 7)]
    chunked = pl.concat(parts, rechunk=False).slice(2)
    assert chunked.n_chunks() > 1
    got = chunked.to_frame().select(problem_expr(pl.col("value"))).to_series().to_list()
    assert got == [None if v is None else problem(v) for v in values[2:]]
