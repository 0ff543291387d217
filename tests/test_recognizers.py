"""Recognizers and the free-text redaction API, table-driven per entity, with negatives.

All values are synthetic: identifiers get valid (or deliberately wrong) check characters from the
validators' own helpers; names are common name shapes, not people.
"""

from __future__ import annotations

import polars as pl
import pytest

from desensitize.recognizers import RECOGNIZER_CLASSES
from desensitize.registry import build_analyzer, recognizers
from desensitize.text import (
    Span,
    find_spans,
    presidio_redact,
    presidio_spans,
    redact_series,
    redact_texts,
    resolve_overlaps,
)
from quality.validators import luhn_check_digit, org_code_check_char, resident_id_check_char, uscc_check_char
from reference.divisions import deqing_townships


def _id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def _card(partial: str) -> str:
    return partial + luhn_check_digit(partial)


def _uscc(body8: str = "MA2B3C4D") -> str:
    first17 = "91330521" + body8 + org_code_check_char(body8)
    return first17 + uscc_check_char(first17)


def _wrong_last(value: str, alphabet: str = "0123456789X") -> str:
    return value[:-1] + next(c for c in alphabet if c != value[-1])


def _full_width(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in value)


ID = _id("33052119900307123")
ID_LEGACY = "330521900307123"
CARD = _card("621700123456789012")
CARD_NO_ISSUER = _card("200000123456789")  # Luhn-valid, no issuer prefix: needs a context word
USCC = _uscc()

CASES = [
    ("CN_RESIDENT_ID", f"申请人身份证号{ID}，已核实。", [ID]),
    ("CN_RESIDENT_ID", f"公民身份号码：{ID_LEGACY}（旧证）", [ID_LEGACY]),
    ("CN_RESIDENT_ID", f"证件号{ID[:6]} {ID[6:14]} {ID[14:]}", [f"{ID[:6]} {ID[6:14]} {ID[14:]}"]),
    ("CN_RESIDENT_ID", f"身份证号{_full_width(ID)}", [_full_width(ID)]),
    ("CN_RESIDENT_ID", f"身份证号{_wrong_last(ID)}（校验码错）", []),
    ("CN_RESIDENT_ID", f"流水号{ID}7", []),
    ("CN_RESIDENT_ID", f"编号A{ID}", []),
    ("CN_RESIDENT_ID", f"编号１{ID}", []),
    ("CN_RESIDENT_ID", "订单号202311251430251234已发货", []),
    ("CN_RESIDENT_ID", "交易时间20231125143025，金额1,234.56元", []),
    ("CN_MOBILE_PHONE", "手机号是13812345678，", ["13812345678"]),
    ("CN_MOBILE_PHONE", "电话138-1234-5678或138 1234 5679", ["138-1234-5678", "138 1234 5679"]),
    ("CN_MOBILE_PHONE", "联系方式+86 13912345678", ["+86 13912345678"]),
    ("CN_MOBILE_PHONE", "手机１３８１２３４５６７８", ["１３８１２３４５６７８"]),
    ("CN_MOBILE_PHONE", "工号12345678901", []),
    ("CN_MOBILE_PHONE", "编号013812345678和138123456789", []),
    ("CN_MOBILE_PHONE", "金额13,812,345.67元", []),
    ("CN_LANDLINE_PHONE", "座机0572-8012345，传真(0572)8012346", ["0572-8012345", "(0572)8012346"]),
    ("CN_LANDLINE_PHONE", "北京010-62345678", ["010-62345678"]),
    ("CN_LANDLINE_PHONE", "编号0572-1234567", []),
    ("CN_LANDLINE_PHONE", "日期2023-11-25", []),
    ("CN_BANK_CARD", f"银行卡{CARD}，开户行农商银行", [CARD]),
    ("CN_BANK_CARD", f"卡号 {' '.join(CARD[i:i + 4] for i in range(0, 19, 4))}", [" ".join(CARD[i : i + 4] for i in range(0, 19, 4))]),
    ("CN_BANK_CARD", f"银行卡{_wrong_last(CARD, '0123456789')}", []),
    ("CN_BANK_CARD", f"单据{CARD_NO_ISSUER}已归档", []),
    ("CN_BANK_CARD", f"收款卡号{CARD_NO_ISSUER}", [CARD_NO_ISSUER]),
    ("CN_USCC", f"统一社会信用代码{USCC}", [USCC]),
    ("CN_USCC", f"统一社会信用代码{_wrong_last(USCC, '0123456789ABCDEFGHJKLMNPQRTUWXY')}", []),
    ("CN_LICENSE_PLATE", "车牌浙E12345，新能源浙ED12345", ["浙E12345", "浙ED12345"]),
    ("CN_LICENSE_PLATE", "号牌浙E·A1B23停在路边", ["浙E·A1B23"]),
    ("CN_LICENSE_PLATE", "浙江省浙E1234车辆", []),
    ("CN_LICENSE_PLATE", "浙EI2345", []),
    ("CN_PASSPORT", "护照号码E12345678，港澳通行证C87654321", ["E12345678", "C87654321"]),
    ("CN_PASSPORT", "订单号E20231125已签收", []),
    ("EMAIL_ADDRESS", "邮箱zhang.san@163.com。", ["zhang.san@163.com"]),
    ("EMAIL_ADDRESS", "内网账号admin@localhost", []),
    ("IP_ADDRESS", "登录IP 192.168.1.10，异常", ["192.168.1.10"]),
    ("IP_ADDRESS", "版本v1.2.3.4，地址1.2.3.256", []),
    ("PERSON", "申请人：王芳，联系人李明电话未留。", ["王芳", "李明"]),
    ("PERSON", "户主张建国，家庭人口4人。", ["张建国"]),
    ("PERSON", "欧阳娜娜女士来电咨询社保转移。", ["欧阳娜娜"]),
    ("PERSON", "昨天下午，李秀英带着孙子去镇卫生院看病。", ["李秀英"]),
    ("PERSON", "会议决定由马俊杰牵头，王国平同志负责后勤。", ["马俊杰", "王国平"]),
    ("PERSON", "黄金价格上涨，许多群众前来咨询方便面的价格。", []),
    ("PERSON", "如何办理居住证？上周高温，马上进入汛期。", []),
    ("PERSON", "小王和老李一起去钓鱼了。", []),
    ("CN_ADDRESS", "住址：浙江省湖州市德清县武康街道英溪北路188号3幢2单元501室",
     ["浙江省湖州市德清县武康街道英溪北路188号3幢2单元501室"]),
    ("CN_ADDRESS", "家住钟管镇干山村。", ["钟管镇干山村"]),
    ("CN_ADDRESS", "快递送到莫干山镇劳岭村后坞28号。", ["莫干山镇劳岭村后坞28号"]),
    ("CN_ADDRESS", "家住英溪北路188号，电话未留。", ["英溪北路188号"]),
    ("CN_ADDRESS", "他上个月搬到德清县新市镇宋市村了。", ["德清县新市镇宋市村"]),
    ("CN_ADDRESS", "钟管镇干山村举办文艺汇演。", []),
    ("CN_ADDRESS", "会议在行政中心3号楼302会议室召开。", []),
    ("CN_ADDRESS", "根据德政办发〔2023〕45号文件精神。", []),
]  # fmt: skip


