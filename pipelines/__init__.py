"""Dagster definitions for the lakehouse: assembled from the catalog, nothing declared by hand."""
