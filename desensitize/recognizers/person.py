"""Chinese personal names (PERSON): surname list, given-name statistics, context and word boundaries.

A name is a surname (`surnames.txt`: common, rare and compound) followed by one or two given-name
characters. Whether such a string is a name is decided from four signals, all cheap lookups:

- **context**: a label or role just before (申请人, 户主, 村民, 姓名： …) or a title just after
  (先生, 女士, 同志 …). With context, any plausible given name is accepted.
- **given-name characters**: how much more often a character appears in given names than in ordinary
  words, estimated from jieba's dictionary (its person-tagged `nr` entries against all other entries).
- **segmentation**: jieba's dictionary decides word boundaries: a surname character that ends a word
  with the character before it (如何, 提高, 上周), or that starts an everyday word (许多, 黄金, 马上), is not
  a name; a dictionary entry tagged as a person name is.
- **places**: a candidate that is a division name or its stem (钟管, 武康, 雷甸), or that is followed by a
  place suffix (镇, 村, 路, 浜 …), is a place, not a person.

Without context a name needs confident given-name characters and clean boundaries on both sides, so
that prose names are found (李秀英带着孙子…) while item and place names are not (黄金, 钟管镇).

For speed, `find_names` decides only at candidates that a reading makes free or that follow a field
label (two regex scans find them), and each decision reads a window of at most `LEFT_REACH`
characters before the candidate and `RIGHT_REACH` from it, in which every character that no lookup
tells apart (digits, punctuation, `SEP`, the text bounds) reads as one `BOUNDARY`. Decisions are
memoized per window, so repeated phrasing is decided once, and a text's names never depend on the
texts it is joined with.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import ClassVar

import polars as pl
from presidio_analyzer import EntityRecognizer, RecognizerResult

from catalog.vocabulary import Entity
from desensitize.recognizers.base import LANGUAGE, Hit
from reference.divisions import divisions, townships

SURNAMES_FILE = Path(__file__).with_name("surnames.txt")
CJK = re.compile(r"[\u3400-\u9fff]")
# fmt: off
FIELD_LABELS = (
    "姓名", "名字", "申请人", "被申请人", "申报人", "户主", "户名", "联系人", "经办人", "负责人", "法定代表人", "法人代表", "法人", "代理人",
    "委托人", "受托人", "监护人", "被监护人", "当事人", "投诉人", "被投诉人", "举报人", "来电人", "来访人", "反映人", "报告人", "报案人", "求助人",
    "收款人", "付款人", "持卡人", "签收人", "送达人", "受理人", "承办人", "审核人", "审批人", "填表人", "借款人", "担保人", "出租人", "承租人",
    "签字人", "驾驶人", "车主", "业主", "名叫", "叫做", "我叫", "他叫", "她叫", "个体工商户", "工商户", "经营者", "持证人", "收件人", "寄件人",
    "户籍人", "开户人", "参保人", "缴费人",
)
CONNECTORS = "为是叫写"
ROLE_LABELS = (
    "患者", "病人", "村民", "居民", "群众", "市民", "老人", "职工", "员工", "学生", "司机", "驾驶员", "租户", "房东", "家属", "母亲",
    "父亲", "妻子", "丈夫", "儿子", "女儿", "之子", "之女", "孙子", "孙女", "外孙", "儿媳", "女婿", "配偶", "邻居", "网格员", "志愿者",
    "书记", "主任", "委员", "老师", "医生", "护士", "师傅", "低保户", "困难户", "独居老人", "退役军人", "残疾人", "户籍人员", "救助对象",
    "帮扶对象", "走访对象", "服务对象", "被告", "原告", "嫌疑人", "证人", "死者", "伤者", "社员", "经理", "店主", "摊主", "老板", "村干部",
    "民警", "辅警", "驻村干部", "调解员", "联络员", "本人", "妈妈", "爸爸", "爷爷", "奶奶", "哥哥", "姐姐", "弟弟", "妹妹", "同学", "朋友",
    "同事", "老伴", "亲戚",
)
TITLES = (
    "先生", "女士", "同志", "老师", "师傅", "阿姨", "大爷", "大妈", "大娘", "奶奶", "爷爷", "老人", "医生", "书记", "主任", "经理",
    "局长", "镇长", "村长", "组长", "队长", "警官", "律师", "夫妇", "一家", "本人", "家属", "等人", "老太", "老师傅",
)
# fmt: on
_TITLES_BY_LENGTH = tuple((n, frozenset(t for t in TITLES if len(t) == n)) for n in sorted({len(t) for t in TITLES}))
SEPARATORS = " \t:：、,，;；(（「『“\"'"
NOT_GIVEN = frozenset(
    "的了在是说和与等到去来把被向给对也都已于因为要会将就还又才不没很最所其之以从自及或而且并但却则着过地得吗呢吧啊"
    "您你我他她它们这那哪谁什么个位名人户某姓氏村镇乡县市区省路街巷弄号室组栋幢楼院厂店局所站处科部年日时分秒元角"
    "亿第共计约每各该此今昨"
)
PLACE_SUFFIXES = frozenset(
    "镇乡村街路县市区省州湾桥港浜埭兜漾坞岙湖河江溪塘寺庙庄屯堡营岭洲坊里巷弄苑园城站场馆院校厂店局所墩圩埠坝岛"
)
FOLLOW = frozenset(
    "说称讲道答问笑哭喊叫想看听拿带把被向给对从到去来在是的和与也都就又还便已正曾将要会能没不很今昨明每再刚才仍一跟同替"
    "为让请找帮陪留回坐走跑骑开买卖送接做干当等于因觉认知发告表介负主提签填交办申住家最"
)
LEFT_OK = frozenset("由和与及对向给被让叫经是将把请找帮同跟替为据问派陪随见等带的了在着至")
WORD_FREQ_FLOOR = 10
NAME_TAG_WORD_FREQ = 20
GIVEN_FLOOR = 1.5
PROSE_MIN_AVG = 1.5
PROSE_MIN_AVG_CLEAN = 0.9
PROSE_MIN_AVG_STRONG = 0.3
PROSE_MIN_SINGLE = 1.0
PROSE_MIN_SINGLE_WEAK_RIGHT = 2.0
SOFT_MIN_EACH = -1.5
PROSE_THRESHOLDS = {4: PROSE_MIN_AVG_STRONG, 3: PROSE_MIN_AVG_CLEAN, 2: PROSE_MIN_AVG_CLEAN}
PLACE_MAX = 8
BOUNDARY_WORD_FREQ = 300
SINGLE_WORD_FREQ = 10_000
ROLE_WORD_FREQ = 1_000
BOUNDARY = "\x01"
MARK = "\x01"
LEFT_REACH = 4  # _left_boundary reads up to 4 characters before a surname
RIGHT_REACH = PLACE_MAX  # _is_place reads PLACE_MAX characters from it; the rest reads less
_DECISIONS: dict[tuple[str, int, int, bool], tuple[int, float] | None] = {}
_DECISIONS_LIMIT = 100_000  # about 20 MB when full
_UNSEEN = object()
UNKNOWN_GIVEN = -9.0  # the given-name score of a character the lexicon does not list


@dataclass(frozen=True)
class NameLexicon:
    """Everything the name decision looks up, built once per process."""

    common: frozenset[str]
    rare: frozenset[str]
    compound: frozenset[str]
    given: dict[str, float]
    words: dict[str, int]
    name_words: frozenset[str]
    places: frozenset[str]
    candidates: re.Pattern[str]
    field_labels: re.Pattern[str]
    role_labels: re.Pattern[str]
    free_single: frozenset[str]
    free_compound: frozenset[str]
    place_lengths: dict[str, tuple[int, ...]]
    free_at: tuple[re.Pattern[str], re.Pattern[str]]
    given_ok: frozenset[str]
    outside: re.Pattern[str]
    last_outside: re.Pattern[str]


def _surname_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in SURNAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            current = line.strip("[]")
        elif line and not line.startswith("#"):
            sections.setdefault(current, []).extend(line.split())
    return sections


def _jieba_dictionary() -> pl.DataFrame:
    path = Path(find_spec("jieba").origin).with_name("dict.txt")
    return pl.read_csv(
        path,
        separator=" ",
        has_header=False,
        quote_char=None,
        new_columns=["word", "freq", "tag"],
        schema_overrides={"word": pl.String, "freq": pl.Int64, "tag": pl.String},
    )


def _given_scores(lexicon: pl.DataFrame, surnames: frozenset[str], given_floor: list[str]) -> dict[str, float]:
    """log(P(char | given name) / P(char | other words)), from jieba's 3-character `nr` entries."""
    names = lexicon.filter((pl.col("tag") == "nr") & (pl.col("word").str.len_chars() == 3))
    in_names: Counter[str] = Counter()
    for word in names["word"]:
        if word[0] in surnames:
            in_names.update(word[1:])
    chars = (
        lexicon.filter(~pl.col("tag").str.starts_with("nr") | (pl.col("freq") >= NAME_TAG_WORD_FREQ))
        .select(pl.col("word").str.split(""), "freq")
        .explode("word")
        .group_by("word")
        .agg(pl.col("freq").sum())
    )
    in_words = dict(zip(chars["word"].to_list(), chars["freq"].to_list(), strict=True))
    n_names, n_words = sum(in_names.values()), sum(in_words.values())
    scores = {c: math.log((k / n_names) / ((in_words.get(c, 0) + 50) / n_words)) for c, k in in_names.items() if k >= 2}
    for char in given_floor:
        scores[char] = max(scores.get(char, GIVEN_FLOOR), GIVEN_FLOOR)
    return scores


