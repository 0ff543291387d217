"""Column classification (数据识别): which personal-data entity a column holds, and how sure we are.

Two kinds of evidence are combined:
- **header evidence** (`desensitize.headers`): Chinese headers, pinyin initials, English words;
- **value evidence** from a sample (2,000 rows): the share of non-null values that are valid for an
  entity. Checksum and format entities use the vectorized validators of `quality.validators`
  (`VALIDATORS[entity].is_valid_expr` after `normalize_identifier_expr`); names, addresses, birth
  dates, e-mail and IP addresses use vectorized heuristics below. Nothing runs per cell in Python.

A header hint is accepted when at least half of the values confirm it; without a hint (`col_7`,
`字段12`) the values alone must reach 80 %, and a name column must also have many distinct values
(a column of 13 township names or 40 product names is not a list of people). Birth dates need a
header: a bare date column is as likely a registration date.

`catalog_findings` holds a file against its catalog entry: a personal column the catalog does not
declare blocks publication; a declared entity the values do not show is a warning. Messages name the
column and the entities, never a value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Literal

import polars as pl

from catalog.model import Column, Dataset
from catalog.vocabulary import NON_PERSONAL_ENTITIES, Entity
from desensitize.headers import HeaderHint, fold, header_hint
from desensitize.operators import COMPOUND_SURNAMES
from quality.validators import VALIDATORS, Validator, normalize_identifier_expr
from warehouse.clock import county_today

SAMPLE_ROWS = 2000
HEADER_ACCEPT = 0.5
VALUE_ACCEPT = 0.8
PERSON_MIN_DISTINCT = 30
HEADER_ONLY_CONFIDENCE = 0.3
SEED = 0

# When two entities fit equally well, the more specific (checksummed) one wins.
ENTITY_ORDER = (
    "CN_USCC",
    "CN_RESIDENT_ID",
    "CN_BANK_CARD",
    "CN_MOBILE_PHONE",
    "CN_LANDLINE_PHONE",
    "CN_LICENSE_PLATE",
    "CN_PASSPORT",
    "EMAIL_ADDRESS",
    "IP_ADDRESS",
    "DATE_OF_BIRTH",
    "PERSON",
    "CN_ADDRESS",
)
NEEDS_HEADER = frozenset({"DATE_OF_BIRTH"})

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查"
    "麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝郜阚权强帅屠豆朴盖练廉禹井"
    "祖漆巴丰支卿狄计索宣晋相初容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况宿鲜印逯隆茹诸战慕危银亢"
    "嵇湛宾戎勾茅揭但尉斯束檀衣展阴昝智幸奉植衡富尧闭萧赖洪钮贲郦郗邴糜隗宓蓬仰暴钭韶蓟怀鄂咸籍苍莘贡逄扶"
)
_ORG_OR_PLACE_END = (
    r"(公司|集团|局|院|所|站|店|厂|场|社|中心|委员会|委|办|协会|学校|小学|中学|大学|医院|卫生院|银行|"
    r"村|镇|乡|街道|社区|路|街|区|县|市|省|州|部|处|队|组|室|馆|园|湖|桥|港)$"
)
_ADMIN = r"(省|市|县|区|镇|乡|街道)"
_LOCAL = r"(路|街|巷|弄|村|组|号|幢|栋|室|小区|大道|苑|公寓|花园|新村)"
_DATE = (
    r"^(19|20)\d{2}(([-/.年])(0?[1-9]|1[0-2])[-/.月](0?[1-9]|[12]\d|3[01])日?|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))$"
)
_OCTET = r"(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"


@dataclass(frozen=True)
class Classification:
    """The entity a column holds (None: none found), a confidence in 0..1, and why (never a value)."""

    entity: str | None
    confidence: float
    evidence: str


@dataclass(frozen=True)
class Finding:
    """A disagreement between a file and its catalog entry."""

    column: str
    severity: Literal["blocking", "warning"]
    message: str


@cache
def _surnames() -> pl.Series:
    return pl.Series(sorted(SURNAMES), dtype=pl.String)


def _member_of(e: pl.Expr, values: pl.Series) -> pl.Expr:
    """`e` is one of `values` (imploded: a Series argument to `is_in` is ambiguous in Polars 2)."""
    return e.is_in(pl.lit(values).implode())


def _validators(today: date) -> dict[str, Callable[[pl.Expr], pl.Expr]]:
    """Valid-value expressions of the identifier entities, from `quality.validators` (for normalized text)."""

    def check(validator: Validator) -> Callable[[pl.Expr], pl.Expr]:
        options = {"today": today} if validator.entity == "CN_RESIDENT_ID" else {}
        return lambda e: validator.is_valid_expr(e, **options)

    return {str(entity): check(validator) for entity, validator in VALIDATORS.items()}


def person_expr(e: pl.Expr) -> pl.Expr:
    """A 2-4 character Chinese name starting with a surname (or a `·` minority name), not ending like a
    place or an organisation (`武康街道`, `新市镇`, `德清县`, `某某公司` start with surnames too)."""
    shaped = e.str.contains(r"^[\u4e00-\u9fff]{2,4}$") & (
        _member_of(e.str.head(1), _surnames()) | e.str.head(2).is_in(COMPOUND_SURNAMES)
    )
    minority = e.str.contains(r"^[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,10}$")
    return (shaped | minority) & ~e.str.contains(_ORG_OR_PLACE_END)


def address_expr(e: pl.Expr) -> pl.Expr:
    """At least six characters naming an administrative level and a street-level part, not a company."""
    local = e.str.replace_all("街道", "").str.contains(_LOCAL)
    org = e.str.contains(r"(公司|集团|厂|店|合作社|中心|局|医院|学校)$")
    numbered = e.str.contains(r"\d+号")
    return (e.str.len_chars() >= 6) & ((e.str.contains(_ADMIN) & local) | numbered) & ~org


def birth_date_expr(e: pl.Expr, today: date) -> pl.Expr:
    """A calendar date without a time, in a plausible birth year."""
    year = e.str.head(4).cast(pl.Int32, strict=False)
    return e.str.contains(_DATE) & (year >= 1900) & (year <= today.year)


def _heuristics(today: date) -> dict[str, Callable[[pl.Expr], pl.Expr]]:
    return {
        "PERSON": person_expr,
        "CN_ADDRESS": address_expr,
        "DATE_OF_BIRTH": lambda e: birth_date_expr(e, today),
        "EMAIL_ADDRESS": lambda e: e.str.contains(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"),
        "IP_ADDRESS": lambda e: (
            e.str.contains(rf"^{_OCTET}(\.{_OCTET}){{3}}$")
            | e.str.contains(r"^[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}$")
        ),
    }


def sample_values(values: pl.Series, rows: int = SAMPLE_ROWS) -> pl.Series:
    """Up to `rows` non-empty values as trimmed text, a fixed-seed sample when there are more."""
    if values.dtype.is_nested() or values.dtype == pl.Binary:
        return pl.Series(values.name, [], dtype=pl.String)
    text = values.cast(pl.String).str.strip_chars()
    text = text.filter(text.is_not_null() & (text != ""))
    return text.sample(rows, seed=SEED) if text.len() > rows else text


def value_scores(sample: pl.Series, today: date | None = None) -> dict[str, float]:
    """Share of sampled values valid for each entity (0 for an empty sample)."""
    if sample.len() == 0:
        return dict.fromkeys(ENTITY_ORDER, 0.0)
    frame = pl.DataFrame({"v": sample}).with_columns(normalize_identifier_expr(pl.col("v")).alias("n"))
    return frame.select(_score_exprs(today or county_today())).row(0, named=True)


@lru_cache(maxsize=4)
def _score_exprs(today: date) -> list[pl.Expr]:
    """One share-of-valid expression per entity over columns `v` (trimmed) and `n` (normalized). Built
    once per day: building them (their literal tables) cost as much as running them on 2,000 values."""
    validators, heuristics = _validators(today), _heuristics(today)
    return [
        (validators[e](pl.col("n")) if e in validators else heuristics[e](pl.col("v"))).fill_null(False).mean().alias(e)
        for e in ENTITY_ORDER
    ]


def _best_by_values(scores: dict[str, float], sample: pl.Series) -> tuple[str | None, float]:
    candidates = [e for e in ENTITY_ORDER if e not in NEEDS_HEADER]
    if "PERSON" in candidates and sample.n_unique() < min(PERSON_MIN_DISTINCT, sample.len() / 2):
        candidates.remove("PERSON")
    best = max(candidates, key=lambda e: scores[e])
    return (best, scores[best]) if scores[best] >= VALUE_ACCEPT else (None, scores[best])


def _percent(score: float) -> str:
    return f"{score:.0%}"


def classify_sample(sample: pl.Series, hint: HeaderHint | None, today: date | None = None) -> Classification:
    """Combine a header hint with the value evidence of an already drawn sample."""
    n = sample.len()
    scores = value_scores(sample, today)
    said = f"header '{hint.matched}' suggests {'/'.join(hint.entities)}" if hint else "header says nothing"
    if hint is not None:
        confirmed = max(hint.entities, key=lambda e: scores[e])
        if scores[confirmed] >= HEADER_ACCEPT:
            evidence = f"{said}; {_percent(scores[confirmed])} of {n} sampled values valid"
            return Classification(confirmed, round(0.5 + 0.5 * scores[confirmed], 3), evidence)
        if n == 0:
            return Classification(hint.entities[0], HEADER_ONLY_CONFIDENCE, f"{said}; no values to confirm it")
    best, score = _best_by_values(scores, sample)
    if best is not None:
        weight = 0.8 if hint is not None else 0.9
        evidence = f"{said}; {_percent(score)} of {n} sampled values valid as {best}"
        return Classification(best, round(weight * score, 3), evidence)
    doubt = 0.8 if hint is not None else 1.0
    evidence = f"{said}; best value match {_percent(score)} of {n} sampled values" + _set_aside(scores, hint)
    return Classification(None, round(doubt * (1.0 - score), 3), evidence)


def _set_aside(scores: dict[str, float], hint: HeaderHint | None) -> str:
    """Why a well-matching entity was not chosen, for the evidence text."""
    if scores["DATE_OF_BIRTH"] >= VALUE_ACCEPT and hint is None:
        return " (dates, but no header says they are birth dates)"
    if scores["PERSON"] >= VALUE_ACCEPT:
        return " (name-like, but too few distinct values for a list of people)"
    return ""


def classify_column(name: str, values: pl.Series, today: date | None = None) -> Classification:
    """The entity of column `name` from its header and a sample of its values."""
    return classify_sample(sample_values(values), header_hint(name), today)


def classify_frame(df: pl.DataFrame, today: date | None = None) -> list[tuple[str, Classification]]:
    """(header, classification) for every column, in order."""
    return [(name, classify_column(name, df.get_column(name), today)) for name in df.columns]


def _is_personal(entity: str | None) -> bool:
    return entity is not None and Entity(entity) not in NON_PERSONAL_ENTITIES


def _declared_column(dataset: Dataset, header: str) -> Column | None:
    lookup = {fold(h): c for c in dataset.columns for h in c.headers}
    return lookup.get(fold(header))


def _undeclared(dataset: Dataset, header: str, found: Classification) -> Finding | None:
    if found.entity is None:
        return None
    where = f"column '{header}' of {dataset.id}"
    what = f"its values look like {found.entity} (confidence {found.confidence:.2f})"
    if _is_personal(found.entity):
        return Finding(
            header,
            "blocking",
            f"{where} is personal data not declared in the catalog: {what}; "
            "declare its entity and grade before it is published",
        )
    return Finding(header, "warning", f"{where} declares no entity but {what}")


def _declared(dataset: Dataset, header: str, column: Column, found: Classification) -> Finding | None:
    declared = column.entity.value if column.entity is not None else None
    where = f"column '{header}' of {dataset.id}"
    if found.entity == declared:
        return None
    if found.entity is not None and _is_personal(found.entity):
        return Finding(
            header,
            "blocking",
            f"{where} is declared {declared} but its values look like {found.entity} "
            f"(confidence {found.confidence:.2f}); correct the catalog before it is published",
        )
    return Finding(
        header, "warning", f"{where} is declared {declared} but the sampled values do not show it ({found.evidence})"
    )


def finding_for(dataset: Dataset, header: str, values: pl.Series, today: date | None = None) -> Finding | None:
    """The finding for one column of a file of `dataset`, or None when file and catalog agree."""
    column = _declared_column(dataset, header)
    if header.startswith("_") or (column is not None and column.free_text):
        return None
    sample = sample_values(values)
    if sample.len() == 0:
        return None
    if column is None or column.entity is None:
        found = classify_sample(sample, header_hint(header), today)
        return _undeclared(dataset, header, found)
    found = classify_sample(sample, HeaderHint((column.entity.value,), "catalog"), today)
    return _declared(dataset, header, column, found)


def catalog_findings(dataset: Dataset, df: pl.DataFrame, today: date | None = None) -> list[Finding]:
    """Blocking findings for undeclared (or mis-declared) personal columns, warnings for the rest.

    Columns whose name starts with `_` are the platform's own (lineage, flags) and are skipped, and so
    are declared free-text columns, which are redacted whatever they hold.
    """
    findings = (finding_for(dataset, header, df.get_column(header), today) for header in df.columns)
    return [f for f in findings if f is not None]
