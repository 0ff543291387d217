"""The unified public-data resource catalog (公共数据资源目录, art. 9, 13, 19).

One YAML file per dataset declares what the dataset is; every other package asks the catalog and
never hard-codes dataset names. Pure Python: no Dagster, no DuckDB.
"""

from catalog.loader import CatalogError, load_catalog, validate_catalog
from catalog.model import Column, Dataset

__all__ = ["CatalogError", "Column", "Dataset", "load_catalog", "validate_catalog"]