def _place_names() -> frozenset[str]:
    """Division names and their stems without the level suffix (德清县 → 德清, 钟管镇 → 钟管)."""
    names = {d.name for d in divisions()} | {t.name for t in townships()}
    suffix = re.compile(r"(?:街道办事处|街道|地区|自治州|自治县|自治区|特别行政区|镇|乡|县|市|区|省|旗|盟)$")
    stems = {suffix.sub("", n) for n in names}
    return frozenset(n for n in names | stems if 2 <= len(n) <= PLACE_MAX)


@cache
def lexicon() -> NameLexicon:
    """Load surnames, jieba's dictionary and the division names (about a second, once per process)."""
    sections = _surname_sections()
    common, rare, compound = (frozenset(sections[k]) for k in ("common", "rare", "compound"))
    table = _jieba_dictionary()
    places = _place_names()
    name_tag = pl.col("tag").str.starts_with("nr")
    words = table.filter(~name_tag | (pl.col("freq") >= NAME_TAG_WORD_FREQ))
    firsts = "".join(sorted(common | rare | {c[0] for c in compound}))
    given = _given_scores(table, common, sections["given"])
    rare_name_tagged = name_tag & (pl.col("freq") < NAME_TAG_WORD_FREQ) & (pl.col("word").str.len_chars() >= 3)
    name_words = table.filter(rare_name_tagged)["word"]
    looked_up = [words.filter(pl.col("freq") >= WORD_FREQ_FLOOR)["word"], name_words, pl.Series(sorted(places))]
    outside = _outside_pattern([*looked_up, pl.Series(sorted(given))])
    return NameLexicon(
        common=common,
        rare=rare,
        compound=compound,
        given=given,
        words=dict(zip(words["word"].to_list(), words["freq"].to_list(), strict=True)),
        name_words=frozenset(name_words),
        places=places,
        candidates=re.compile(f"[{firsts}](?![{''.join(sorted(NOT_GIVEN - set('于')))}])(?=[\\u3400-\\u9fff])"),
        field_labels=_label_pattern(FIELD_LABELS),
        role_labels=_label_pattern(ROLE_LABELS),
        free_single=common - rare,
        free_compound=compound - rare,
        place_lengths=_prefix_lengths(places),
        free_at=_free_patterns(common - rare, compound - rare, given),
        given_ok=frozenset(c for c, v in given.items() if v >= SOFT_MIN_EACH),
        outside=outside,
        last_outside=re.compile(f"(?s:.*){outside.pattern}"),
    )


