"""Column classification: header and value evidence, tricky headers, negatives, catalog findings."""

from __future__ import annotations

import importlib.util
import random
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from catalog.model import Dataset
from desensitize.classify import catalog_findings, classify_column, classify_frame
from desensitize.headers import header_hint
from quality.validators import luhn_check_digit, resident_id_check_char

from catalog_support import catalog_entry

TODAY = date(2026, 11, 26)
REPO = Path(__file__).resolve().parent.parent
rng = random.Random(7)

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文辉林海燕萍飞鹏宇浩俊婷雪琳晨欣怡佳"


def ids(n: int) -> list[str]:
    out = []
    for _ in range(n):
        first17 = f"330521{rng.randrange(1940, 2015)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
        first17 += f"{rng.randrange(1000):03d}"
        out.append(first17 + resident_id_check_char(first17))
    return out


def names(n: int) -> list[str]:
    return [
        rng.choice("王李张刘陈杨黄赵吴周徐孙") + "".join(rng.choices(GIVEN, k=rng.choice([1, 2]))) for _ in range(n)
    ]


def mobiles(n: int) -> list[str]:
    return [f"138{rng.randrange(10**8):08d}" for _ in range(n)]


def cards(n: int) -> list[str]:
    out = []
    for _ in range(n):
        partial = "622202" + "".join(str(rng.randrange(10)) for _ in range(12))
        out.append(partial + luhn_check_digit(partial))
    return out


def addresses(n: int) -> list[str]:
    return [f"浙江省湖州市德清县武康街道英溪北路{rng.randrange(1, 300)}号" for _ in range(n)]


def digits(n: int, length: int) -> list[str]:
    return ["".join(str(rng.randrange(10)) for _ in range(length)) for _ in range(n)]


TOWNS = ["武康街道", "舞阳街道", "阜溪街道", "下渚湖街道", "康乾街道", "乾元镇", "新市镇", "洛舍镇", "钟管镇"]
ITEMS = ["大米", "白糖", "黄酒", "花生油", "食盐", "高粱酒", "金桔", "龙井茶", "白茶", "黄桃", "杨梅", "茭白"]


@pytest.mark.parametrize(
    ("header", "values", "entity"),
    [
        ("sfzh", ids(200), "CN_RESIDENT_ID"),
        ("公民身份号码", ids(200), "CN_RESIDENT_ID"),
        ("col_7", ids(200), "CN_RESIDENT_ID"),
        ("字段12", mobiles(200), "CN_MOBILE_PHONE"),
        ("lxdh", mobiles(200), "CN_MOBILE_PHONE"),
        ("联系电话", [f"0572-8{rng.randrange(10**6):06d}" for _ in range(200)], "CN_LANDLINE_PHONE"),
        ("xm", names(200), "PERSON"),
        ("col_3", names(200), "PERSON"),
        ("法定代表人", names(20), "PERSON"),
        ("zz", addresses(200), "CN_ADDRESS"),
        ("字段8", addresses(200), "CN_ADDRESS"),
        (
            "csrq",
            [f"{rng.randrange(1940, 2015)}0{rng.randrange(1, 10)}1{rng.randrange(10)}" for _ in range(200)],
            "DATE_OF_BIRTH",
        ),
        ("出生日期", ["1990-01-01", "1985-12-31", "2001/3/4"], "DATE_OF_BIRTH"),
        ("yhkh", cards(200), "CN_BANK_CARD"),
        ("F9", cards(200), "CN_BANK_CARD"),
        ("cph", ["浙E12345", "浙ED12345", "浙A8B9C7"] * 30, "CN_LICENSE_PLATE"),
        ("证件号码", [f"E{rng.randrange(10**8):08d}" for _ in range(100)], "CN_PASSPORT"),
        ("email", [f"user{i}@example.com" for i in range(100)], "EMAIL_ADDRESS"),
        ("登录IP", [f"10.1.{i % 250}.{i % 7 + 1}" for i in range(100)], "IP_ADDRESS"),
        ("法定代表人身份证号", ids(50), "CN_RESIDENT_ID"),
        ("驾驶员手机号", mobiles(50), "CN_MOBILE_PHONE"),
    ],
)
def test_positive_columns(header: str, values: list[str], entity: str) -> None:
    found = classify_column(header, pl.Series(header, values), TODAY)
    assert found.entity == entity, found
    assert 0.5 <= found.confidence <= 1


@pytest.mark.parametrize(
    ("header", "values"),
    [
        ("订单号", [f"2026{v}" for v in digits(300, 14)]),
        ("col_4", [f"2026{v}" for v in digits(300, 14)]),
        ("交易流水号", [f"62{v}" for v in digits(300, 17)]),
        ("金额", [f"{rng.uniform(1, 9000):.2f}" for _ in range(300)]),
        (
            "created_at",
            [f"2026-0{rng.randrange(1, 10)}-1{rng.randrange(10)} 12:0{rng.randrange(10)}:00" for _ in range(300)],
        ),
        ("成立日期", [f"20{rng.randrange(10, 26)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}" for _ in range(300)]),
        ("col_8", [rng.choice(TOWNS) for _ in range(300)]),
        ("所属乡镇", [rng.choice(TOWNS) for _ in range(300)]),
        ("商品名称", [rng.choice(ITEMS) for _ in range(300)]),
        ("col_10", [rng.choice(ITEMS) for _ in range(300)]),
        ("name", [f"德清县{rng.choice(['新市', '武康'])}{i}号机械有限公司" for i in range(300)]),
        ("企业名称", [f"德清{rng.choice(['竹木', '纺织'])}有限公司" for _ in range(300)]),
        ("备注", ["已电话回访，情况属实", "材料齐全，准予办理", "无"] * 100),
        ("户号", [f"3305{v}" for v in digits(300, 8)]),
        ("col_12", digits(300, 15)),
        ("性别", ["男", "女"] * 150),
    ],
)
def test_negative_columns(header: str, values: list[str]) -> None:
    found = classify_column(header, pl.Series(header, values), TODAY)
    assert found.entity is None, found


