"""Column-classification accuracy on labeled evaluation tables (`bench/data/`).

    .venv/bin/python bench/eval_columns.py               # evaluate the committed tables
    .venv/bin/python bench/eval_columns.py --regenerate  # rewrite them first (fixed seed: same values)

Ten synthetic agency files in every format `pdl scan` reads (CSV UTF-8, UTF-8 with BOM, GB18030, XLSX,
Parquet), 300 rows each, with the headers agencies really use: Chinese, pinyin initials, English, and
none at all (`col_7`, `字段12`). Negatives that look personal are there on purpose: 18- and 19-digit
order numbers, 11- and 15-digit codes, amounts, timestamps, registration dates, township and city
names, product and service names, company names under a `name` header, free-text remarks.
`labels.json` gives the expected entity (or null) of every column. Values are generated (valid check
characters, real division codes, names from a broad character pool with some rare surnames), never
real people.

One column is labeled DATE_OF_BIRTH with no header evidence (`t03_opaque.csv`, `col_11`): the
classifier refuses birth dates from values alone, so it is a known miss, kept to show the limit.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

# Run as a script, this folder comes first on sys.path and bench/desensitize.py would shadow the
# `desensitize` package: take the folder off the path before any project import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from desensitize.classify import classify_frame
from quality.validators.bank_card import luhn_check_digit
from quality.validators.resident_id import resident_id_check_char
from quality.validators.uscc import ALPHABET, org_code_check_char, uscc_check_char
from reference.divisions import deqing_townships, divisions
from warehouse.readers import read_extract

DATA_DIR = Path(__file__).parent / "data"
SEED = 20261126
ROWS = 300
TODAY = date(2026, 11, 26)

COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢沈钱施"
)
RARE_SURNAMES = ["禚", "笪", "亓官", "仉", "逯", "东方", "欧阳", "司马", "诸葛", "上官"]
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文辉林海燕萍飞鹏宇浩俊婷雪琳晨欣怡佳子梓涵轩博睿晓"
    "志春金荣成德云峰斌波宁亮新祥福贵生龙凤喜庆嘉懿瑾瑜璇琪琦璐露霖澄沐泽宸奕煜瀚骁铭晗昕昱晟煊熙妍婉姝嫣韵蕾薇"
    "一二三之永长安国家兴旺发达根水土石山川江河秋冬梅竹菊松柏彬淑贤惠慧智勤俭朴素雅清"
)
ROADS = ["英溪北路", "武源街", "千秋街", "永安街", "塔山街", "志远北路", "曲园南路", "云岫南路", "北湖街", "中兴路"]
VILLAGES = ["三合村", "五四村", "仙潭村", "对河口村", "勾里村", "张陆湾村", "城头村", "沈家墩村"]
ITEMS = [
    "大米",
    "白糖",
    "黄酒",
    "花生油",
    "食盐",
    "酱油",
    "钢笔",
    "高粱酒",
    "石灰",
    "金桔",
    "龙井茶",
    "白茶",
    "毛竹",
    "丝绵",
    "湖羊",
    "黄桃",
    "杨梅",
    "茭白",
    "菱角",
    "莲藕",
    "鲈鱼",
    "青虾",
    "水泥",
    "钢材",
    "木材",
    "纸箱",
    "化肥",
]
SERVICES = [
    "营业执照变更登记",
    "食品经营许可证核发",
    "个体工商户设立登记",
    "药品零售企业许可",
    "建设工程规划许可证核发",
    "道路运输经营许可",
    "城镇职工基本养老保险参保登记",
    "最低生活保障审批",
    "出生医学证明办理",
]
STATUS = ["存续", "在业", "注销", "吊销", "迁出"]
COMPANY_WORDS = ["德清", "莫干山", "新市", "武康", "湖州", "浙北", "乾元", "洛舍"]
COMPANY_TRADES = ["机械", "竹木", "纺织", "电子", "建材", "物流", "食品", "科技", "生物", "新材料"]
REMARKS = ["按时缴费", "已电话回访，情况属实", "材料齐全，准予办理", "需补充证明材料", "联系不上，下月复核", "无"]
CITIES = ["杭州市", "湖州市", "嘉兴市", "上海市", "南京市", "苏州市", "宁波市", "绍兴市"]
EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "example.cn", "deqing.gov.cn"]
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


class Gen:
    """Value generators on one seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.counties = sorted(d.code for d in divisions() if d.level == "county")
        self.towns = [t.name for t in deqing_townships()]

    def pick(self, items: list | str):
        return self.r.choice(items)

    def birth(self, low: int = 1935, high: int = 2020) -> date:
        return date(low, 1, 1) + timedelta(days=self.r.randrange((date(high, 12, 31) - date(low, 1, 1)).days))

    def resident_id(self) -> str:
        region = "330521" if self.r.random() < 0.6 else self.pick(self.counties)
        first17 = f"{region}{self.birth():%Y%m%d}{self.r.randrange(1000):03d}"
        return first17 + resident_id_check_char(first17)

    def name(self) -> str:
        surname = self.pick(RARE_SURNAMES) if self.r.random() < 0.04 else self.pick(COMMON_SURNAMES)
        return surname + "".join(self.pick(GIVEN) for _ in range(1 if self.r.random() < 0.35 else 2))

    def mobile(self) -> str:
        return self.pick(["13", "15", "18"]) + self.pick("0123456789") + f"{self.r.randrange(10**8):08d}"

    def landline(self) -> str:
        return f"0572-{self.pick('2345678')}{self.r.randrange(10**6):06d}"

    def bank_card(self) -> str:
        partial = self.pick(["622202", "621700", "622848", "623058", "621226"]) + "".join(
            str(self.r.randrange(10)) for _ in range(self.pick([9, 12]))
        )
        return partial + luhn_check_digit(partial)

    def uscc(self) -> str:
        body = "".join(self.pick("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        org = body + org_code_check_char(body)
        first17 = "91330521" + org
        assert all(c in ALPHABET for c in first17)
        return first17 + uscc_check_char(first17)

    def address(self) -> str:
        town = self.pick(self.towns)
        if self.r.random() < 0.5:
            return f"浙江省湖州市德清县{town}{self.pick(ROADS)}{self.r.randrange(1, 400)}号"
        return f"德清县{town}{self.pick(VILLAGES)}{self.r.randrange(1, 30)}组{self.r.randrange(1, 90)}号"

    def plate(self) -> str:
        if self.r.random() < 0.3:
            return "浙ED" + self.pick("0123456789" + PLATE_LETTERS) + f"{self.r.randrange(10**4):04d}"
        return "浙E" + "".join(self.pick("0123456789" + PLATE_LETTERS) for _ in range(4)) + self.pick("0123456789")

    def passport(self) -> str:
        return self.pick("EG") + f"{self.r.randrange(10**8):08d}"

    def email(self) -> str:
        user = "".join(self.pick("abcdefghijklmnopqrstuvwxyz") for _ in range(self.r.randrange(4, 10)))
        return f"{user}{self.r.randrange(100)}@{self.pick(EMAIL_DOMAINS)}"

    def ip(self) -> str:
        return ".".join(str(self.r.randrange(1, 255)) for _ in range(4))

    def digits(self, n: int, first: str = "") -> str:
        return first + "".join(str(self.r.randrange(10)) for _ in range(n - len(first)))

    def amount(self) -> str:
        return f"{self.r.uniform(10, 50000):.2f}"

    def timestamp(self) -> str:
        moment = datetime(2026, 1, 1) + timedelta(seconds=self.r.randrange(330 * 86400))
        return f"{moment:%Y-%m-%d %H:%M:%S}"

    def day(self, low: int = 1995) -> str:
        return f"{self.birth(low, 2026):%Y-%m-%d}"

    def company(self) -> str:
        return f"德清县{self.pick(COMPANY_WORDS)}{self.pick(COMPANY_TRADES)}有限公司"

    def remark(self) -> str:
        return self.pick(REMARKS) + ("，联系人" + self.name() if self.r.random() < 0.2 else "")


Spec = tuple[str, str | None, Callable[[Gen], object]]


def _tables(g: Gen) -> dict[str, list[Spec]]:
    """{file name: [(header, label, generator)]}."""
    dob = lambda fmt: lambda g: f"{g.birth():{fmt}}"
    return {
        "t01_household.csv": [
            ("公民身份号码", "CN_RESIDENT_ID", Gen.resident_id),
            ("姓名", "PERSON", Gen.name),
            ("性别", None, lambda g: g.pick("男女")),
            ("民族", None, lambda g: g.pick(["汉族", "汉族", "畲族", "回族", "满族"])),
            ("出生日期", "DATE_OF_BIRTH", dob("%Y-%m-%d")),
            ("户籍地址", "CN_ADDRESS", Gen.address),
            ("户号", None, lambda g: g.digits(12, "3305")),
            ("与户主关系", None, lambda g: g.pick(["户主", "配偶", "子", "女", "孙子", "孙女", "母亲"])),
            ("联系电话", "CN_MOBILE_PHONE", Gen.mobile),
        ],
        "t02_social.xlsx": [
            ("sfzh", "CN_RESIDENT_ID", Gen.resident_id),
            ("xm", "PERSON", Gen.name),
            ("sjhm", "CN_MOBILE_PHONE", Gen.mobile),
            ("yhkh", "CN_BANK_CARD", Gen.bank_card),
            ("xzlx", None, lambda g: g.pick(["养老保险", "医疗保险", "失业保险", "工伤保险"])),
            ("jfjs", None, Gen.amount),
            ("jfrq", None, lambda g: g.day(2024)),
            ("dwmc", None, Gen.company),
        ],
        "t03_opaque.csv": [
            ("col_1", "CN_RESIDENT_ID", Gen.resident_id),
            ("col_2", "PERSON", Gen.name),
            ("col_3", "CN_MOBILE_PHONE", Gen.mobile),
            ("col_4", None, lambda g: g.digits(18, "2026")),
            ("col_5", None, Gen.amount),
            ("col_6", None, Gen.timestamp),
            ("col_7", "CN_ADDRESS", Gen.address),
            ("col_8", None, lambda g: g.pick(g.towns)),
            ("col_9", "CN_BANK_CARD", Gen.bank_card),
            ("col_10", None, lambda g: g.pick(ITEMS)),
            ("col_11", "DATE_OF_BIRTH", dob("%Y-%m-%d")),
            ("col_12", "EMAIL_ADDRESS", Gen.email),
        ],
        "t04_fields.parquet": [
            ("字段1", "CN_USCC", Gen.uscc),
            ("字段2", None, Gen.company),
            ("字段3", "PERSON", Gen.name),
            ("字段4", "CN_LANDLINE_PHONE", Gen.landline),
            ("字段5", None, lambda g: f"{g.r.randrange(10, 5000)}"),
            ("字段6", None, lambda g: g.day(1990)),
            ("字段7", None, lambda g: g.pick(STATUS)),
            ("字段8", "CN_ADDRESS", Gen.address),
            ("字段12", "CN_RESIDENT_ID", Gen.resident_id),
        ],
        "t05_taxi.csv": [
            ("cph", "CN_LICENSE_PLATE", Gen.plate),
            ("jsy_sjh", "CN_MOBILE_PHONE", Gen.mobile),
            ("sczsj", None, Gen.timestamp),
            ("xczsj", None, Gen.timestamp),
            ("scdd", None, lambda g: g.pick(g.towns)),
            ("je", None, lambda g: f"{g.r.uniform(8, 120):.1f}"),
            ("ddbh", None, lambda g: g.digits(18, "2026")),
            ("lc", None, lambda g: f"{g.r.uniform(1, 60):.2f}"),
        ],
        "t06_travel.xlsx": [
            ("证件号码", "CN_PASSPORT", Gen.passport),
            ("姓名", "PERSON", Gen.name),
            ("邮箱", "EMAIL_ADDRESS", Gen.email),
            ("登录IP", "IP_ADDRESS", Gen.ip),
            ("出行日期", None, lambda g: g.day(2025)),
            ("目的地", None, lambda g: g.pick(CITIES)),
            ("订单号", None, lambda g: g.digits(19, "62")),
        ],
        "t07_english.csv": [
            ("id_card", "CN_RESIDENT_ID", Gen.resident_id),
            ("full_name", "PERSON", Gen.name),
            ("mobile", "CN_MOBILE_PHONE", Gen.mobile),
            ("home_address", "CN_ADDRESS", Gen.address),
            ("birthday", "DATE_OF_BIRTH", dob("%Y%m%d")),
            ("email", "EMAIL_ADDRESS", Gen.email),
            ("amount", None, Gen.amount),
            ("created_at", None, Gen.timestamp),
            ("company_name", None, Gen.company),
            ("product", None, lambda g: g.pick(ITEMS)),
            ("remark", None, Gen.remark),
        ],
        "t08_mixed.csv": [
            ("联系电话", "CN_LANDLINE_PHONE", Gen.landline),
            ("负责人", "PERSON", Gen.name),
            ("单位名称", None, Gen.company),
            ("统一社会信用代码", "CN_USCC", Gen.uscc),
            ("注册地址", "CN_ADDRESS", Gen.address),
            ("邮政编码", None, lambda g: g.pick(["313200", "313201", "313219", "313216"])),
            ("经度", None, lambda g: f"{g.r.uniform(119.8, 120.2):.6f}"),
            ("纬度", None, lambda g: f"{g.r.uniform(30.4, 30.7):.6f}"),
            ("员工人数", None, lambda g: str(g.r.randrange(1, 800))),
            ("成立年份", None, lambda g: str(g.r.randrange(1990, 2026))),
        ],
        "t09_pinyin.parquet": [
            ("gmsfhm", "CN_RESIDENT_ID", Gen.resident_id),
            ("hzxm", "PERSON", Gen.name),
            ("lxdh", "CN_MOBILE_PHONE", Gen.mobile),
            ("jtzz", "CN_ADDRESS", Gen.address),
            ("csrq", "DATE_OF_BIRTH", dob("%Y%m%d")),
            ("yhzh", "CN_BANK_CARD", Gen.bank_card),
            ("ip", "IP_ADDRESS", Gen.ip),
            ("bz", None, Gen.remark),
        ],
        "t10_negatives.csv": [
            ("商品名称", None, lambda g: g.pick(ITEMS)),
            ("事项名称", None, lambda g: g.pick(SERVICES)),
            ("乡镇", None, lambda g: g.pick(g.towns)),
            ("交易流水号", None, lambda g: g.digits(18, "3305")),
            ("金额", None, Gen.amount),
            ("操作时间", None, Gen.timestamp),
            ("数量", None, lambda g: str(g.r.randrange(1, 500))),
            ("状态", None, lambda g: g.pick(STATUS)),
            ("版本号", None, lambda g: f"{g.r.randrange(1, 4)}.{g.r.randrange(10)}.{g.r.randrange(20)}"),
            ("编码", None, lambda g: f"SP{g.r.randrange(10**6):06d}"),
            ("col_11", None, lambda g: g.digits(11, "2026")),
            ("col_12", None, lambda g: g.digits(15)),
        ],
    }


def _dirty(g: Gen, value: object, label: str | None) -> object:
    """Nulls (5 %) and, for identifiers, a few typos and full-width forms, as agency files have."""
    roll = g.r.random()
    if roll < 0.05:
        return None
    if label and label.startswith("CN_") and isinstance(value, str) and roll < 0.08:
        return value[:-1] + str((int(value[-1]) + 1) % 10) if value[-1].isdigit() else value
    if label == "CN_RESIDENT_ID" and isinstance(value, str) and roll < 0.1:
        return value.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    return value


def _write(frame: pl.DataFrame, path: Path, encoding: str) -> None:
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    elif path.suffix == ".xlsx":
        frame.write_excel(path, autofit=False)
    else:
        text = frame.write_csv()
        path.write_bytes(("\ufeff" + text).encode("utf-8") if encoding == "utf-8-sig" else text.encode(encoding))


ENCODINGS = {"t03_opaque.csv": "gb18030", "t05_taxi.csv": "utf-8-sig", "t08_mixed.csv": "gb18030"}


def generate(out: Path = DATA_DIR, seed: int = SEED, rows: int = ROWS) -> dict[str, dict[str, str | None]]:
    """Write the evaluation tables and `labels.json`; returns the labels."""
    g = Gen(seed)
    out.mkdir(parents=True, exist_ok=True)
    labels: dict[str, dict[str, str | None]] = {}
    for file, specs in _tables(g).items():
        data = {h: [_dirty(g, make(g), label) for _ in range(rows)] for h, label, make in specs}
        _write(pl.DataFrame(data, schema=dict.fromkeys(data, pl.String)), out / file, ENCODINGS.get(file, "utf-8"))
        labels[file] = {h: label for h, label, _ in specs}
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return labels


def evaluate(data: Path = DATA_DIR) -> tuple[int, int, list[str]]:
    """(correct, total, misses) of classifying every labeled column."""
    labels = json.loads((data / "labels.json").read_text(encoding="utf-8"))
    correct, total, misses = 0, 0, []
    for file, expected in labels.items():
        found = dict(classify_frame(read_extract(data / file), TODAY))
        for header, label in expected.items():
            total += 1
            got = found[header]
            if got.entity == label:
                correct += 1
            else:
                misses.append(
                    f"{file} {header}: expected {label}, got {got.entity} ({got.confidence:.2f}; {got.evidence})"
                )
    return correct, total, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regenerate", action="store_true", help="rewrite bench/data first (fixed seed)")
    args = parser.parse_args(argv)
    if args.regenerate:
        generate()
    correct, total, misses = evaluate()
    for miss in misses:
        print(f"miss: {miss}")
    print(f"column accuracy: {correct}/{total} = {correct / total:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
