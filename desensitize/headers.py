"""Header evidence for column classification: what a column's name says it holds.

Agencies name columns in Chinese (`身份证号码`), in pinyin initials (`sfzh`, `lxdh`, `xm`), in English
(`id_card`, `mobile`) or not at all (`col_7`, `字段12`). A header gives a *hint*: one or a few candidate
entities (`联系电话` may be a mobile or a landline number) that the values must then confirm.

Chinese keywords are matched as substrings, identifier words before person-role words, so that
`法定代表人身份证号` is an ID number and `联系人` a name. Latin headers are split into tokens (`fr_sfzh`,
`lxdh1`, `legalRepMobile`) and each token is looked up whole, so `xm` never matches inside `xmbh`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

ID = "CN_RESIDENT_ID"
MOBILE = "CN_MOBILE_PHONE"
LANDLINE = "CN_LANDLINE_PHONE"
PHONE = (MOBILE, LANDLINE)

# Ordered: the first keyword found in the header wins. Identifier words come before person roles.
CHINESE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("统一社会信用代码", ("CN_USCC",)),
    ("信用代码", ("CN_USCC",)),
    ("身份证", (ID,)),
    ("身份号码", (ID,)),
    ("证件号", (ID, "CN_PASSPORT")),
    ("护照", ("CN_PASSPORT",)),
    ("通行证", ("CN_PASSPORT",)),
    ("手机", (MOBILE,)),
    ("移动电话", (MOBILE,)),
    ("固定电话", (LANDLINE,)),
    ("固话", (LANDLINE,)),
    ("座机", (LANDLINE,)),
    ("办公电话", (LANDLINE,)),
    ("电话", PHONE),
    ("联系方式", PHONE),
    ("银行卡", ("CN_BANK_CARD",)),
    ("银行账号", ("CN_BANK_CARD",)),
    ("银行账户", ("CN_BANK_CARD",)),
    ("卡号", ("CN_BANK_CARD",)),
    ("账号", ("CN_BANK_CARD",)),
    ("车牌", ("CN_LICENSE_PLATE",)),
    ("号牌", ("CN_LICENSE_PLATE",)),
    ("邮箱", ("EMAIL_ADDRESS",)),
    ("电子邮件", ("EMAIL_ADDRESS",)),
    ("ip地址", ("IP_ADDRESS",)),
    ("出生", ("DATE_OF_BIRTH",)),
    ("生日", ("DATE_OF_BIRTH",)),
    ("住址", ("CN_ADDRESS",)),
    ("地址", ("CN_ADDRESS",)),
    ("住所", ("CN_ADDRESS",)),
    ("居住地", ("CN_ADDRESS",)),
    ("户籍地", ("CN_ADDRESS",)),
    ("姓名", ("PERSON",)),
    ("名字", ("PERSON",)),
    ("法定代表人", ("PERSON",)),
    ("法人代表", ("PERSON",)),
    ("负责人", ("PERSON",)),
    ("联系人", ("PERSON",)),
    ("户主", ("PERSON",)),
    ("申请人", ("PERSON",)),
    ("经办人", ("PERSON",)),
    ("驾驶员", ("PERSON",)),
    ("参保人", ("PERSON",)),
    ("救助对象", ("PERSON",)),
    ("监护人", ("PERSON",)),
)

# Whole-token pinyin initials and English words.
TOKENS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(["sfzh", "sfzhm", "sfz", "gmsfhm", "sfhm", "zjhm", "idcard", "idno", "resident"], (ID,)),
    **dict.fromkeys(["hzhm", "hzh", "passport"], ("CN_PASSPORT",)),
    **dict.fromkeys(["sjh", "sjhm", "yddh", "mobile", "cellphone", "cell"], (MOBILE,)),
    **dict.fromkeys(["gddh", "zjdh", "landline"], (LANDLINE,)),
    **dict.fromkeys(["lxdh", "dh", "dhhm", "lxfs", "phone", "tel", "telephone"], PHONE),
    **dict.fromkeys(["yhkh", "yhzh", "kh", "bankcard", "cardno", "account"], ("CN_BANK_CARD",)),
    **dict.fromkeys(["cph", "cphm", "hphm", "plate"], ("CN_LICENSE_PLATE",)),
    **dict.fromkeys(["yx", "dzyx", "email", "mail"], ("EMAIL_ADDRESS",)),
    **dict.fromkeys(["ip", "ipdz"], ("IP_ADDRESS",)),
    **dict.fromkeys(["csrq", "csny", "birth", "birthday", "dob", "birthdate"], ("DATE_OF_BIRTH",)),
    **dict.fromkeys(["zz", "dz", "jtzz", "hjdz", "jzdz", "zsdz", "address", "addr"], ("CN_ADDRESS",)),
    **dict.fromkeys(["xm", "name", "fddbr", "frdb", "lxr", "hzxm", "person"], ("PERSON",)),
    **dict.fromkeys(["tyshxydm", "shxydm", "xydm", "uscc"], ("CN_USCC",)),
}

# Two-token English phrases that name an entity where each token alone does not.
PHRASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("id", "card"): (ID,),
    ("id", "no"): (ID,),
    ("id", "number"): (ID,),
    ("card", "no"): ("CN_BANK_CARD",),
    ("card", "number"): ("CN_BANK_CARD",),
    ("bank", "card"): ("CN_BANK_CARD",),
    ("ip", "address"): ("IP_ADDRESS",),
}

# A header naming an organisation or an item is not a person, whatever else it says.
NOT_PERSON = ("名称", "单位", "企业", "机构", "公司", "商品", "项目", "事项", "关系", "类型", "人数")


@dataclass(frozen=True)
class HeaderHint:
    """Candidate entities a header names, and the keyword or token that named them."""

    entities: tuple[str, ...]
    matched: str


def fold(header: str) -> str:
    return unicodedata.normalize("NFKC", header).strip().casefold()


def tokens(header: str) -> list[str]:
    """Latin tokens of a header: split on non-letters and camelCase, trailing digits dropped."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", unicodedata.normalize("NFKC", header))
    return [re.sub(r"\d+$", "", t) for t in re.split(r"[^a-z0-9]+", spaced.casefold()) if t]


def _chinese_hint(folded: str) -> HeaderHint | None:
    for keyword, entities in CHINESE_KEYWORDS:
        if keyword in folded:
            if entities == ("PERSON",) and any(word in folded for word in NOT_PERSON):
                return None
            return HeaderHint(entities, keyword)
    return None


def _token_hint(parts: list[str]) -> HeaderHint | None:
    for first, second in itertools.pairwise(parts):
        if (first, second) in PHRASES:
            return HeaderHint(PHRASES[(first, second)], f"{first}_{second}")
    for part in reversed(parts):
        if part in TOKENS:
            return HeaderHint(TOKENS[part], part)
    return None


def header_hint(header: str) -> HeaderHint | None:
    """What the header says the column holds, or None when it says nothing (`col_7`, `字段12`, `金额`)."""
    folded = fold(header)
    hint = _chinese_hint(folded)
    if hint is not None or re.search(r"[\u4e00-\u9fff]", folded):
        return hint
    return _token_hint(tokens(header))
