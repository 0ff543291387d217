"""The warehouse DuckDB file and its single writer.

DuckDB allows one writing process per file. Every write goes through `writer()`, which holds an
exclusive lock file across processes (Dagster runs, the CLI, tests) for as short as a step needs.
Extension auto-install is off: nothing here ever reaches for the network.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from warehouse.lake import Lake

_CONFIG = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


@contextmanager
def writer(lake: Lake) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection, exclusive across processes; migrations applied."""
    from warehouse.migrations import migrate

    lake.ensure()
    with open(lake.home / ".warehouse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        con = duckdb.connect(str(lake.db_path), config=_CONFIG)
        try:
            migrate(con)
            yield con
        finally:
            con.close()


@contextmanager
def reader(lake: Lake, attempts: int = 50) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; waits while a writer in another process holds the file."""
    for attempt in range(attempts):
        try:
            con = duckdb.connect(str(lake.db_path), read_only=True, config=_CONFIG)
            break
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)
    try:
        yield con
    finally:
        con.close()


def quote(identifier: str) -> str:
    """Quote an identifier that the catalog already restricted to [a-z0-9_]."""
    if not identifier.replace("_", "").isalnum() or not identifier.isascii():
        raise ValueError(f"refusing to use {identifier!r} as an SQL identifier")
    return f'"{identifier}"'


def sql_string(value: str) -> str:
    """A string literal, for the few DDL places (view bodies, comments) that cannot bind parameters."""
    return "'" + value.replace("'", "''") + "'"