def _free_patterns(
    single: frozenset[str], compound: frozenset[str], given: dict[str, float]
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where `lex.candidates` matches and some surname reading is free: a surname (not rare) followed
    by a given character scoring at least `SOFT_MIN_EACH`; one pattern for single surnames, one for
    compound ones. Each match is the surname's first character only, so no position is skipped."""
    blocked = NOT_GIVEN - {"于"}
    ok = {c for c, v in given.items() if v >= SOFT_MIN_EACH and CJK.match(c)}
    seconds: dict[str, set[str]] = {}
    for c in compound:
        if CJK.match(c[1]) and c[1] not in blocked:
            seconds.setdefault(c[0], set()).add(c[1])
    after = "|".join(
        f"(?<={re.escape(first)})(?={_char_class(rest)}{_char_class(ok)})" for first, rest in seconds.items()
    )
    single_free = re.compile(f"{_char_class(set(single))}(?={_char_class(ok - blocked)})")
    return single_free, re.compile(f"{_char_class(set(seconds))}(?:{after})")


def _prefix_lengths(names: frozenset[str]) -> dict[str, tuple[int, ...]]:
    """The lengths of the names (two characters or more) starting with each two-character prefix."""
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[:2], set()).add(len(name))
    return {prefix: tuple(sorted(ls)) for prefix, ls in lengths.items()}


