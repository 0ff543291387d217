"""Build every asset of every catalog dataset: adding a dataset is adding a YAML file, no code."""

import dagster as dg

from assets.clean import clean_asset
from assets.meta import catalog_asset
from assets.naming import layers_of
from assets.publish import open_asset, share_asset
from assets.raw import raw_asset
from assets.safe import safe_asset
from catalog.model import Dataset

BUILDERS = {"raw": raw_asset, "clean": clean_asset, "safe": safe_asset, "share": share_asset, "open": open_asset}


def dataset_assets(ds: Dataset) -> list[dg.AssetsDefinition]:
    return [BUILDERS[layer](ds) for layer in layers_of(ds)]


def all_assets(datasets: list[Dataset]) -> list[dg.AssetsDefinition]:
    return [catalog_asset(datasets), *(a for ds in datasets for a in dataset_assets(ds))]
