"""Catalog entries for tests: the fields every entry needs, so a test states only what it is about.

Not a test module. `catalog_entry(columns=[...], **fields)` validates a complete entry through the
catalog model (so a test entry obeys the same rules as a YAML file); any field may be overridden.
"""

from __future__ import annotations

from typing import Any

from catalog.model import Dataset

DEFAULTS: dict[str, Any] = {
    "id": "dq_test_people",
    "title": "测试人员名册",
    "provider": {"code": "tst", "name": "测试局"},
    "data_subject": "自然人",
    "share": {"class": "unconditional"},
    "open": {"class": "unconditional"},
    "format": "csv",
    "update_frequency": "每月",
}


def catalog_entry(**fields: Any) -> Dataset:
    """A validated catalog entry: `DEFAULTS` with `fields` (at least `columns`) laid over them."""
    return Dataset.model_validate(DEFAULTS | fields)
