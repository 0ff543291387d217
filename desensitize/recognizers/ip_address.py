"""IPv4 and IPv6 addresses, bounded by look-arounds (not `\\b`) and validated with `ipaddress`.

Version strings glued to letters (`v1.2.3.4`) and longer dotted numbers are not addresses.
"""

from __future__ import annotations

import ipaddress
from typing import ClassVar

from presidio_analyzer import Pattern

from catalog.vocabulary import Entity
from desensitize.recognizers.base import CnPatternRecognizer

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_H = r"[0-9A-Fa-f]{1,4}"
_IPV6 = (
    rf"(?:(?:{_H}:){{7}}{_H}|(?:{_H}:){{1,7}}:|(?:{_H}:){{1,6}}:{_H}|(?:{_H}:){{1,5}}(?::{_H}){{1,2}}"
    rf"|(?:{_H}:){{1,4}}(?::{_H}){{1,3}}|(?:{_H}:){{1,3}}(?::{_H}){{1,4}}|(?:{_H}:){{1,2}}(?::{_H}){{1,5}}"
    rf"|{_H}:(?::{_H}){{1,6}}|:(?::{_H}){{1,7}})"
)


class IpAddressRecognizer(CnPatternRecognizer):
    """IP_ADDRESS: dotted quads and IPv6 forms that `ipaddress` accepts."""

    ENTITY = Entity.IP_ADDRESS.value
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("ipv4", rf"(?<![0-9A-Za-z.]){_OCTET}(?:\.{_OCTET}){{3}}(?![0-9A-Za-z]|\.[0-9])", 0.6),
        Pattern("ipv6", rf"(?<![0-9A-Za-z:]){_IPV6}(?![0-9A-Za-z:]|\.[0-9])", 0.6),
    ]
    CONTEXT: ClassVar[list[str]] = ["IP", "ip地址", "IP地址", "登录", "访问", "服务器", "网络地址"]
    PREFILTER = r"[0-9０-９][.．][0-9０-９]{1,3}[.．]|[:：][:：]|(?:[0-9A-Fa-fＡ-Ｆａ-ｆ０-９]{1,4}[:：]){7}"

    def check(self, candidate: str) -> bool:
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            return False
        return True

    def validate_result(self, pattern_text: str) -> bool:
        """Addresses are validated as found (normalization would uppercase nothing useful)."""
        return self.check(pattern_text)
