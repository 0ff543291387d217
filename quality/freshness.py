"""Timeliness against the declared update frequency (art. 9 and 10).

A dataset declared `每日` must have been loaded within a day (load-level freshness, which the Dagster
freshness policy and `pdl status` show) and its newest event date must be within a day of now
(data-level timeliness: a fresh file full of old records is still late). The period per frequency is
`catalog.vocabulary.FREQUENCY_PERIOD`.

Naive datetimes are read as China Standard Time, the county's clock; dates count as whole days, so a
daily dataset whose newest event is yesterday is on time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from catalog.model import Dataset
from catalog.vocabulary import FREQUENCY_PERIOD

LOCAL_TZ = timezone(timedelta(hours=8), "CST")


@dataclass(frozen=True)
class Freshness:
    """Whether a dataset is overdue, by how much (None when it cannot be measured), and why."""

    stale: bool
    overdue_by: timedelta | None
    reason: str
    period: timedelta


def period_of(dataset: Dataset) -> timedelta:
    return FREQUENCY_PERIOD[dataset.update_frequency]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_TZ)


def event_age(newest_event: datetime | date, now: datetime) -> timedelta:
    """How old the newest event is at `now`; a date is aged in whole days on the local calendar."""
    if isinstance(newest_event, datetime):
        return _aware(now) - _aware(newest_event)
    today = _aware(now).astimezone(LOCAL_TZ).date()
    return timedelta(days=(today - newest_event).days)


def human(span: timedelta) -> str:
    """A short duration for messages: `3 d 4 h`, `5 h`, `12 min`."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    return f"{hours} h" if hours else f"{minutes} min"


def _load_finding(last_load: datetime | None, now: datetime, period: timedelta) -> tuple[timedelta | None, str]:
    if last_load is None:
        return None, "never loaded"
    age = _aware(now) - _aware(last_load)
    if age > period:
        return age - period, f"last load {human(age)} ago"
    return timedelta(0), ""


def _data_finding(
    dataset: Dataset, newest_event: datetime | date | None, now: datetime, period: timedelta
) -> tuple[timedelta | None, str]:
    if dataset.event_time_column is None:
        return timedelta(0), ""
    if newest_event is None:
        return None, f"no valid {dataset.event_time_column} in the data"
    age = event_age(newest_event, now)
    if age > period:
        return age - period, f"newest {dataset.event_time_column} is {human(age)} old"
    return timedelta(0), ""


def freshness(
    dataset: Dataset, newest_event: datetime | date | None, last_load: datetime | None, now: datetime
) -> Freshness:
    """Stale when the last load or the newest event is older than the declared period."""
    period = period_of(dataset)
    findings = [_load_finding(last_load, now, period), _data_finding(dataset, newest_event, now, period)]
    problems = [text for _, text in findings if text]
    overdue = [span for span, _ in findings]
    if not problems:
        return Freshness(
            False, None, f"on time (declared {dataset.update_frequency.value}, period {human(period)})", period
        )
    known = [span for span in overdue if span]
    overdue_by = max(known) if known and all(span is not None for span in overdue) else None
    reason = "; ".join(problems) + f" (declared {dataset.update_frequency.value}, period {human(period)})"
    return Freshness(True, overdue_by, reason, period)