def _outside_pattern(lookups: list[pl.Series]) -> re.Pattern[str]:
    """Characters that no lookup of the name decision tells apart: neither CJK nor in any word, name
    word, place name or given-name character looked up. `find_names` writes them all as `BOUNDARY`."""
    entries = pl.concat([s.cast(pl.String) for s in lookups])
    extra = sorted(set("".join(entries.str.replace_all(r"[\x{3400}-\x{9fff}]", "").to_list())))
    return re.compile(f"[^\\u3400-\\u9fff{''.join(re.escape(c) for c in extra)}]")


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


@cache
def _prefilter_parts() -> tuple[str, str]:
    """Rust regexes (no look-around) that every text with a name matches, following `_name_at`:
    (a label before a surname, or a title after one; a free surname then a possible given character)."""
    lex = lexicon()
    firsts = _char_class({s[0] for s in lex.common | lex.rare | lex.compound})
    labels = "|".join(sorted(FIELD_LABELS + ROLE_LABELS, key=len, reverse=True))
    titles = "|".join(sorted(TITLES, key=len, reverse=True))
    seps = _char_class(set(SEPARATORS))
    free = _char_class(lex.common) + "|" + "|".join(sorted(lex.compound))
    given = _char_class({c for c, v in lex.given.items() if v >= SOFT_MIN_EACH and CJK.match(c)} - NOT_GIVEN)
    context = (
        f"(?:{labels}){seps}*(?:[{CONNECTORS}]{seps}*)?{firsts}|{firsts}[\\x{{3400}}-\\x{{9fff}}]{{1,3}}(?:{titles})"
    )
    return context, f"(?:{free}){given}"


def prefilter() -> str:
    """The whole vectorized condition as one regex."""
    return "|".join(_prefilter_parts())


@cache
def _everyday_words() -> tuple[str, ...]:
    """Two-character everyday words around a free surname (金额, 完成, 预计), whose second character is
    marked in the prefilter (`candidate_expr`). Marking keeps the prose alternative of the prefilter a
    necessary condition: `_name_at` without a label rejects a surname that starts such a word (its
    given name would begin with an everyday word) and one that ends it (the surname would end a word:
    `_left_clean`), and the first character stays free, so a surname just before the word still sees
    its given name. Words that start with a particle (`LEFT_OK`) or with the second character of a
    compound surname (方 of 东方) are left alone: there the character after them may still begin a name."""
    lex = lexicon()
    seconds = {c[1] for c in lex.compound}
    return tuple(
        w
        for w, freq in lex.words.items()
        if len(w) == 2 and freq >= WORD_FREQ_FLOOR and w not in lex.compound and w[0] not in LEFT_OK | seconds
        and (w[0] in lex.common or w[1] in lex.common) and CJK.match(w[0]) and CJK.match(w[1])
    )  # fmt: skip


