"""The county's clock: dates in agency data (birth dates, event dates) are Beijing dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

COUNTY_TZ = ZoneInfo("Asia/Shanghai")


def county_today(now: datetime | None = None) -> date:
    """Today's date in the county for `now` (default: the real clock)."""
    return (now or datetime.now(UTC)).astimezone(COUNTY_TZ).date()
