"""The clean values a dataset's cross-dataset references are checked against (consistency, art. 10).

A column declared `references: other_dataset.column` must hold a value present in the clean layer of
that dataset. The Dagster `clean` asset and `pdl quality check` read the same lookups from the lake;
a referenced dataset without a clean layer yet gives no lookup (the rule cannot be checked, and is not).
"""

from __future__ import annotations

import polars as pl

from catalog.model import Dataset
from warehouse.lake import Lake


def referenced(dataset: Dataset) -> list[str]:
    """The `dataset.column` references of another dataset that `dataset`'s columns declare."""
    own = f"{dataset.id}."
    return sorted({c.references for c in dataset.columns if c.references and not c.references.startswith(own)})


def reference_lookups(lake: Lake, dataset: Dataset) -> dict[str, pl.Series]:
    """Each reference's clean values, by reference, for the references whose dataset has a clean layer."""
    found = {}
    for ref in referenced(dataset):
        dataset_id, column = ref.split(".")
        path = lake.layer_dir("clean", dataset_id) / "data.parquet"
        if path.exists():
            found[ref] = pl.read_parquet(path, columns=[column]).to_series()
    return found
