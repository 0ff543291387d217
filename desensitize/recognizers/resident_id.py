"""Resident identity card numbers (居民身份证号): 18 characters with MOD 11-2 check, or 15-digit legacy.

The regex only proposes a shape with a plausible birth date; the region, date and check-character rules
live in `quality.validators` and decide. Spaces between the 6-8-4 groups are accepted (normalized away).
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from catalog.vocabulary import Entity
from desensitize.recognizers.base import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, CnPatternRecognizer
from quality.validators import is_valid_resident_id
from warehouse.clock import county_today

_MMDD = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"


class ResidentIdRecognizer(CnPatternRecognizer):
    """CN_RESIDENT_ID: validated by region, birth date and check character."""

    ENTITY = Entity.CN_RESIDENT_ID.value
    CHECKSUM = True
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "resident_id_18",
            NOT_AFTER_ALNUM + r"[1-9][0-9]{5} ?(?:18|19|20)[0-9]{2}" + _MMDD + r" ?[0-9]{3}[0-9Xx]" + NOT_BEFORE_ALNUM,
            0.3,
        ),
        Pattern(
            "resident_id_15", NOT_AFTER_ALNUM + r"[1-9][0-9]{5}[0-9]{2}" + _MMDD + r"[0-9]{3}" + NOT_BEFORE_ALNUM, 0.2
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["身份证", "证件号", "公民身份", "身份号码", "证号", "户籍", "身份证号"]
    PREFILTER = (
        r"[1-9１-９][0-9０-９]{5} ?(?:[1１][89８９]|[2２][0０])?[0-9０-９]{2}(?:[0０][1-9１-９]|[1１][0-2０-２])"
        r"(?:[0-2０-２][0-9０-９]|[3３][01０１])"
    )

    def check(self, candidate: str) -> bool:
        return is_valid_resident_id(candidate, county_today())
