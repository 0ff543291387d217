"""How catalog entries become Dagster identities: keys, groups, owners, tags, kinds."""

import dagster as dg

from catalog.model import Dataset

CATALOG_KEY = dg.AssetKey(["meta", "catalog"])


def key(layer: str, ds: Dataset) -> dg.AssetKey:
    return dg.AssetKey([layer, ds.id])


def common(ds: Dataset, kinds: set[str]) -> dict:
    """Group per agency, the agency as owner, class and grade tags."""
    return {
        "group_name": ds.provider.code,
        "owners": [f"team:{ds.provider.code}"],
        "tags": {
            "share_class": ds.share.klass.value,
            "open_class": ds.open.klass.value,
            "grade": ds.max_grade.value,
            "agency": ds.provider.code,
        },
        "kinds": kinds,
    }


def layers_of(ds: Dataset) -> list[str]:
    """The layers a dataset flows through, in order; publication only where its classes allow."""
    return ["raw", "clean", "safe"] + (["share"] if ds.shareable else []) + (["open"] if ds.openable else [])
