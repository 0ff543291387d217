"""Bank card numbers (银行卡号): 16–19 digits passing Luhn, contiguous or in groups of four.

Luhn alone passes one random number in ten, and agency notes are full of 16–19 digit order and serial
numbers. A Luhn-valid number therefore counts at full score only on a card issuer prefix (UnionPay 62/60,
Visa 4, Mastercard 5, JCB 35, domestic 9); otherwise it keeps the base score and needs a context word
(卡号, 银行 …) to pass the threshold. The Luhn rule itself lives in `quality.validators`.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from catalog.vocabulary import Entity
from desensitize.recognizers.base import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, CnPatternRecognizer
from quality.validators import is_valid_bank_card

ISSUER_PREFIXES = ("62", "60", "4", "5", "35", "9")


class BankCardRecognizer(CnPatternRecognizer):
    """CN_BANK_CARD: Luhn-valid, full score on an issuer prefix, else only with context."""

    ENTITY = Entity.CN_BANK_CARD.value
    CHECKSUM = True
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("card_plain", NOT_AFTER_ALNUM + r"[1-9][0-9]{15,18}" + NOT_BEFORE_ALNUM, 0.3),
        Pattern(
            "card_grouped",
            NOT_AFTER_ALNUM + r"[1-9][0-9]{3}(?:[ -][0-9]{4}){3}(?:[ -]?[0-9]{1,3})?" + NOT_BEFORE_ALNUM,
            0.3,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "卡号",
        "银行卡",
        "银行",
        "账号",
        "帐号",
        "账户",
        "帐户",
        "开户",
        "储蓄卡",
        "信用卡",
        "借记卡",
        "社保卡",
        "转账",
    ]
    PREFILTER = r"[0-9０-９]{4}(?:[ \-－]?[0-9０-９]{4}){3}"

    def ceiling(self, candidate: str, base: float) -> float:
        """Full score only on an issuer prefix (the matched digits start the normalized number)."""
        return 1.0 if candidate.startswith(ISSUER_PREFIXES) else base

    def check(self, candidate: str) -> bool | None:
        if not is_valid_bank_card(candidate):
            return False
        return True if candidate.startswith(ISSUER_PREFIXES) else None
