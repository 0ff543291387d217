"""Presidio recognizers for Chinese personal data, one per file, in the style of presidio-analyzer.

Identifier recognizers (`CnPatternRecognizer` subclasses) propose shapes with regexes and let the
validators of `quality.validators` decide (checksums, prefixes, formats). PERSON and CN_ADDRESS are
`EntityRecognizer`s deciding from surname and division lists, context words and jieba's dictionary.

Every recognizer exposes `ENTITY`, `CHECKSUM` (a check digit confirms it), `CONTEXT`, `PREFILTER` (a Rust
regex that every match satisfies), `candidate_expr(expr)` (that condition as a Polars expression, for the
vectorized candidate search) and `find(text, folded, floor)` (spans as Presidio's `analyze` would return
them; spans scoring below `floor` may be left out). `RECOGNIZER_CLASSES` is ordered by precedence: on spans of
equal standing the earlier entity wins.
"""

from desensitize.recognizers.address import AddressRecognizer
from desensitize.recognizers.bank_card import BankCardRecognizer
from desensitize.recognizers.base import CnPatternRecognizer, fold_width
from desensitize.recognizers.email import EmailRecognizer
from desensitize.recognizers.ip_address import IpAddressRecognizer
from desensitize.recognizers.landline_phone import LandlinePhoneRecognizer
from desensitize.recognizers.license_plate import LicensePlateRecognizer
from desensitize.recognizers.mobile_phone import MobilePhoneRecognizer
from desensitize.recognizers.passport import PassportRecognizer
from desensitize.recognizers.person import PersonRecognizer
from desensitize.recognizers.resident_id import ResidentIdRecognizer
from desensitize.recognizers.uscc import UsccRecognizer

RECOGNIZER_CLASSES = (
    ResidentIdRecognizer,
    UsccRecognizer,
    BankCardRecognizer,
    MobilePhoneRecognizer,
    LandlinePhoneRecognizer,
    PassportRecognizer,
    LicensePlateRecognizer,
    EmailRecognizer,
    IpAddressRecognizer,
    AddressRecognizer,
    PersonRecognizer,
)

__all__ = [
    "RECOGNIZER_CLASSES",
    "AddressRecognizer",
    "BankCardRecognizer",
    "CnPatternRecognizer",
    "EmailRecognizer",
    "IpAddressRecognizer",
    "LandlinePhoneRecognizer",
    "LicensePlateRecognizer",
    "MobilePhoneRecognizer",
    "PassportRecognizer",
    "PersonRecognizer",
    "ResidentIdRecognizer",
    "UsccRecognizer",
    "fold_width",
]
