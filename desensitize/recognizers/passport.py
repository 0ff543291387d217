"""Passports (护照) and travel permits (往来港澳通行证, 回乡证): a letter prefix and 7–10 digits.

Passports E/G and 8 digits or E, a letter and 7 digits; permits C likewise; home-return permits H/M and
8 or 10 digits. These shapes (`E12345678`, `C12345678`, `H1234567890`) are also those of product codes and bill numbers,
so a format-valid number keeps a base score below the threshold and needs a context word (护照,
通行证 …) just before it. The formats live in `quality.validators.is_valid_passport`.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from catalog.vocabulary import Entity
from desensitize.recognizers.base import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, CnPatternRecognizer
from quality.validators import is_valid_passport


class PassportRecognizer(CnPatternRecognizer):
    """CN_PASSPORT: format-checked, counted only with a passport or permit context word."""

    ENTITY = Entity.CN_PASSPORT.value
    CONTEXT_WINDOW = 16
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "passport_or_permit",
            NOT_AFTER_ALNUM + r"(?:[EGCHM][0-9]{8}|[EC][A-Z][0-9]{7}|[HM][0-9]{10})" + NOT_BEFORE_ALNUM,
            0.3,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "护照",
        "通行证",
        "港澳",
        "回乡证",
        "旅行证",
        "出入境",
        "证件号码",
        "证件号",
        "passport",
        "Passport",
    ]
    PREFILTER = r"[A-ZＡ-Ｚ][A-ZＡ-Ｚ]?[0-9０-９]{7}"

    def ceiling(self, candidate: str, base: float) -> float:
        """`check` never gives full score: a passport counts only with its context word."""
        return base

    def check(self, candidate: str) -> bool | None:
        return None if is_valid_passport(candidate) else False
