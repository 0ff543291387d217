"""The desensitization policy: which operator a column gets for a destination (art. 14, 21, 31-33).

A declarative matrix (entity x sensitivity grade x destination -> operator) is the county default,
kept in `policy.yaml` beside this file; a dataset may override one column for one or all destinations
in its catalog entry (`policy_overrides`). The loader checks the whole matrix before anything uses it:
every entity, grade and destination present, every operator registered and meant for that entity,
and no personal entity reaching `open` through an operator that keeps it readable or linkable
(keep, pseudonymize, encrypt). An override that would do so is rejected the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from catalog.model import Column, Dataset
from catalog.vocabulary import NON_PERSONAL_ENTITIES, Entity, Grade
from desensitize import operators

DEFAULT_PATH = Path(__file__).with_name("policy.yaml")
DESTINATIONS = ("share_unconditional", "share_restricted", "open")
DEFAULT_ROW = "DEFAULT"
FREE_TEXT_ROW = "FREE_TEXT"
ROWS = (DEFAULT_ROW, FREE_TEXT_ROW, *(e.value for e in Entity))
GRADES = tuple(g.value for g in Grade)


class PolicyError(ValueError):
    """A policy matrix or override that is incomplete, unknown or unsafe; names the cell, never data."""


def is_personal_row(row: str) -> bool:
    """Rows whose columns hold, or may hold, a natural person's data."""
    return row == FREE_TEXT_ROW or (row != DEFAULT_ROW and Entity(row) not in NON_PERSONAL_ENTITIES)


@dataclass(frozen=True)
class Policy:
    """A checked matrix: `cells[(row, grade, destination)] = operator name`."""

    cells: dict[tuple[str, str, str], str]

    def lookup(self, row: str, grade: str, destination: str) -> str:
        return self.cells[(row, grade, destination)]


def check_operator(row: str, destination: str, name: str, where: str) -> None:
    """Raise PolicyError unless operator `name` exists, fits the row and is safe for the destination."""
    try:
        op = operators.get(name)
    except KeyError as exc:
        raise PolicyError(f"{where}: {exc.args[0]}") from None
    entity = None if row in (DEFAULT_ROW, FREE_TEXT_ROW) else row
    if op.applies_to is not None and entity not in op.applies_to:
        raise PolicyError(f"{where}: operator '{name}' does not apply to {row}")
    if destination == "open" and is_personal_row(row) and not op.open_safe:
        raise PolicyError(
            f"{where}: '{name}' would let personal data ({row}) reach open without irreversible desensitization"
        )


def _grade_cells(row: str, destination: str, value: Any) -> dict[tuple[str, str, str], str]:
    where = f"matrix.{row}.{destination}"
    if isinstance(value, str):
        value = dict.fromkeys(GRADES, value)
    if not isinstance(value, dict) or set(value) != set(GRADES):
        raise PolicyError(f"{where}: give one operator, or one for each of {', '.join(GRADES)}")
    for grade, name in value.items():
        check_operator(row, destination, str(name), f"{where}.{grade}")
    return {(row, grade, destination): str(name) for grade, name in value.items()}


def parse_policy(data: dict[str, Any]) -> Policy:
    """A checked Policy from the YAML structure; PolicyError names the first offending cell."""
    matrix = data.get("matrix") if isinstance(data, dict) else None
    if not isinstance(matrix, dict):
        raise PolicyError("policy: needs a 'matrix' mapping")
    unknown = sorted(set(matrix) - set(ROWS))
    missing = [r for r in ROWS if r not in matrix]
    if unknown or missing:
        raise PolicyError(f"matrix: unknown rows {unknown or '-'}, missing rows {missing or '-'}")
    cells: dict[tuple[str, str, str], str] = {}
    for row in ROWS:
        entry = matrix[row]
        if not isinstance(entry, dict) or set(entry) != set(DESTINATIONS):
            raise PolicyError(f"matrix.{row}: give exactly the destinations {', '.join(DESTINATIONS)}")
        for destination in DESTINATIONS:
            cells |= _grade_cells(row, destination, entry[destination])
    return Policy(cells)


def load_policy(path: Path | None = None) -> Policy:
    """The county default policy, or the one at `path`; checked before it is returned."""
    return _load(path.resolve() if path else DEFAULT_PATH)


@cache
def _load(path: Path) -> Policy:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError(f"{path.name}: cannot be read as YAML ({type(exc).__name__})") from exc
    return parse_policy(data)


def row_for(column: Column) -> str:
    """The matrix row of a catalog column: free text first, then its entity, else DEFAULT."""
    if column.free_text:
        return FREE_TEXT_ROW
    return column.entity.value if column.entity is not None else DEFAULT_ROW


def _override(column: Column, dataset: Dataset, destination: str) -> str | None:
    found = {o.destination: o.operator for o in dataset.policy_overrides if o.column == column.name}
    return found.get(destination, found.get("all"))


def operator_for(column: Column, dataset: Dataset, destination: str, policy: Policy | None = None) -> str:
    """The operator for `column` of `dataset` bound for `destination`: override, else the matrix."""
    if destination not in DESTINATIONS:
        raise PolicyError(f"unknown destination '{destination}'; expected one of {', '.join(DESTINATIONS)}")
    row = row_for(column)
    override = _override(column, dataset, destination)
    if override is not None:
        check_operator(row, destination, override, f"{dataset.id}.policy_overrides.{column.name}")
        return override
    return (policy or load_policy()).lookup(row, column.grade.value, destination)


def override_problems(dataset: Dataset) -> list[str]:
    """Every override of `dataset` that `operator_for` would reject, for catalog validation up front."""
    problems = []
    for override in dataset.policy_overrides:
        column = dataset.column(override.column)
        targets = DESTINATIONS if override.destination == "all" else (override.destination,)
        for destination in targets:
            try:
                check_operator(row_for(column), destination, override.operator, f"policy_overrides.{column.name}")
            except PolicyError as exc:
                problems.append(str(exc))
    return problems
