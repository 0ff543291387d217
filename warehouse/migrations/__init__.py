"""Versioned schema migrations of the warehouse: `NNNN_name.sql` files applied once, in order.

An existing lake upgrades in place: `migrate()` runs whatever files are newer than the highest version
recorded in `meta.schema_migrations`. A migration file never changes once it has landed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).parent


def available() -> list[tuple[int, str, Path]]:
    files = sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return [(int(p.name[:4]), p.stem[5:], p) for p in files]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'meta' and table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from meta.schema_migrations").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply pending migrations (up to `target`), each in its own transaction; returns versions applied."""
    done = current_version(con)
    applied = []
    for version, name, path in available():
        if version <= done or (target is not None and version > target):
            continue
        con.execute("begin")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into meta.schema_migrations values (?, ?, now())", [version, name])
        except duckdb.Error as exc:
            con.execute("rollback")
            raise RuntimeError(f"migration {path.name} failed: {exc}") from exc
        con.execute("commit")
        applied.append(version)
    return applied
