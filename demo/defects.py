"""Seeded defects: which ones each demo dataset carries, and the helper that plants them.

Every defect lands on a different row (a row never carries two), and the count of each kind is kept, so
tests and demos can compare what the quality gate finds with what was planted. Rates stay within 1-3 %
per dataset, under the gate's default 5 % quarantine limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from random import Random

from demo import identifiers

BAD_ID_CHECK_CHAR = "bad_id_check_char"
MISSING_REQUIRED = "missing_required"
DUPLICATE_KEY = "duplicate_key"
INVALID_MOBILE = "invalid_mobile"
# Not defects: values that are valid once normalized (full-width digits, stray spaces).
FULL_WIDTH_ID = "full_width_id"
SPACED_ID = "spaced_id"
NORMALIZABLE = frozenset({FULL_WIDTH_ID, SPACED_ID})

# Planned share of rows per kind (a kind present gets at least one row). The overdue dataset is a
# timeliness defect of the whole extract: its newest event is OVERDUE_MONTHS before the generation date.
DEFECTS: dict[str, dict[str, float]] = {
    "dq_scjg_enterprise": {DUPLICATE_KEY: 0.015},
    "dq_rsj_social_insurance": {BAD_ID_CHECK_CHAR: 0.012, MISSING_REQUIRED: 0.005, DUPLICATE_KEY: 0.005},
    "dq_wjj_vaccination": {BAD_ID_CHECK_CHAR: 0.015, MISSING_REQUIRED: 0.005},
    "dq_mzj_subsidy": {BAD_ID_CHECK_CHAR: 0.015, MISSING_REQUIRED: 0.005},
    "dq_gaj_household": {BAD_ID_CHECK_CHAR: 0.012, MISSING_REQUIRED: 0.005, FULL_WIDTH_ID: 0.004, SPACED_ID: 0.004},
    "dq_jtj_taxi_trips": {INVALID_MOBILE: 0.015},
}
OVERDUE_MONTHS = {"dq_mzj_subsidy": 4}

Row = dict[str, object]


class DefectSeeder:
    """Plants defects into a list of rows (dicts keyed by catalog column name), each on a fresh row."""

    def __init__(self, rows: list[Row], rng: Random):
        self.rows, self.rng = rows, rng
        self.counts: dict[str, int] = {}
        self._untouched = list(range(len(rows)))

    def _take(self, rate: float, eligible: Callable[[Row], bool] = lambda row: True) -> list[int]:
        want = max(1, round(rate * len(self.rows)))
        pool = [i for i in self._untouched if eligible(self.rows[i])]
        chosen = sorted(self.rng.sample(pool, min(want, len(pool))))
        taken = set(chosen)
        self._untouched = [i for i in self._untouched if i not in taken]
        return chosen

    def _count(self, kind: str, n: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    def seed(self, plan: dict[str, float], *, id_column: str = "resident_id", mobile_column: str = "",
             required: Sequence[str] = (), key: Sequence[str] = (), change: str = "") -> None:  # fmt: skip
        """Apply `plan` (kind -> rate); duplicates last, so they copy rows that are otherwise clean."""
        for kind, rate in plan.items():
            if kind == BAD_ID_CHECK_CHAR:
                self.bad_check_char(id_column, rate)
            elif kind == MISSING_REQUIRED:
                self.missing(required, rate)
            elif kind == INVALID_MOBILE:
                self.invalid_mobile(mobile_column, rate)
            elif kind == FULL_WIDTH_ID:
                self._rewrite(kind, id_column, rate, identifiers.to_full_width)
            elif kind == SPACED_ID:
                self._rewrite(kind, id_column, rate, self._spaced)
        if DUPLICATE_KEY in plan:
            self.duplicate(plan[DUPLICATE_KEY], key, change)

    def bad_check_char(self, column: str, rate: float) -> None:
        rows = self._take(rate, lambda row: isinstance(row[column], str))
        for i in rows:
            value = str(self.rows[i][column])
            self.rows[i][column] = identifiers.wrong_check_char(value, value[-1], self.rng)
        self._count(BAD_ID_CHECK_CHAR, len(rows))

    def missing(self, columns: Sequence[str], rate: float) -> None:
        rows = self._take(rate)
        for i in rows:
            self.rows[i][self.rng.choice(columns)] = None
        self._count(MISSING_REQUIRED, len(rows))

    def invalid_mobile(self, column: str, rate: float) -> None:
        rows = self._take(rate, lambda row: row[column] is not None)
        for i in rows:
            self.rows[i][column] = identifiers.invalid_mobile(self.rng)
        self._count(INVALID_MOBILE, len(rows))

    def duplicate(self, rate: float, key: Sequence[str], change: str) -> None:
        """Resent rows: same key, `change` column altered as in a corrected second submission."""
        originals = self._take(rate, lambda row: all(row[k] is not None for k in key))
        copies = []
        for i in originals:
            copy = dict(self.rows[i])
            if change:
                copy[change] = self._changed(copy[change])
            copies.append((i, copy))
        for offset, (i, copy) in enumerate(copies):
            self.rows.insert(i + 1 + offset + self.rng.randint(0, 3), copy)
        self._count(DUPLICATE_KEY, len(copies))

    def _changed(self, value: object) -> object:
        if isinstance(value, float):
            return round(value * self.rng.choice((0.9, 1.1)), 2)
        return {"存续": "注销", "在业": "存续", "注销": "吊销", "吊销": "注销"}.get(str(value), value)

    def _rewrite(self, kind: str, column: str, rate: float, how: Callable[[str], str]) -> None:
        rows = self._take(rate, lambda row: isinstance(row[column], str))
        for i in rows:
            self.rows[i][column] = how(str(self.rows[i][column]))
        self._count(kind, len(rows))

    def _spaced(self, value: str) -> str:
        """As pasted from a form: grouped with spaces, or with a leading/trailing space or tab."""
        return self.rng.choice(
            (f"{value[:6]} {value[6:14]} {value[14:]}", f" {value}", f"{value} ", f"{value}\t", f"\u3000{value}")
        )
