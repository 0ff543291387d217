"""`pdl sql QUERY`: a read-only query against the warehouse, for analysts without a DuckDB client."""

from __future__ import annotations

import argparse

from warehouse.db import reader
from warehouse.lake import Lake


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sql", help="run a read-only SQL query on PDL_HOME/warehouse.duckdb")
    parser.add_argument("query")
    parser.add_argument("--max-rows", type=int, default=40)
    parser.set_defaults(func=_sql)


def _sql(args: argparse.Namespace) -> int:
    with reader(Lake.from_env()) as con:
        con.sql(args.query).show(max_rows=args.max_rows)
    return 0
