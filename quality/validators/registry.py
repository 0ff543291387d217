"""The identifier validators by catalog entity: the one place that knows what a valid identifier is.

The rule compiler, the desensitization recognizers and the demo generator look validators up here by
the entity names of `catalog.vocabulary.Entity` (a StrEnum, so members and plain strings both work).
Every validator checks the exact string it is given: apply `normalize_identifier(_expr)` first.

The resident-ID validator takes `today` as a keyword (default: the county's date at call time,
`warehouse.clock.county_today`) so that "born in the future" is judged on the day the rule runs, not
the day the module was imported, and on the county's calendar, not the machine's UTC one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import polars as pl

from quality.validators import bank_card, passport, phone, plate, resident_id, uscc
from warehouse.clock import county_today


@dataclass(frozen=True)
class Validator:
    """One identifier kind: the scalar check, the equivalent Polars expression and their codes.

    `codes` lists every code in priority order; `accepted` holds codes that flag a value without
    rejecting it (`legacy_15`). The resident-ID functions also take the keyword `today`. `compiled`:
    the expression is a compiled check (`compiled.py`), cheaper per value than finding distinct values.
    """

    entity: str
    problem: Callable[..., str | None]
    problem_expr: Callable[..., pl.Expr]
    codes: tuple[str, ...]
    accepted: frozenset[str] = frozenset()
    compiled: bool = False

    def is_valid(self, s: str, **options: date) -> bool:
        """True when no problem is found or only an accepted one (a legacy 15-digit ID)."""
        problem = self.problem(s, **options)
        return problem is None or problem in self.accepted

    def is_valid_expr(self, e: pl.Expr, **options: date) -> pl.Expr:
        """Vectorized `is_valid` (null for null input)."""
        problem = self.problem_expr(e, **options)
        valid = pl.when(e.is_not_null()).then(problem.is_null() | problem.is_in(sorted(self.accepted)))
        return valid.name.keep().name.suffix("_is_valid")


def _resident_id_problem(s: str, *, today: date | None = None) -> str | None:
    return resident_id.resident_id_problem(s, today or county_today())


def _resident_id_problem_expr(e: pl.Expr, *, today: date | None = None) -> pl.Expr:
    return resident_id.resident_id_problem_expr(e, today or county_today())


_ALL = (
    Validator(
        "CN_RESIDENT_ID",
        _resident_id_problem,
        _resident_id_problem_expr,
        resident_id.CODES,
        frozenset({"legacy_15"}),
        compiled=True,
    ),
    Validator("CN_USCC", uscc.uscc_problem, uscc.uscc_problem_expr, uscc.CODES, compiled=True),
    Validator(
        "CN_BANK_CARD", bank_card.bank_card_problem, bank_card.bank_card_problem_expr, bank_card.CODES, compiled=True
    ),
    Validator("CN_MOBILE_PHONE", phone.mobile_problem, phone.mobile_problem_expr, phone.CODES, compiled=True),
    Validator("CN_LANDLINE_PHONE", phone.landline_problem, phone.landline_problem_expr, phone.CODES),
    Validator("CN_LICENSE_PLATE", plate.plate_problem, plate.plate_problem_expr, plate.CODES),
    Validator("CN_PASSPORT", passport.passport_problem, passport.passport_problem_expr, passport.CODES),
)

VALIDATORS: Mapping[str, Validator] = MappingProxyType({v.entity: v for v in _ALL})


def get_validator(entity: str) -> Validator:
    """The validator of a catalog entity; KeyError naming the known entities otherwise."""
    try:
        return VALIDATORS[entity]
    except KeyError:
        raise KeyError(f"no validator for entity {entity!r}; known: {', '.join(VALIDATORS)}") from None