def test_header_alone_names_an_empty_column_weakly() -> None:
    found = classify_column("身份证号", pl.Series("身份证号", [None, None], dtype=pl.String), TODAY)
    assert found.entity == "CN_RESIDENT_ID" and found.confidence < 0.5


def test_values_override_a_misleading_header() -> None:
    found = classify_column("联系电话", pl.Series(ids(100)), TODAY)
    assert found.entity == "CN_RESIDENT_ID"


def test_header_hints() -> None:
    assert header_hint("fr_sfzh").entities == ("CN_RESIDENT_ID",)
    assert header_hint("lxdh1").entities == ("CN_MOBILE_PHONE", "CN_LANDLINE_PHONE")
    assert header_hint("legalRepMobile").entities == ("CN_MOBILE_PHONE",)
    assert header_hint("id_card").entities == ("CN_RESIDENT_ID",)
    assert header_hint("联系人").entities == ("PERSON",)
    assert header_hint("企业名称") is None
    assert header_hint("xmbh") is None
    assert header_hint("col_7") is None and header_hint("字段12") is None


def test_evidence_never_contains_values() -> None:
    values = ids(50)
    found = classify_column("col_1", pl.Series(values), TODAY)
    assert not any(v in found.evidence for v in values)


def test_classify_frame_keeps_column_order() -> None:
    frame = pl.DataFrame({"xm": names(50), "金额": ["1.00"] * 50, "sjh": mobiles(50)})
    assert [(n, c.entity) for n, c in classify_frame(frame, TODAY)] == [
        ("xm", "PERSON"),
        ("金额", None),
        ("sjh", "CN_MOBILE_PHONE"),
    ]


def dataset(columns: list[dict]) -> Dataset:
    return catalog_entry(id="dq_test_roster", title="测试名册", columns=columns)


ROSTER = dataset(
    [
        {"name": "resident_id", "aliases": ["身份证号码"], "entity": "CN_RESIDENT_ID", "grade": "L3"},
        {"name": "name", "aliases": ["姓名"], "entity": "PERSON", "grade": "L2"},
        {"name": "contact", "aliases": ["备用号码"], "grade": "L1"},
        {"name": "mobile", "aliases": ["手机号码"], "entity": "CN_MOBILE_PHONE", "grade": "L3"},
        {"name": "note", "aliases": ["备注"], "free_text": True},
        {"name": "township", "aliases": ["所属乡镇"]},
    ]
)


def test_catalog_findings() -> None:
    frame = pl.DataFrame(
        {
            "身份证号码": ids(100),
            "姓名": names(100),
            "备用号码": mobiles(100),
            "手机号码": [rng.choice(TOWNS) for _ in range(100)],
            "备注": ids(100),
            "所属乡镇": [rng.choice(TOWNS) for _ in range(100)],
            "银行卡": cards(100),
            "_source_file": ["a.csv"] * 100,
        }
    )
    findings = {f.column: f for f in catalog_findings(ROSTER, frame, TODAY)}
    assert set(findings) == {"备用号码", "手机号码", "银行卡"}
    assert findings["备用号码"].severity == "blocking"
    assert "CN_MOBILE_PHONE" in findings["备用号码"].message
    assert findings["银行卡"].severity == "blocking"
    assert "not declared" in findings["银行卡"].message
    assert findings["手机号码"].severity == "warning"
    assert "CN_MOBILE_PHONE" in findings["手机号码"].message
    text = " ".join(f.message for f in findings.values())
    assert not any(v in text for column in frame.columns for v in frame[column].cast(pl.String).to_list() if len(v) > 4)


def test_catalog_findings_mis_declared_personal_column_blocks() -> None:
    frame = pl.DataFrame({"姓名": ids(100)})
    [finding] = catalog_findings(ROSTER, frame, TODAY)
    assert finding.severity == "blocking"
    assert "PERSON" in finding.message and "CN_RESIDENT_ID" in finding.message


def test_catalog_findings_quiet_when_file_and_catalog_agree() -> None:
    frame = pl.DataFrame({"resident_id": ids(100), "name": names(100), "mobile": mobiles(100)})
    assert catalog_findings(ROSTER, frame, TODAY) == []


def test_catalog_findings_on_typed_and_nested_columns() -> None:
    roster = dataset(
        [
            {"name": "birth", "entity": "DATE_OF_BIRTH", "type": "date"},
            {"name": "amount", "type": "decimal"},
        ]
    )
    frame = pl.DataFrame(
        {
            "birth": [date(1990, 1, 1), date(1985, 5, 6)] * 20,
            "amount": [1.5, 2.5] * 20,
            "_flags": [["x"], []] * 20,
        }
    )
    assert catalog_findings(roster, frame, TODAY) == []


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_columns", REPO / "bench" / "eval_columns.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_column_accuracy_on_the_evaluation_tables() -> None:
    correct, total, misses = _eval_module().evaluate()
    assert total >= 90
    assert correct / total >= 0.98, misses
