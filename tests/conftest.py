"""Shared fixtures: every test gets its own lake and key folder under tmp_path; nothing touches ./lake."""

from __future__ import annotations

import warehouse.allocator  # noqa: F401 - first: Polars' allocator reads its settings when Polars loads

# isort: split
from pathlib import Path

import pytest

from catalog import load_catalog
from warehouse.lake import Lake


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDL_HOME", str(tmp_path / "lake"))
    monkeypatch.setenv("PDL_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.delenv("PDL_CATALOG", raising=False)


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake").ensure()


@pytest.fixture(scope="session")
def catalog():
    return {d.id: d for d in load_catalog()}
