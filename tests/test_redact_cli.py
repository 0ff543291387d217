"""`pdl redact` as a subprocess: one line out per line in, in order, spans that point into the input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from quality.validators import luhn_check_digit, resident_id_check_char

pytestmark = pytest.mark.slow  # each case starts a Python process that loads the recognizers

ID = "33052119851122402" + resident_id_check_char("33052119851122402")
CARD = "621226001234567890" + luhn_check_digit("621226001234567890")
PERSONAL = {
    "PERSON": ["王秀英", "欧阳晨曦"],
    "CN_RESIDENT_ID": [ID],
    "CN_MOBILE_PHONE": ["13957231864"],
    "CN_BANK_CARD": [CARD],
    "CN_ADDRESS": ["德清县新市镇宋市村5组12号"],
    "EMAIL_ADDRESS": ["wxy1985@163.com"],
}
LINES = [
    f"申请人：王秀英，身份证号{ID}，手机13957231864。",
    "",
    "已办结",
    f"补助金发放至其银行卡{CARD}，住址德清县新市镇宋市村5组12号。",
    "订单号202311251430251234，金额1,234.56元",
    "欧阳晨曦的邮箱是wxy1985@163.com",
    "   ",
]


def _run(lines: list[str], *args: str, raw: bytes | None = None) -> list[str]:
    data = raw if raw is not None else "".join(line + "\n" for line in lines).encode("utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pdl.cli", "redact", *args], input=data, capture_output=True, check=True, timeout=300
    )
    return done.stdout.decode("utf-8").split("\n")[:-1]


def test_one_line_out_per_line_in_in_order_and_nothing_personal_left() -> None:
    out = _run(LINES)
    assert len(out) == len(LINES)
    assert out[1] == "" and out[2] == "已办结" and out[4] == LINES[4] and out[6] == "   "
    assert out[0] == "申请人：<PERSON>，身份证号<CN_RESIDENT_ID>，手机<CN_MOBILE_PHONE>。"
    for value in (v for values in PERSONAL.values() for v in values):
        assert not any(value in line for line in out), value


def test_json_spans_point_at_the_input() -> None:
    out = [json.loads(line) for line in _run(LINES, "--json")]
    assert len(out) == len(LINES)
    found = {}
    for line, obj in zip(LINES, out, strict=True):
        for span in obj["spans"]:
            found.setdefault(span["type"], []).append(line[span["start"] : span["end"]])
        assert set(obj) == {"text", "spans"}
    assert {k: sorted(v) for k, v in found.items()} == {k: sorted(v) for k, v in PERSONAL.items()}
    assert out[2] == {"text": "已办结", "spans": []}


def test_long_input_streams_in_batches_in_order() -> None:
    lines = [f"{i}号记录：联系人王秀英，电话13957231864" if i % 3 == 0 else f"{i}号记录：无" for i in range(2_345)]
    out = _run(lines, "--batch", "500")
    assert len(out) == len(lines)
    assert all(o.startswith(f"{i}号记录：") for i, o in enumerate(out))
    assert not any("13957231864" in o or "王秀英" in o for o in out)


def test_mask_operator_keeps_lengths() -> None:
    (out,) = _run(["手机13957231864"], "--operator", "mask")
    assert out == "手机" + "*" * 11


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xff\xfe13957231864\r\n\xe5\x90\x8e", ["\ufffd\ufffd<CN_MOBILE_PHONE>", "后"]),
        (b"no newline at the end", ["no newline at the end"]),
    ],
)
def test_crlf_invalid_bytes_and_missing_final_newline(raw: bytes, expected: list[str]) -> None:
    assert _run([], raw=raw) == expected
