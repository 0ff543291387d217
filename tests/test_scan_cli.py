"""`pdl scan PATH [--json]` on every file kind agencies send gives the documented JSON contract."""

from __future__ import annotations

import json
import random
from pathlib import Path

import polars as pl
import pytest

from desensitize.scan import scan_file
from pdl.cli import main
from quality.validators import resident_id_check_char

rng = random.Random(11)


def _ids(n: int) -> list[str]:
    out = []
    for _ in range(n):
        first17 = (
            f"330521{rng.randrange(1950, 2010)}0{rng.randrange(1, 10)}1{rng.randrange(10)}{rng.randrange(1000):03d}"
        )
        out.append(first17 + resident_id_check_char(first17))
    return out


N = 60
FRAME = pl.DataFrame(
    {
        "身份证号码": _ids(N),
        "姓名": [rng.choice("王李张刘陈") + rng.choice("伟芳娜敏静丽强磊军洋") for _ in range(N)],
        "lxdh": [f"139{rng.randrange(10**8):08d}" for _ in range(N)],
        "金额（元）": [f"{rng.uniform(1, 999):.2f}" for _ in range(N)],
        "所属乡镇": [rng.choice(["武康街道", "新市镇", "乾元镇"]) for _ in range(N)],
    }
)
EXPECTED = {
    "身份证号码": "CN_RESIDENT_ID",
    "姓名": "PERSON",
    "lxdh": "CN_MOBILE_PHONE",
    "金额（元）": None,
    "所属乡镇": None,
}


def write(kind: str, folder: Path) -> Path:
    if kind == "parquet":
        path = folder / "extract.parquet"
        FRAME.write_parquet(path)
    elif kind == "xlsx":
        path = folder / "extract.xlsx"
        FRAME.write_excel(path)
    else:
        path = folder / "extract.csv"
        text = FRAME.write_csv()
        data = {"utf-8": text.encode(), "utf-8-bom": b"\xef\xbb\xbf" + text.encode(), "gb18030": text.encode("gb18030")}
        path.write_bytes(data[kind])
    return path


@pytest.mark.parametrize("kind", ["utf-8", "utf-8-bom", "gb18030", "xlsx", "parquet"])
def test_scan_json_contract(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(kind, tmp_path)
    assert main(["scan", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"file", "rows", "columns"}
    assert result["file"] == str(path)
    assert result["rows"] == N
    assert [c["name"] for c in result["columns"]] == list(EXPECTED)
    for column in result["columns"]:
        assert set(column) == {"name", "entity", "confidence"}
        assert column["entity"] == EXPECTED[column["name"]]
        assert isinstance(column["confidence"], float) and 0 <= column["confidence"] <= 1


def test_scan_file_equals_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write("utf-8", tmp_path)
    main(["scan", str(path), "--json"])
    assert json.loads(capsys.readouterr().out) == scan_file(path)


def test_scan_table_is_readable_and_shows_no_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write("gb18030", tmp_path)
    assert main(["scan", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{N} rows, 5 columns" in out
    for header, entity in EXPECTED.items():
        line = next(line for line in out.splitlines() if line.startswith(header))
        assert (entity or "-") in line
    assert not any(v in out for v in FRAME["身份证号码"].to_list())


def test_scan_unreadable_file_fails_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path / "missing.csv"), "--json"]) == 2
    assert "missing.csv" in capsys.readouterr().err
    odd = tmp_path / "extract.doc"
    odd.write_text("x")
    assert main(["scan", str(odd)]) == 2
