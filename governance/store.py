"""SQL over the governance tables of `meta`: insert, select and update records of `governance.model`.

One generic mapping (dataclass field = column) instead of a function per table: identifiers come
only from the dataclasses and go through `quote`; every value is a bound parameter.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import fields
from enum import Enum
from typing import Any, TypeVar

import duckdb

from governance.model import (
    Agreement,
    Authorization,
    ClassChange,
    Consumer,
    CreditRecord,
    Demand,
    Grant,
    Holdings,
    Request,
    Review,
)
from warehouse.db import quote

T = TypeVar("T")

TABLES: dict[type, str] = {
    Consumer: "consumers",
    Request: "requests",
    Review: "reviews",
    Grant: "grants",
    Authorization: "authorizations",
    Agreement: "agreements",
    ClassChange: "class_changes",
    Demand: "demands",
    CreditRecord: "credit_records",
}
ID_PREFIXES = {
    "gov_request_seq": "REQ",
    "gov_grant_seq": "GRT",
    "gov_authorization_seq": "AUT",
    "gov_agreement_seq": "AGR",
    "gov_class_change_seq": "CLS",
    "gov_demand_seq": "DEM",
    "gov_credit_seq": "CRD",
}


def _table(cls: type) -> str:
    return f"meta.{quote(TABLES[cls])}"


def _key(cls: type) -> str:
    return fields(cls)[0].name


def _to_db(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(hint, types.UnionType):
        hint = next(h for h in typing.get_args(hint) if h is not type(None))
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if typing.get_origin(hint) is tuple:
        return tuple(value)
    return value


def _record(cls: type[T], names: list[str], row: tuple) -> T:
    hints = _hints(cls)
    return cls(**{n: _convert(hints[n], v) for n, v in zip(names, row, strict=True)})


def next_id(con: duckdb.DuckDBPyConnection, sequence: str) -> str:
    """A readable id like `REQ-0007` from one of the governance sequences."""
    number = con.execute(f"select nextval('meta.{quote(sequence)}')").fetchone()[0]
    return f"{ID_PREFIXES[sequence]}-{number:04d}"


def insert(con: duckdb.DuckDBPyConnection, record: Any) -> None:
    row = {f.name: _to_db(getattr(record, f.name)) for f in fields(record)}
    columns = ", ".join(quote(c) for c in row)
    marks = ", ".join("?" * len(row))
    con.execute(f"insert into {_table(type(record))} ({columns}) values ({marks})", list(row.values()))


def select(con: duckdb.DuckDBPyConnection, cls: type[T], order: tuple[str, ...] = (), **where: Any) -> list[T]:
    """Records of `cls` whose columns equal the `where` values, ordered by the `order` columns, then the key."""
    names = [f.name for f in fields(cls)]
    clause = " and ".join(f"{quote(k)} = ?" for k in where) or "true"
    order_by = ", ".join(quote(c) for c in (*order, _key(cls)))
    query = f"select {', '.join(quote(n) for n in names)} from {_table(cls)} where {clause} order by {order_by}"
    rows = con.execute(query, [_to_db(v) for v in where.values()]).fetchall()
    return [_record(cls, names, r) for r in rows]


def get(con: duckdb.DuckDBPyConnection, cls: type[T], key: str) -> T | None:
    found = select(con, cls, **{_key(cls): key})
    return found[0] if found else None


def update(con: duckdb.DuckDBPyConnection, cls: type, key: str, **changes: Any) -> None:
    sets = ", ".join(f"{quote(k)} = ?" for k in changes)
    params = [_to_db(v) for v in changes.values()] + [key]
    con.execute(f"update {_table(cls)} set {sets} where {quote(_key(cls))} = ?", params)


def holdings(con: duckdb.DuckDBPyConnection, consumer_id: str) -> Holdings:
    """The grants, agreements and authorizations of one consumer, whatever their status."""
    return Holdings(
        grants=tuple(select(con, Grant, consumer_id=consumer_id)),
        agreements=tuple(select(con, Agreement, consumer_id=consumer_id)),
        authorizations=tuple(select(con, Authorization, consumer_id=consumer_id)),
    )


def record_build(
    con: duckdb.DuckDBPyConnection, consumer_id: str, at: Any, path: str | None, views: list[str], basis: list[str]
) -> None:
    """Remember the last build (or removal) of a consumer's access database."""
    con.execute("delete from meta.access_builds where consumer_id = ?", [consumer_id])
    con.execute("insert into meta.access_builds values (?, ?, ?, ?, ?)", [consumer_id, at, path, views, basis])
