"""Polars' allocator settings reach every entry point before Polars loads, and never override an operator's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from warehouse import allocator

PROBE = "import os, {module}, polars; print(os.environ.get({variable!r}))"


def _setting_seen_by_polars(module: str, env: dict[str, str]) -> str:
    """The allocator variable after `module` and then Polars were imported in a fresh interpreter.

    Polars prepends its own defaults to the variable before its library loads; jemalloc applies the
    options left to right, so the last value of an option wins.
    """
    code = PROBE.format(module=module, variable=allocator.VARIABLE)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.mark.parametrize("module", ["pdl.cli", "pipelines.definitions"])
def test_entry_points_set_the_allocator_before_polars_loads(module):
    env = {k: v for k, v in os.environ.items() if k != allocator.VARIABLE}
    assert _setting_seen_by_polars(module, env).endswith("," + allocator.SETTING)


def test_an_operators_own_setting_is_kept():
    env = {**os.environ, allocator.VARIABLE: "dirty_decay_ms:0"}
    seen = _setting_seen_by_polars("pdl.cli", env)
    assert seen.endswith(",dirty_decay_ms:0") and allocator.SETTING not in seen
