"""Home and street addresses (CN_ADDRESS): division names, then road or village, then house number.

An address is read left to right as up to three parts:

- **divisions**: a chain of known province, city, county and township names (full names such as
  `浙江省`, `德清县`, `武康街道`, or the stems of provinces, cities and counties such as `湖州`), looked up in
  `reference.divisions`;
- **locality**: one to three road, street, village or estate names (`英溪北路`, `宋市村`, `阳光小区`);
- **house**: numbers with units (`188号3幢2单元501室`, `5组`, `12-3-401`).

What counts as personal is a place where someone lives or can be found, not a region: an address needs a
house part with a locality or divisions, or divisions plus a locality after a residence word (住址,
家住 …). A township alone (`新市镇`) or a village in the news (`钟管镇干山村举办…`) is not an address.
Without divisions, the locality's start is cut after the last word such as 住, 在, 到 that leaves a name
of at least two characters (`家住英溪北路` → `英溪北路`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import polars as pl
from presidio_analyzer import EntityRecognizer, RecognizerResult

from catalog.vocabulary import Entity
from desensitize.recognizers.base import LANGUAGE, Hit, fold_width
from reference.divisions import divisions, townships

_LOCAL_SUFFIX = (
    r"(?:大道|大街|路|街(?!道)|巷|弄|胡同|社区|小区|新村|村(?![民委级里口])|花园|家园|公寓|大厦|苑|山庄|广场|浜|埭)"
)
_LOCAL_END = r"(?:路|街|巷|弄|胡同|社区|小区|村|花园|家园|公寓|大厦|苑|山庄|广场|浜|埭)"
_LOCAL = r"[\u3400-\u9fff]{1,8}?" + _LOCAL_SUFFIX + r"(?:[东西南北中]段)?"
_NUM = r"[0-9一二三四五六七八九十百零〇]+"
_UNIT = r"(?:号楼|号院|号|弄|幢|栋|座|单元|楼|层|室|组|户|排)"
_HOUSE = rf"(?:{_NUM}(?:-[0-9]+)*{_UNIT})+"
_FLAT = r"[0-9]{1,4}(?:-[0-9]{1,4}){1,3}(?![0-9-])"
_TOWN = r"(?:[\u3400-\u9fff]{2,4}?(?:街道|镇|乡))?"
TAIL = re.compile(
    rf"{_TOWN}(?P<local>(?:{_LOCAL}){{0,3}})(?:[\u3400-\u9fff]{{1,4}}?(?={_HOUSE}))?(?P<house>{_HOUSE})?"
    rf"(?P<flat>(?<=[\u3400-\u9fff])(?<![省市县区旗盟镇乡道]){_FLAT})?"
)
HOUSE = re.compile(_HOUSE)
FLAT = re.compile(_FLAT)
LOCAL_LED = re.compile(rf"(?P<local>(?:{_LOCAL}){{1,3}})(?P<house>{_HOUSE}|{_FLAT})")
RESIDENCE_WORDS = (
    "住址",
    "地址",
    "家住",
    "住在",
    "居住",
    "现住",
    "户籍地",
    "户籍",
    "住所",
    "居住地",
    "住",
    "住于",
    "位于",
    "搬到",
)
BREAKERS = frozenset("住在于到往从至址是为的和与及位去赴回经沿向对将把由了找搬迁离近靠临旁：:，,、 ")
_FIRST_NAME = re.compile(r"([\u3400-\u9fff]{1,8}?)" + _LOCAL_SUFFIX)
_ADMIN_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|地区|省|市|县|区|旗|盟)$")


@dataclass(frozen=True)
class PlaceIndex:
    """Division names, and the lengths of the names starting with each two-character prefix."""

    names: frozenset[str]
    lengths: dict[str, tuple[int, ...]]


@cache
def place_index() -> PlaceIndex:
    """Full division and township names, and the stems of provinces, cities and counties."""
    full = {d.name for d in divisions()} | {t.name for t in townships()}
    stems = {_ADMIN_SUFFIX.sub("", d.name) for d in divisions()}
    names = frozenset(n for n in full | stems if len(n) >= 2)
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[:2], set()).add(len(name))
    return PlaceIndex(names, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()})


def _place_at(index: PlaceIndex, text: str, p: int) -> int:
    """End of the longest division name starting at p, or p."""
    for length in index.lengths.get(text[p : p + 2], ()):
        if text[p : p + length] in index.names:
            return p + length
    return p


def _chain_ends(index: PlaceIndex, text: str, p: int) -> list[int]:
    """Ends of the successive division names from p (浙江省|湖州市|德清县 → three ends), longest first."""
    ends = []
    end = _place_at(index, text, p)
    while end > (ends[-1] if ends else p):
        ends.append(end)
        if end >= len(text):
            break
        end = _place_at(index, text, end)
    return ends[::-1]


def _residence_before(text: str, start: int) -> bool:
    return text[max(0, start - 6) : start].rstrip(" :：").endswith(RESIDENCE_WORDS)


def _accept(divisions_found: bool, local: str, house: str, text: str, start: int) -> float:
    if house and (local or divisions_found):
        return 0.85
    if divisions_found and local and _residence_before(text, start):
        return 0.7
    return 0.0


def _trim(local: str) -> int:
    """Offset in `local` after the last breaker that still leaves a name of two characters or more."""
    name = _FIRST_NAME.match(local)[1]
    for k in range(len(name) - 3, -1, -1):
        if name[k] in BREAKERS:
            return k + 1
    return 0


def _division_led(index: PlaceIndex, text: str, taken: list[Hit]) -> None:
    """Addresses that start with division names, left to right (the longest chain that is accepted)."""
    lengths, p, n = index.lengths, 0, len(text)
    while p < n:
        if text[p : p + 2] not in lengths:
            p += 1
            continue
        ends = _chain_ends(index, text, p)
        hit = None
        for end in ends:
            hit = _tail_after(text, p, end)
            if hit:
                break
        if hit:
            taken.append(hit)
        p = hit[1] if hit else (ends[0] if ends else p + 1)


def _tail_after(text: str, start: int, chain: int) -> Hit | None:
    tail = TAIL.match(text, chain)
    house = tail["house"] or (tail["flat"] if tail["local"] else "")
    score = _accept(True, tail["local"], house or "", text, start)
    return (start, tail.end(), score) if score else None


def _locality_led(text: str, taken: list[Hit]) -> None:
    """Road or estate plus house number where no division-led address was found (`taken` is sorted)."""
    division_starts = [s for s, _, _ in taken]
    found = []
    for match in LOCAL_LED.finditer(text):
        start = match.start() + _trim(match["local"])
        before = bisect_left(division_starts, match.end()) - 1
        if before < 0 or taken[before][1] <= start:
            found.append((start, match.end(), 0.85))
    taken.extend(found)


def find_addresses(text: str, folded: str | None = None) -> list[Hit]:
    """Address spans (start, end, score) in `text` (`folded`: the same text through `fold_width`).

    Every accepted address has a house number (`188号`, or `12-3-401` after a locality) or follows a
    residence word: without any of them, nothing is scanned. The result for a text is therefore the
    same alone or joined with others by `SEP` (as the fast path in `desensitize.text` joins them).
    """
    folded = fold_width(text) if folded is None else folded
    if not HOUSE.search(folded) and not FLAT.search(folded) and not any(word in folded for word in RESIDENCE_WORDS):
        return []
    taken: list[Hit] = []
    _division_led(place_index(), folded, taken)
    _locality_led(folded, taken)
    return sorted(taken)


class AddressRecognizer(EntityRecognizer):
    """CN_ADDRESS for Chinese text; needs no NLP artifacts."""

    ENTITY: ClassVar[str] = Entity.CN_ADDRESS.value
    CHECKSUM: ClassVar[bool] = False
    CONTEXT: ClassVar[list[str]] = list(RESIDENCE_WORDS)
    PREFILTER: ClassVar[str] = (
        r"[0-9０-９一二三四五六七八九十百零〇]+(?:号|弄|幢|栋|座|单元|楼|层|室|组|户|排)"
        rf"|{_LOCAL_END}(?:[东西南北中]段)?[0-9０-９]{{1,4}}[\-－][0-9０-９]"
        rf"|(?:住|地址|户籍|位于|搬到)[^\x00]*?{_LOCAL_END}"
    )

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entities=[self.ENTITY], name=type(self).__name__, supported_language=supported_language
        )
        self.context = list(self.CONTEXT)

    def load(self) -> None:
        place_index()

    def candidate_expr(self, text: pl.Expr) -> pl.Expr:
        """Vectorized: True where `find` may match (`PREFILTER`, evaluated by Polars)."""
        return text.str.contains(self.PREFILTER)

    def find(self, text: str, folded: str | None = None, floor: float = 0.0) -> list[Hit]:
        return find_addresses(text, folded)

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
        }
        return [
            RecognizerResult(self.ENTITY, s, e, score, recognition_metadata=dict(metadata))
            for s, e, score in self.find(text)
        ]
