"""Load and validate the catalog: every YAML file under a folder, all errors reported at once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from catalog.model import Dataset

DEFAULT_DIR = Path(__file__).parent / "datasets"


def catalog_dir() -> Path:
    """The catalog folder: `PDL_CATALOG` if set (read now, not at import), else the repo's own."""
    return Path(os.environ.get("PDL_CATALOG") or DEFAULT_DIR)


@dataclass(frozen=True)
class CatalogIssue:
    """One problem with one catalog file, phrased for the agency that wrote it."""

    file: Path
    field: str
    message: str

    def __str__(self) -> str:
        where = f" field '{self.field}'" if self.field else ""
        return f"{self.file.name}:{where} {self.message}"


class CatalogError(Exception):
    """Raised when the catalog has invalid entries; carries all of them."""

    def __init__(self, issues: list[CatalogIssue]):
        self.issues = issues
        super().__init__("invalid catalog:\n" + "\n".join(f"  {i}" for i in issues))


def _describe(error: dict) -> tuple[str, str]:
    field = ".".join(str(p) for p in error["loc"])
    kind, msg = error["type"], error["msg"]
    if kind == "extra_forbidden":
        return field, "is not a catalog field (check the spelling)"
    if kind == "missing":
        return field, "is required but missing"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return field, f"has {error['input']!r}; expected one of {expected}"
    if kind == "string_pattern_mismatch":
        return field, f"has {error['input']!r}; expected lowercase letters, digits and '_' starting with a letter"
    return field, msg.removeprefix("Value error, ")


def _load_file(path: Path) -> tuple[Dataset | None, list[CatalogIssue]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return None, [CatalogIssue(path, "", f"is not valid UTF-8 YAML: {exc}")]
    if not isinstance(data, dict):
        return None, [CatalogIssue(path, "", "must be a mapping of catalog fields")]
    try:
        return Dataset.model_validate(data), []
    except ValidationError as exc:
        return None, [CatalogIssue(path, *_describe(e)) for e in exc.errors()]


def validate_catalog(directory: Path | None = None) -> tuple[list[Dataset], list[CatalogIssue]]:
    """Every valid dataset and every issue found, across all files of the folder."""
    directory = directory or catalog_dir()
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    datasets, issues = [], []
    for path in files:
        dataset, found = _load_file(path)
        issues += found
        if dataset is not None:
            datasets.append((path, dataset))
    seen: dict[str, Path] = {}
    for path, ds in datasets:
        if ds.id in seen:
            issues.append(CatalogIssue(path, "id", f"'{ds.id}' is already declared in {seen[ds.id].name}"))
        elif path.stem != ds.id:
            issues.append(CatalogIssue(path, "id", f"'{ds.id}' must match the file name ({path.stem}.yaml)"))
        seen.setdefault(ds.id, path)
    issues += _reference_issues([d for _, d in datasets], {d.id: p for p, d in datasets})
    return [d for _, d in datasets], issues


def _reference_issues(datasets: list[Dataset], paths: dict[str, Path]) -> list[CatalogIssue]:
    columns = {(d.id, c.name) for d in datasets for c in d.columns}
    return [
        CatalogIssue(paths[d.id], f"columns.{c.name}.references", f"'{c.references}' is not a declared column")
        for d in datasets
        for c in d.columns
        if c.references and tuple(c.references.split(".")) not in columns
    ]


def load_catalog(directory: Path | None = None) -> list[Dataset]:
    """The valid catalog, or CatalogError listing every problem."""
    datasets, issues = validate_catalog(directory)
    if issues:
        raise CatalogError(issues)
    if not datasets:
        raise CatalogError([CatalogIssue(directory or catalog_dir(), "", "no dataset declared (*.yaml)")])
    return sorted(datasets, key=lambda d: d.id)
