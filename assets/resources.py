"""Dagster resources: where the lake is and what time it is, both resolved at run time."""

from datetime import UTC, date, datetime

import dagster as dg

from warehouse.clock import county_today
from warehouse.lake import Lake


class LakeResource(dg.ConfigurableResource):
    """The lake root. Empty `home` means `PDL_HOME` (default `./lake`), read when a run starts.

    `now` pins the clock (ISO timestamp) for reproducible runs and tests; empty means the real clock.
    """

    home: str = ""
    now: str = ""

    def lake(self) -> Lake:
        from pathlib import Path

        return Lake(Path(self.home).resolve()) if self.home else Lake.from_env()

    def clock(self) -> datetime:
        if not self.now:
            return datetime.now(UTC)
        moment = datetime.fromisoformat(self.now)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def today(self) -> date:
        return county_today(self.clock())
