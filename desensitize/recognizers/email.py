"""E-mail addresses, validated like Presidio's EmailRecognizer on the public-suffix list, offline.

Presidio's own recognizer bounds the address with `\\b`, which fails after a CJK character
(`邮箱zhang@163.com`), and its tldextract fetches the suffix list on first use. Here the bounds are
look-arounds on address characters and tldextract runs on its bundled snapshot.
"""

from __future__ import annotations

from functools import cache
from typing import ClassVar

import tldextract
from presidio_analyzer import Pattern

from catalog.vocabulary import Entity
from desensitize.recognizers.base import CnPatternRecognizer

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"


@cache
def offline_extractor() -> tldextract.TLDExtract:
    """A tldextract that never touches the network or the disk cache (bundled suffix-list snapshot)."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class EmailRecognizer(CnPatternRecognizer):
    """EMAIL_ADDRESS: local@domain with a known public suffix."""

    ENTITY = Entity.EMAIL_ADDRESS.value
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "email",
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])?@"
            + _LABEL
            + r"(?:\."
            + _LABEL
            + r")+(?![A-Za-z0-9-]|\.[A-Za-z0-9])",
            0.5,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["邮箱", "电子邮件", "邮件", "email", "Email", "E-mail", "e-mail"]
    PREFILTER = r"[@＠]"

    def load(self) -> None:
        """Build tldextract's suffix trie now (it is built on the first lookup otherwise)."""
        offline_extractor()("example.com")

    def check(self, candidate: str) -> bool:
        return offline_extractor()(candidate.rsplit("@", 1)[-1]).fqdn != ""

    def validate_result(self, pattern_text: str) -> bool:
        """Address case is meaningful in the local part: validate as found, not normalized."""
        return self.check(pattern_text)
