"""Identifier factories: resident IDs, credit codes, bank cards, mobiles and plates.

The check characters come from `quality.validators`, the same functions the quality gate validates
with, so the demo never carries a second copy of the checksum arithmetic.
"""

from __future__ import annotations

from datetime import date
from random import Random

from quality.validators import luhn_check_digit, org_code_check_char, resident_id_check_char, uscc_check_char

# GB 32100-2015 code set (no I, O, S, V, Z); the organization-code part uses it too inside a USCC.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# (registration authority, organization category): 9-1 enterprise, 9-2 sole proprietor, 9-3 farmers' cooperative.
USCC_KINDS = {"enterprise": "91", "sole_proprietor": "92", "cooperative": "93"}

# UnionPay debit BINs of banks with branches in Deqing (19-digit cards).
BANK_BINS = ("622848", "621700", "622202", "621226", "621661", "621799", "623058", "622580", "621483")

# Mobile prefixes in current use (China Mobile, Unicom, Telecom, Broadnet), weighted towards the common ones.
MOBILE_PREFIXES = (
    ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183", "187", "188") * 3
    + ("130", "131", "132", "155", "156", "166", "175", "176", "185", "186") * 2
    + ("133", "153", "173", "177", "180", "181", "189", "191", "193", "199") * 2
    + ("147", "172", "178", "195", "197", "198", "196", "190", "192", "145", "149", "162", "165", "167", "170", "171")
)

PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O on plates
HUZHOU_PLATE_PREFIX = "浙E"


def resident_id(region: str, born: date, male: bool, rng: Random) -> str:
    """An 18-character resident ID: region, birth date, sequence with the sex parity, check character."""
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{region}{born:%Y%m%d}{max(sequence, 1 if male else 2):03d}"
    return first17 + resident_id_check_char(first17)


def wrong_check_char(value: str, correct: str, rng: Random) -> str:
    """`value` with its last character replaced by a plausible but wrong check character."""
    return value[:-1] + rng.choice([c for c in "0123456789X" if c != correct])


def org_code(rng: Random, new_style: bool) -> str:
    """A nine-character organization code: eight body characters and the check character."""
    body = "MA" + "".join(rng.choice(USCC_CHARS) for _ in range(6)) if new_style else f"{rng.randrange(10**8):08d}"
    return body + org_code_check_char(body)


def uscc(kind: str, region: str, rng: Random, new_style: bool = True) -> str:
    """An 18-character unified social credit code (GB 32100) for an entity registered in `region`.

    `new_style` codes embed an organization code assigned with the credit code (`MA…`); older entities
    kept their eight-digit organization code.
    """
    first17 = USCC_KINDS[kind] + region + org_code(rng, new_style)
    return first17 + uscc_check_char(first17)


def bank_card(rng: Random) -> str:
    """A 19-digit UnionPay debit card number with its Luhn check digit."""
    partial = rng.choice(BANK_BINS) + "".join(rng.choice("0123456789") for _ in range(12))
    return partial + luhn_check_digit(partial)


def mobile(rng: Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def invalid_mobile(rng: Random) -> str:
    """A number as mistyped in a form: one digit short or long, or an unassigned `12x`/`10x` prefix."""
    good = mobile(rng)
    return rng.choice((good[:-1], good + str(rng.randrange(10)), "1" + rng.choice("012") + good[2:]))


def plate(rng: Random, new_energy: bool) -> str:
    """A Huzhou plate: `浙E` + 5 characters, or 6 for new-energy cars (D electric, F hybrid)."""
    if new_energy:
        second = rng.choice(PLATE_LETTERS + "0123456789")
        return HUZHOU_PLATE_PREFIX + rng.choice("DDDF") + second + f"{rng.randrange(10**4):04d}"
    serial = "".join(rng.choice(PLATE_LETTERS) if rng.random() < 0.15 else rng.choice("0123456789") for _ in range(4))
    return HUZHOU_PLATE_PREFIX + rng.choice(PLATE_LETTERS) + serial


def to_full_width(value: str) -> str:
    """Digits and letters as typed on a Chinese input method in full-width mode (`３３０５２１…`)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in value)