@cache
def _marked_parts() -> tuple[str, str]:
    """The everyday words as one Rust regex (compiled once per process by Polars' regex cache, where
    `str.replace_many` would build its automaton on every call), and the prose alternative of the
    prefilter on marked text: a free surname and a given character, neither followed by `MARK`."""
    words = "|".join(re.escape(w) for w in _everyday_words())
    return f"(?:{words})", f"{_prefilter_parts()[1]}(?:[^\\x{{{ord(MARK):x}}}]|$)"


def candidate_expr(text: pl.Expr) -> pl.Expr:
    """Vectorized: True where `find_names` may find a name (never False where it would). The second
    character of each everyday word found (left to right, without overlaps) is marked by a following
    `MARK` (any `MARK` already in the text is blanked first); a marked character takes no part in a
    prose name."""
    context, _ = _prefilter_parts()
    words, free = _marked_parts()
    marked = text.str.replace_all(MARK, " ", literal=True).str.replace_all(words, f"${{0}}{MARK}")
    return text.str.contains(context) | marked.str.contains(free)


def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    seps = _char_class(set(SEPARATORS))
    words = "|".join(sorted(labels, key=len, reverse=True))
    return re.compile(f"(?:{words})(?P<tail>{seps}*(?:[{CONNECTORS}]{seps}*)?)")


def _label_ends(pattern: re.Pattern[str], text: str) -> dict[int, int]:
    """Where a name may start after a label: 2 after a separator or 为/是/叫/写 (姓名：, 申请人为), else 1."""
    return {m.end(): 2 if m["tail"] else 1 for m in pattern.finditer(text)}


def _is_word(lex: NameLexicon, s: str, floor: int = WORD_FREQ_FLOOR) -> bool:
    return lex.words.get(s, 0) >= floor


def _any_word(lex: NameLexicon, pieces: tuple[str, ...], floor: int = WORD_FREQ_FLOOR) -> bool:
    get = lex.words.get
    for piece in pieces:
        if get(piece, 0) >= floor:
            return True
    return False


def _given(lex: NameLexicon, c: str) -> float:
    return lex.given.get(c, UNKNOWN_GIVEN)


def _cjk(c: str) -> bool:
    """`CJK.match(c)` for one character, without a regex call (the hottest checks inline the comparison)."""
    return "\u3400" <= c <= "\u9fff"


def _title_at(text: str, k: int) -> bool:
    """`text.startswith(TITLES, k)`, by set lookups."""
    for n, titles in _TITLES_BY_LENGTH:
        if text[k : k + n] in titles:
            return True
    return False


def _left_clean(lex: NameLexicon, text: str, i: int) -> bool:
    """The surname must not end a word begun by the characters before it (如何, 提高, 上周)."""
    before = text[i - 1 : i] if i else ""
    if not before or not "\u3400" <= before <= "\u9fff" or before in LEFT_OK:
        return True
    return not _any_word(lex, (text[i - 1 : i + 1], text[max(0, i - 2) : i + 1], text[max(0, i - 3) : i + 1]))


def _left_boundary(lex: NameLexicon, text: str, i: int) -> int:
    """2: punctuation, start or a particle (由, 和 …) before the surname; 1: a word ends there; 0: neither."""
    if i == 0 or not _cjk(text[i - 1]) or text[i - 1] in LEFT_OK:
        return 2
    if _is_word(lex, text[i - 1], SINGLE_WORD_FREQ):
        return 1
    pieces = (text[max(0, i - 2) : i], text[max(0, i - 3) : i], text[max(0, i - 4) : i])
    return int(_any_word(lex, pieces, BOUNDARY_WORD_FREQ))


def _right_boundary(lex: NameLexicon, text: str, end: int) -> int:
    """2: punctuation, end or a follower (说, 在 …) after the name; 1: a word starts there; 0: neither."""
    if end >= len(text) or not _cjk(text[end]) or text[end] in FOLLOW:
        return 2
    return int(_any_word(lex, (text[end : end + 2], text[end : end + 3], text[end : end + 4]), BOUNDARY_WORD_FREQ))


