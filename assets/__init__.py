"""Thin Dagster asset, check and sensor factories generated from the catalog.

Asset bodies call library functions (warehouse, quality, desensitize) and report metadata; they hold
no business logic. One asset per dataset per layer, key `[layer, dataset_id]`, one group per agency.
"""
