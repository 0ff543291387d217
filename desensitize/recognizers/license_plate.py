"""Motor vehicle plates (机动车号牌): province abbreviation, issuing-office letter, then 5 characters,
or 6 for new-energy plates (D/F… in the first or last position); an optional `·` or space after the letter.

The plate rules (letters I and O excluded, special suffixes 挂 学 警 港 澳 领) live in
`quality.validators.is_valid_plate`; the separator is removed before asking it.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from catalog.vocabulary import Entity
from desensitize.recognizers.base import NOT_BEFORE_ALNUM, CnPatternRecognizer
from quality.validators import is_valid_plate

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_SEPARATORS = str.maketrans("", "", "·•・. ")


class LicensePlateRecognizer(CnPatternRecognizer):
    """CN_LICENSE_PLATE: ordinary and new-energy plates."""

    ENTITY = Entity.CN_LICENSE_PLATE.value
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "plate",
            rf"[{PROVINCES}][A-HJ-NP-Z][·•・. ]?(?:[A-HJ-NP-Z0-9]{{5}}|[A-HJ-NP-Z0-9]{{4}}[挂学警港澳领]|[A-HJ-NP-Z0-9]{{6}})"
            + NOT_BEFORE_ALNUM,
            0.4,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["车牌", "号牌", "车辆", "牌照", "驾驶", "车主", "机动车", "停车", "轿车", "电动车"]
    PREFILTER = rf"[{PROVINCES}][A-HJ-NP-ZＡ-Ｚ]"

    def check(self, candidate: str) -> bool:
        return is_valid_plate(candidate.translate(_SEPARATORS))
