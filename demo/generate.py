"""Generate the demo landing zone: one agency extract per catalog dataset.

    from demo.generate import generate
    generate(Path("landing"), date(2026, 11, 26))

Headers, column order and types, file format and primary keys come from the catalog; values come from
`demo.datasets`, seeded defects from `demo.defects`. Same seed and date, same bytes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random

import polars as pl

from catalog import load_catalog
from catalog.model import Column, Dataset
from catalog.vocabulary import Entity
from demo.datasets import SPECS, Row
from demo.defects import DEFECTS, DefectSeeder
from demo.world import build_world
from demo.writers import write_extract
from quality.split import POLARS_TYPES

log = logging.getLogger(__name__)

DEFAULT_SEED = 20261126


@dataclass(frozen=True)
class Extract:
    """One generated extract before writing: the frame (catalog column names) and what was planted in it."""

    dataset: Dataset
    frame: pl.DataFrame
    encoding: str
    defects: dict[str, int]

    def relative_path(self, today: date) -> Path:
        ds = self.dataset
        return Path(ds.provider.code, ds.id, f"{ds.id}_{today:%Y%m%d}.{ds.format}")

    def agency_frame(self) -> pl.DataFrame:
        """The frame with the headers the agency uses: each column's first alias."""
        return self.frame.rename({c.name: header(c) for c in self.dataset.columns})


def header(column: Column) -> str:
    """The header an agency writes for a catalog column: its first alias, else its name."""
    return column.aliases[0] if column.aliases else column.name


def build(today: date, seed: int = DEFAULT_SEED, scale: float = 1.0) -> dict[str, Extract]:
    """Every demo extract of the catalog's datasets, in memory, keyed by dataset id."""
    catalog = {d.id: d for d in load_catalog()}
    for dataset_id in sorted(set(catalog) - set(SPECS)):
        log.warning("no demo builder for catalog dataset %s; no extract generated", dataset_id)
    world = build_world(today, seed, scale)
    extracts = {}
    for dataset_id, spec in SPECS.items():
        # Built even when the catalog lacks the dataset, so the others keep the same values.
        rows = spec.build(world, Random(f"{seed}:{dataset_id}"))
        if dataset_id not in catalog:
            continue
        dataset = catalog[dataset_id]
        seeder = DefectSeeder(rows, Random(f"{seed}:{dataset_id}:defects"))
        seeder.seed(DEFECTS.get(dataset_id, {}), **_seed_targets(dataset), change=spec.resend_changes)
        frame = _frame(dataset, seeder.rows)
        extracts[dataset_id] = Extract(dataset, frame, spec.encoding, dict(sorted(seeder.counts.items())))
    return extracts


def generate(landing: Path, today: date, seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Path]:
    """Write one extract per dataset at `landing/<provider code>/<dataset id>/<id>_<YYYYMMDD>.<format>`."""
    return [
        write_extract(e.agency_frame(), Path(landing) / e.relative_path(today), e.dataset.format, e.encoding)
        for e in build(today, seed, scale).values()
    ]


def _seed_targets(dataset: Dataset) -> dict[str, object]:
    """Where defects go: the ID and mobile columns, the required non-key columns, the primary key."""
    by_entity = {c.entity: c.name for c in reversed(dataset.columns) if c.entity}
    key = set(dataset.primary_key)
    return {
        "id_column": by_entity.get(Entity.CN_RESIDENT_ID, ""),
        "mobile_column": by_entity.get(Entity.CN_MOBILE_PHONE, ""),
        "required": [c.name for c in dataset.columns if c.required and c.name not in key and not c.entity],
        "key": dataset.primary_key,
    }


def _frame(dataset: Dataset, rows: list[Row]) -> pl.DataFrame:
    names = [c.name for c in dataset.columns]
    produced = set().union(*(row.keys() for row in rows)) if rows else set(names)
    if produced != set(names):
        raise ValueError(
            f"{dataset.id}: builder columns differ from the catalog "
            f"(missing {sorted(set(names) - produced)}, undeclared {sorted(produced - set(names))})"
        )
    schema = {c.name: POLARS_TYPES[c.type] for c in dataset.columns}
    return pl.DataFrame([[row[n] for n in names] for row in rows], schema=schema, orient="row")
