"""Validators for Chinese identifiers, each as a scalar function and an equivalent Polars expression.

Every `*_problem` function returns None for a valid string or a short reason code; its `*_problem_expr`
twin returns the same code per row (null when valid or null), with no per-row Python: Polars expressions,
or for the busiest four (resident ID, bank card, credit code, mobile) a compiled check over the whole
column (`compiled.py`, `_checks.c`), in a column named after the input column plus `_problem` (`_birth_date`, `_sex`, `_check_char`,
`_was_normalized` for the other expressions), so several can go in one `with_columns`.
Validators check the exact string: normalize first (`normalize_identifier`, `normalize_identifier_expr`)
and record the change with `was_normalized_expr`. `VALIDATORS` maps catalog entities to validators.
"""

from quality.validators.bank_card import bank_card_problem, bank_card_problem_expr, is_valid_bank_card, luhn_check_digit
from quality.validators.normalize import normalize_identifier, normalize_identifier_expr, was_normalized_expr
from quality.validators.passport import is_valid_passport, passport_problem, passport_problem_expr
from quality.validators.phone import (
    is_valid_landline,
    is_valid_mobile,
    landline_problem,
    landline_problem_expr,
    mobile_problem,
    mobile_problem_expr,
)
from quality.validators.plate import is_valid_plate, plate_problem, plate_problem_expr
from quality.validators.registry import VALIDATORS, Validator, get_validator
from quality.validators.resident_id import (
    is_valid_resident_id,
    resident_id_birth_date,
    resident_id_birth_date_expr,
    resident_id_check_char,
    resident_id_check_char_expr,
    resident_id_problem,
    resident_id_problem_expr,
    resident_id_sex,
    resident_id_sex_expr,
)
from quality.validators.uscc import (
    is_valid_uscc,
    org_code_check_char,
    org_code_check_char_expr,
    uscc_check_char,
    uscc_check_char_expr,
    uscc_problem,
    uscc_problem_expr,
)

__all__ = [
    "VALIDATORS",
    "Validator",
    "bank_card_problem",
    "bank_card_problem_expr",
    "get_validator",
    "is_valid_bank_card",
    "is_valid_landline",
    "is_valid_mobile",
    "is_valid_passport",
    "is_valid_plate",
    "is_valid_resident_id",
    "is_valid_uscc",
    "landline_problem",
    "landline_problem_expr",
    "luhn_check_digit",
    "mobile_problem",
    "mobile_problem_expr",
    "normalize_identifier",
    "normalize_identifier_expr",
    "org_code_check_char",
    "org_code_check_char_expr",
    "passport_problem",
    "passport_problem_expr",
    "plate_problem",
    "plate_problem_expr",
    "resident_id_birth_date",
    "resident_id_birth_date_expr",
    "resident_id_check_char",
    "resident_id_check_char_expr",
    "resident_id_problem",
    "resident_id_problem_expr",
    "resident_id_sex",
    "resident_id_sex_expr",
    "uscc_check_char",
    "uscc_check_char_expr",
    "uscc_problem",
    "uscc_problem_expr",
    "was_normalized_expr",
]
