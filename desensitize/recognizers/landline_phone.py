"""Landline numbers (固定电话): a 3- or 4-digit area code, then a 7- or 8-digit subscriber number.

`(0572)8012345`, `0572-8012345`, `0572 8012345` and `05728012345` are matched; the area-code rules
live in `quality.validators.is_valid_landline`. Numbers without an area code are too ambiguous in
free text (amounts, counts) and are left alone.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from catalog.vocabulary import Entity
from desensitize.recognizers.base import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, CnPatternRecognizer
from quality.validators import is_valid_landline


class LandlinePhoneRecognizer(CnPatternRecognizer):
    """CN_LANDLINE_PHONE: area code plus subscriber number, validated on the area code."""

    ENTITY = Entity.CN_LANDLINE_PHONE.value
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "landline",
            NOT_AFTER_ALNUM + r"(?:\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2})[ -]?[2-9][0-9]{6,7}" + NOT_BEFORE_ALNUM,
            0.4,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["电话", "座机", "固话", "联系方式", "办公室", "传真", "tel", "Tel", "TEL"]
    PREFILTER = r"[0０][0-9０-９]{2,3}[)）]?[ \-－]?[0-9０-９]{7}"

    def check(self, candidate: str) -> bool:
        return is_valid_landline(candidate)