def _is_place(lex: NameLexicon, text: str, i: int, end: int) -> bool:
    """The candidate is a division name or stem (钟管), is followed by a place suffix (镇, 村 …), or a
    longer division name starts where it does (武康街道)."""
    if text[i:end] in lex.places or (end < len(text) and text[end] in PLACE_SUFFIXES):
        return True
    lengths = lex.place_lengths.get(text[i : i + 2])
    if lengths:
        top = min(len(text) - i, PLACE_MAX)
        for k in lengths:
            if end - i < k <= top and text[i : i + k] in lex.places:
                return True
    return False


def _given_length(lex: NameLexicon, text: str, j: int) -> int:
    """1 or 2 given-name characters after position j (0: none possible)."""
    g1, g2 = text[j : j + 1], text[j + 1 : j + 2]
    if not g1 or not "\u3400" <= g1 <= "\u9fff" or g1 in NOT_GIVEN:
        return 0
    if not g2 or not "\u3400" <= g2 <= "\u9fff" or g2 in NOT_GIVEN or g2 in PLACE_SUFFIXES:
        return 1
    if lex.given.get(g2, UNKNOWN_GIVEN) < SOFT_MIN_EACH:
        return 1
    if lex.words.get(text[j + 1 : j + 3], 0) >= BOUNDARY_WORD_FREQ and not _title_at(text, j + 1):
        return 1
    return 2


def _plausible(lex: NameLexicon, text: str, i: int, j: int, end: int) -> bool:
    """With a role or title: the candidate is no everyday word and its characters can be a given name."""
    return not _is_word(lex, text[i:end], ROLE_WORD_FREQ) and all(_given(lex, c) >= SOFT_MIN_EACH for c in text[j:end])


def _prose_confident(lex: NameLexicon, text: str, i: int, j: int, end: int) -> bool:
    """No context: name-like given characters, no everyday word, boundaries on both sides."""
    if _any_word(lex, (text[i : j + 1], text[i:end])):
        return False
    scores = [lex.given.get(c, UNKNOWN_GIVEN) for c in text[j:end]]
    if text[i:end] in lex.name_words and scores[0] >= SOFT_MIN_EACH:
        return True
    left, right = _left_boundary(lex, text, i), _right_boundary(lex, text, end)
    if len(scores) == 1:
        return (left >= 1 and right == 2 and scores[0] >= PROSE_MIN_SINGLE) or (
            left == 2 and right == 1 and scores[0] >= PROSE_MIN_SINGLE_WEAK_RIGHT
        )
    if min(scores) < SOFT_MIN_EACH:
        return False
    return sum(scores) / 2 >= PROSE_THRESHOLDS.get(left + right, PROSE_MIN_AVG)


def _name_at(lex: NameLexicon, text: str, i: int, surname: str, field: int, role: bool) -> Hit | None:
    """The name starting at i with this surname reading, given the label (field 2/1/0, role) before it."""
    j = i + len(surname)
    rare = surname in lex.rare
    free = not rare and lex.given.get(text[j : j + 1], UNKNOWN_GIVEN) >= SOFT_MIN_EACH
    if not free and not (field == 2 or (field == 1 and not rare)):
        return None
    role = role and not field
    if not (field or role) and not _left_clean(lex, text, i):
        return None
    n = _given_length(lex, text, j)
    if n == 0:
        return None
    end = j + n
    if field == 2:
        return (i, end, 0.9)
    if _is_place(lex, text, i, end):
        return None
    if field == 1 and not rare:
        return (i, end, 0.85)
    if (role or _title_at(text, end)) and not rare:
        return (i, end, 0.8) if _plausible(lex, text, i, j, end) else None
    if not rare and _prose_confident(lex, text, i, j, end):
        return (i, end, 0.6)
    return None


def _positions(lex: NameLexicon, text: str, fields: dict[int, int]) -> list[int]:
    """Candidate positions (`lex.candidates`) that `_name_at` does not reject at once: some surname
    reading is followed by a plausible given character (`lex.free_at`), or a field label ends there."""
    single, compound = ([m.start() for m in pattern.finditer(text)] for pattern in lex.free_at)
    labelled = [i for i in fields if lex.candidates.match(text, i)]
    return sorted(set(single).union(compound, labelled)) if labelled or compound else single