def _found(text: str, entity: str) -> list[str]:
    return [text[s.start : s.end] for s in find_spans([text])[0] if s.entity == entity]


@pytest.mark.parametrize(("entity", "text", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_recognizer_table(entity: str, text: str, expected: list[str]) -> None:
    assert _found(text, entity) == expected


@pytest.mark.parametrize("township", [t.name for t in deqing_townships()])
def test_township_names_are_not_people(township: str) -> None:
    for text in (township, f"{township}开展垃圾分类宣传活动。", f"今年{township}的杨梅早熟了。"):
        assert find_spans([text]) == [[]]


@pytest.mark.parametrize(
    "text",
    ["订单号202311251430251234已发货，金额12,345.67元", "2023-11-25 14:30:25 系统自动备份", "黄桃罐头、金针菇、白玉兰各一箱",
     "本月共受理营业执照变更登记36件，办结率100%", "杨梅每斤15元，龙井茶每斤880元"],
)  # fmt: skip
def test_look_alikes_are_left_alone(text: str) -> None:
    assert redact_texts([text]) == [text]


def test_registry_has_one_recognizer_per_entity_and_no_model() -> None:
    analyzer = build_analyzer()
    entities = sorted(analyzer.get_supported_entities("zh"))
    assert entities == sorted(cls.ENTITY for cls in RECOGNIZER_CLASSES)
    assert type(analyzer.nlp_engine).__name__ == "NoOpNlpEngine"
    assert len(recognizers()) == len(RECOGNIZER_CLASSES)


def test_checksum_recognizers_call_the_shared_validators(monkeypatch: pytest.MonkeyPatch) -> None:
    import desensitize.recognizers.resident_id as module

    seen: list[str] = []
    monkeypatch.setattr(module, "is_valid_resident_id", lambda s, today: seen.append(s) or False)
    assert module.ResidentIdRecognizer().validate_result("33052119900307123x") is False
    assert seen == ["33052119900307123X"]


def test_context_raises_the_passport_score() -> None:
    (span,) = find_spans(["护照号码E12345678"])[0]
    assert span.entity == "CN_PASSPORT" and span.score > 0.5


MIXED = [text for _, text, _ in CASES] + ["", "无", "已办结"]


def test_fast_path_matches_presidio() -> None:
    assert find_spans(MIXED) == presidio_spans(MIXED)
    assert redact_texts(MIXED) == presidio_redact(MIXED)


def test_process_pool_matches_one_process() -> None:
    texts = MIXED * 3
    assert find_spans(texts, parallel=True) == find_spans(texts, parallel=False)


def test_redact_texts_tags_masks_and_keeps_none() -> None:
    texts = [f"申请人：王芳，手机13812345678，身份证{ID}。", None, "", "已办结"]
    assert redact_texts(texts) == [
        "申请人：<PERSON>，手机<CN_MOBILE_PHONE>，身份证<CN_RESIDENT_ID>。",
        None,
        "",
        "已办结",
    ]
    masked = redact_texts(texts, operator="mask")
    assert masked[0] == f"申请人：**，手机{'*' * 11}，身份证{'*' * 18}。" and masked[1:] == texts[1:]
    with pytest.raises(ValueError, match="unknown operator"):
        redact_texts(texts, operator="hash")


def test_redact_series_keeps_name_nulls_and_untouched_rows() -> None:
    s = pl.Series("备注", ["户主张建国，电话13812345678", None, "无"])
    out = redact_series(s)
    assert out.name == "备注"
    assert out.to_list() == ["户主<PERSON>，电话<CN_MOBILE_PHONE>", None, "无"]


def test_redaction_is_the_same_in_large_batches() -> None:
    texts = [f"第{i}条：申请人王芳，手机13812345678" if i % 7 == 0 else f"第{i}条：已办结" for i in range(3000)]
    out = redact_texts(texts)
    assert all(("13812345678" not in t) and ("王芳" not in t) for t in out)
    assert out[1] == texts[1]


def test_overlaps_checksum_then_longest() -> None:
    hits = [("CN_BANK_CARD", 0, 18, 1.0), ("PERSON", 0, 20, 0.9), ("CN_RESIDENT_ID", 0, 18, 1.0)]
    assert resolve_overlaps(hits) == [Span("CN_RESIDENT_ID", 0, 18, 1.0)]
    assert resolve_overlaps([("PERSON", 3, 5, 0.9), ("CN_ADDRESS", 0, 12, 0.85)]) == [Span("CN_ADDRESS", 0, 12, 0.85)]
    assert resolve_overlaps([("PERSON", 0, 2, 0.9), ("CN_MOBILE_PHONE", 3, 14, 1.0)]) == [
        Span("PERSON", 0, 2, 0.9),
        Span("CN_MOBILE_PHONE", 3, 14, 1.0),
    ]


def test_offsets_point_into_the_input() -> None:
    text = "姓名：欧阳晨曦；手机：+86 138-1234-5678；住址：德清县新市镇宋市村5组12号；邮箱chen@163.com"
    spans = find_spans([text])[0]
    assert [(s.entity, text[s.start : s.end]) for s in spans] == [
        ("PERSON", "欧阳晨曦"),
        ("CN_MOBILE_PHONE", "+86 138-1234-5678"),
        ("CN_ADDRESS", "德清县新市镇宋市村5组12号"),
        ("EMAIL_ADDRESS", "chen@163.com"),
    ]


def _generated_lines() -> list[str]:
    names = ["王芳", "欧阳晨曦", "东方家丽", "万宇明", "李秀英", "钟国华", "张家豪", "于建国", "司马燕", "高峰"]
    fillers = [
        "金额3,800元", "武康街道", "钟管镇干山村", "完成巡检", "预计三天", "交易金额", "许可证核发", "黄桃罐头",
        "搬到德清县新市镇宋市村", "英溪北路12-3-401", "2023-11-25", "住院", "手机１３８１２３４５６７８",
    ]  # fmt: skip
    frames = [
        "{n}说{f}。", "那天晚上{n}给我打了电话，{f}。", "申请人：{n}，{f}", "{f}，{n}同志负责。", "{f}的{n}已完成登记。",
        "村民{n}反映{f}", "持护照E12345678入境的{n}，{f}", "{f}{n}{f}",
    ]  # fmt: skip
    return [frame.format(n=n, f=f) for frame in frames for n in names for f in fillers]


def test_vectorized_prefilter_never_hides_a_match() -> None:
    """The Polars candidate conditions are necessary conditions: skipping a recognizer never loses a span."""
    from desensitize.recognizers.base import fold_width
    from desensitize.text import _spans_of_chunk

    texts = list(dict.fromkeys(_generated_lines() + MIXED))
    every_recognizer = (1 << len(RECOGNIZER_CLASSES)) - 1
    unfiltered = _spans_of_chunk(texts, [fold_width(t) for t in texts], [every_recognizer] * len(texts))
    assert find_spans(texts) == unfiltered


EDGE_TEXTS = [
    "王芳说英溪北路12-3-401。",  # a flat number after a locality, no house unit and no residence word
    "我是欧阳",  # a compound surname at the very end
    "申请人：李明\x01，联系电话13812345678",  # the prefilter's marker character in the input
    "户主张建国\x00电话13812345678",  # the join separator in the input
    "德清县武康街道英溪北路188号",
]


def test_a_text_gets_the_same_spans_alone_in_any_batch_and_in_presidio() -> None:
    """Texts are joined for the fast path; the result for one never depends on the others."""
    alone = [find_spans([text])[0] for text in EDGE_TEXTS]
    assert find_spans(EDGE_TEXTS) == alone
    assert find_spans(list(reversed(EDGE_TEXTS))) == alone[::-1]
    assert find_spans(EDGE_TEXTS + MIXED)[: len(EDGE_TEXTS)] == alone
    assert presidio_spans(EDGE_TEXTS) == alone
    flat = EDGE_TEXTS[0]
    assert [(s.entity, flat[s.start : s.end]) for s in alone[0]] == [("CN_ADDRESS", "王芳说英溪北路12-3-401")]
    assert [s.entity for s in alone[2]] == ["PERSON", "CN_MOBILE_PHONE"]


def test_name_decisions_are_the_same_with_a_cold_memo() -> None:
    from desensitize.recognizers import person

    texts = list(dict.fromkeys(_generated_lines() + MIXED))
    warm = [person.find_names(t) for t in texts]
    person._DECISIONS.clear()
    assert [person.find_names(t) for t in texts] == warm
    assert person.find_names("\x00".join(texts[:50])) == person.find_names("\x00".join(texts[:50]))


def test_the_processes_get_shares_of_about_equal_cost() -> None:
    """Texts are dealt in contiguous shares by estimated cost (names cost more per character than
    identifiers); every text is in exactly one share, and the result is the one-process result."""
    from desensitize.text import _shares

    texts = [f"第{i:04d}号：王芳说今天来办理，村民王芳反映情况" for i in range(1200)]  # all of one length
    person_bit = len(RECOGNIZER_CLASSES) - 1
    masks = [1 << person_bit if i % 2 else 1 for i in range(len(texts))]
    shares = _shares(texts, masks, 2)
    assert shares[0][0] == 0 and shares[-1][1] == len(texts) and shares[0][1] == shares[1][0]
    assert abs(shares[0][1] - len(texts) / 2) <= 2  # alternating masks: the middle
    cheap_first = [1] * 600 + [1 << person_bit] * 600
    assert _shares(texts, cheap_first, 2)[0][1] > 600  # the cheap half alone is not half the work
    assert _shares(texts, masks, 3)[-1][1] == len(texts) and _shares([], [], 2) == [(0, 0), (0, 0)]
    assert find_spans(texts, parallel=True) == find_spans(texts, parallel=False)


def test_redaction_handles_repeats_nulls_and_series() -> None:
    tagged = "户主<PERSON>，电话<CN_MOBILE_PHONE>"
    texts = ["户主张建国，电话13812345678", None, "无", "户主张建国，电话13812345678", ""] * 50
    expected = [tagged, None, "无", tagged, ""] * 50
    assert redact_texts(texts) == expected
    assert redact_texts(texts, parallel=True) == expected
    assert redact_series(pl.Series("备注", texts)).to_list() == expected
    spans = find_spans(texts)
    assert spans[1] == spans[2] == spans[4] == [] and spans[0] == spans[3] != []


def test_units_keep_every_text_once_with_its_offsets() -> None:
    from desensitize.recognizers.base import fold_width
    from desensitize.text import SEP, _units

    texts = [f"村民{'王芳' * (i % 5)}反映{i}" for i in range(37)] + ["", "x", "１２"]
    folded = [fold_width(t) for t in texts]
    for unit in _units(texts, folded, [1] * len(texts)) + _units(texts, texts, [1] * len(texts)):
        assert unit.rows == list(range(len(texts)))
        assert unit.joined == SEP.join(texts)
        assert [unit.joined[s : s + len(texts[k])] for s, k in zip(unit.starts, unit.rows, strict=True)] == texts
    assert _units(texts, folded, [1] * len(texts))[0].folded == SEP.join(folded)


def test_a_dead_worker_is_replaced_and_its_work_done() -> None:
    import os
    import signal

    from desensitize import text

    texts = [f"户主张建国，电话1381234567{i % 10}" for i in range(200)] + EDGE_TEXTS
    expected = find_spans(texts, parallel=False)
    assert find_spans(texts, parallel=True) == expected
    pool = text._pool()
    for pid in list(pool._processes):  # the workers are this process's own children
        os.kill(pid, signal.SIGKILL)
    assert find_spans(texts, parallel=True) == expected  # whether the pool is known broken yet or not
    assert text._pool() is not pool
