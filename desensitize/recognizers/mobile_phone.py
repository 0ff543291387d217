"""Mainland mobile numbers (手机号): 11 digits on a current 13x–19x prefix, optional +86/0086, spaces or dashes.

The prefix table lives in `quality.validators.is_valid_mobile`; the country code is stripped here first.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from catalog.vocabulary import Entity
from desensitize.recognizers.base import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, CnPatternRecognizer
from quality.validators import is_valid_mobile

_COUNTRY = re.compile(r"^(?:\(\+?86\)|\+86|0086|86)(?=[0-9]{11}$)")


class MobilePhoneRecognizer(CnPatternRecognizer):
    """CN_MOBILE_PHONE: 3-4-4 digits with optional separators, validated on the prefix table."""

    ENTITY = Entity.CN_MOBILE_PHONE.value
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "mobile",
            NOT_AFTER_ALNUM + r"(?:(?:\(\+?86\)|\+86|0086|86)[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}" + NOT_BEFORE_ALNUM,
            0.4,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "手机",
        "电话",
        "联系方式",
        "联系电话",
        "号码",
        "致电",
        "来电",
        "短信",
        "微信",
        "tel",
        "Tel",
        "TEL",
    ]
    PREFILTER = r"[1１][3-9３-９][0-9０-９](?:[ \-－]?[0-9０-９]{4}){2}"

    def check(self, candidate: str) -> bool:
        return is_valid_mobile(_COUNTRY.sub("", candidate))
