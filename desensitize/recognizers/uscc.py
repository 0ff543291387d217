"""Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters with a mod-31 check.

Enterprise identifiers, not personal data in themselves (a sole proprietor's may be): the recognizer
finds them so that policy can decide; the check-character rule lives in `quality.validators`.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from catalog.vocabulary import Entity
from desensitize.recognizers.base import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, CnPatternRecognizer
from quality.validators import is_valid_uscc


class UsccRecognizer(CnPatternRecognizer):
    """CN_USCC: 18 characters from the GB 32100 alphabet, validated by its check character."""

    ENTITY = Entity.CN_USCC.value
    CHECKSUM = True
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "uscc",
            NOT_AFTER_ALNUM
            + r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}[0-9A-HJ-NP-RTUWXY]"
            + NOT_BEFORE_ALNUM,
            0.3,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["信用代码", "社会信用", "统一代码", "营业执照", "执照号", "纳税人识别号", "税号"]
    PREFILTER = r"[0-9A-Z０-９Ａ-Ｚ]{2}[0-9０-９]{6}[0-9A-Z０-９Ａ-Ｚ]{10}"

    def check(self, candidate: str) -> bool:
        return is_valid_uscc(candidate)
