"""Every default "today" is the county's date (Asia/Shanghai), as the pipeline's is.

Between 16:00 and 24:00 UTC the county is a day ahead of the machine's UTC date. A resident ID born
on the county's today is valid, not "born in the future", whichever part of the platform judges it
without being given a date. The county clock is moved a day ahead of the machine's here, so that a
default taken from the machine's date fails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from desensitize.classify import value_scores
from desensitize.recognizers.resident_id import ResidentIdRecognizer
from quality.validators.registry import get_validator
from warehouse import clock

from quality_fixtures import resident_id


@pytest.fixture
def county_a_day_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    ahead = datetime.now(UTC) + timedelta(days=1)

    class _AheadClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return ahead.astimezone(tz) if tz else ahead.replace(tzinfo=None)

    monkeypatch.setattr(clock, "datetime", _AheadClock)


@pytest.fixture
def born_on_county_today(county_a_day_ahead: None) -> str:
    return resident_id(clock.county_today(), 7)


def test_the_resident_id_validator_judges_birth_on_the_countys_date(born_on_county_today: str):
    validator = get_validator("CN_RESIDENT_ID")
    assert validator.is_valid(born_on_county_today)
    assert pl.DataFrame({"id": [born_on_county_today]}).select(validator.is_valid_expr(pl.col("id"))).item()


def test_the_text_recognizer_and_the_column_classifier_judge_on_the_countys_date(born_on_county_today: str):
    assert ResidentIdRecognizer().check(born_on_county_today)
    assert value_scores(pl.Series([born_on_county_today] * 5))["CN_RESIDENT_ID"] == 1.0


def test_the_demo_generator_dates_its_extracts_by_the_countys_date(county_a_day_ahead: None, tmp_path, capsys):
    from demo.__main__ import main

    assert main([str(tmp_path), "--scale", "0.05"]) == 0
    names = capsys.readouterr().out.split()
    assert names and all(name.endswith(f"_{clock.county_today():%Y%m%d}" + Path(name).suffix) for name in names)