def _window(lex: NameLexicon, raw: str, at: int) -> tuple[str, int]:
    """The part of `raw` (the text from `LEFT_REACH` characters before a candidate at `at` to
    `RIGHT_REACH` after it, or to the text bounds) that the name decision reads, and the candidate's
    offset in it: each side ends at the first character of `lex.outside` or text bound, written as
    one `BOUNDARY`."""
    before = lex.last_outside.match(raw, 0, at)
    if before:
        left = BOUNDARY + raw[before.end() : at]
    else:
        left = (BOUNDARY if at < LEFT_REACH else "") + raw[:at]
    after = lex.outside.search(raw, at)
    if after:
        right = raw[at : after.start()] + BOUNDARY
    else:
        right = raw[at:] + (BOUNDARY if len(raw) - at < RIGHT_REACH else "")
    return left + right, len(left)


def _decide(lex: NameLexicon, window: str, at: int, field: int, role: bool) -> tuple[int, float] | None:
    """Length and score of the name starting at `at` in `window` (the first surname reading that gives
    one: compound, then single), or None."""
    head = window[at : at + 2]
    readings = (head,) if head in lex.compound else ()
    if head[0] in lex.common or head[0] in lex.rare:
        readings += (head[0],)
    for surname in readings:
        hit = _name_at(lex, window, at, surname, field, role)
        if hit:
            return hit[1] - at, hit[2]
    return None


def _decision(lex: NameLexicon, window: str, at: int, field: int, role: bool) -> tuple[int, float] | None:
    """`_decide`, memoized per window: texts repeat their phrasing, names recur, and windows that
    differ only in digits or punctuation read alike."""
    key = (window, at, field, role)
    found = _DECISIONS.get(key, _UNSEEN)
    if found is _UNSEEN:
        if len(_DECISIONS) >= _DECISIONS_LIMIT:
            _DECISIONS.clear()
        found = _DECISIONS[key] = _decide(lex, window, at, field, role)
    return found


def find_names(text: str) -> list[Hit]:
    """Non-overlapping name spans (start, end, score), left to right.

    A decision reads at most `LEFT_REACH` characters before a candidate and `RIGHT_REACH` from it;
    text bounds, `SEP` and every character of `lex.outside` read alike (as `BOUNDARY`), so decisions
    are memoized per window and a text's names do not depend on the texts it is joined with.
    """
    lex = lexicon()
    hits: list[Hit] = []
    fields, roles = _label_ends(lex.field_labels, text), _label_ends(lex.role_labels, text)
    end = 0
    for i in _positions(lex, text, fields):
        if i < end:
            continue
        lo = i - LEFT_REACH if i > LEFT_REACH else 0
        window, at = _window(lex, text[lo : i + RIGHT_REACH], i - lo)
        key = (window, at, fields.get(i, 0), i in roles)
        found = _DECISIONS.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = _decision(lex, *key)
        if found:
            end = i + found[0]
            hits.append((i, end, found[1]))
    return hits


class PersonRecognizer(EntityRecognizer):
    """PERSON for Chinese text, usable with Presidio's no-op NLP engine (it needs no NLP artifacts)."""

    ENTITY: ClassVar[str] = Entity.PERSON.value
    CHECKSUM: ClassVar[bool] = False
    CONTEXT: ClassVar[list[str]] = list(FIELD_LABELS + ROLE_LABELS + TITLES)
    PREFILTER = property(lambda self: prefilter(), doc="The vectorized candidate condition (built on first use).")

    def candidate_expr(self, text: pl.Expr) -> pl.Expr:
        """Vectorized candidate condition, sharper than `PREFILTER` (everyday words blanked first)."""
        return candidate_expr(text)

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entities=[self.ENTITY], name=type(self).__name__, supported_language=supported_language
        )
        self.context = list(self.CONTEXT)

    def load(self) -> None:
        lexicon()

    def find(self, text: str, folded: str | None = None, floor: float = 0.0) -> list[Hit]:
        return find_names(text)

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        return [
            RecognizerResult(self.ENTITY, s, e, score, recognition_metadata=self._metadata())
            for s, e, score in self.find(text)
        ]

    def _metadata(self) -> dict:
        return {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
        }
