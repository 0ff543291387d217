"""One governance session: the warehouse writer, the lake, the declared catalog, the clock and the actor.

Every governance action takes a `Gov`: the clock is injected (tests pass their own `now`), the actor is
who decided (recorded in the audit), and the catalog is the declared one, with recorded class changes
applied on read (`Gov.catalog()`), so a decision always sees the current classes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb

from catalog.model import Dataset
from governance.model import GovernanceError
from warehouse.db import writer
from warehouse.lake import Lake

COUNTY_TIME = ZoneInfo("Asia/Shanghai")


def end_of_day(day: date) -> datetime:
    """Validity "until 2027-06-30" means through that calendar day in county time."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=COUNTY_TIME).astimezone(UTC)


@dataclass(frozen=True)
class Gov:
    con: duckdb.DuckDBPyConnection
    lake: Lake
    declared: tuple[Dataset, ...]
    now: datetime
    actor: str

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("governance needs an aware `now` (UTC)")

    def catalog(self) -> dict[str, Dataset]:
        """The catalog with every recorded class change applied (art. 22)."""
        from governance.classes import effective_catalog

        return effective_catalog(self.con, self.declared)

    def dataset(self, dataset_id: str) -> Dataset:
        found = self.catalog().get(dataset_id)
        if found is None:
            raise GovernanceError(f"dataset {dataset_id} is not in the catalog")
        return found

    def as_actor(self, actor: str) -> Gov:
        return replace(self, actor=actor)


@contextmanager
def session(
    lake: Lake, actor: str, now: datetime | None = None, datasets: list[Dataset] | None = None
) -> Iterator[Gov]:
    """A `Gov` over the exclusive warehouse writer; the catalog is loaded now unless given."""
    if datasets is None:
        from catalog import load_catalog

        datasets = load_catalog()
    with writer(lake) as con:
        yield Gov(con, lake, tuple(datasets), now or datetime.now(UTC), actor)


@contextmanager
def transaction(gov: Gov) -> Iterator[None]:
    """Decision and audit entry commit together or not at all."""
    gov.con.execute("begin")
    try:
        yield
    except BaseException:
        gov.con.execute("rollback")
        raise
    gov.con.execute("commit")
