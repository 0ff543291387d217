"""The catalog: the shipped entries are valid and cover every class; bad entries fail with useful messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalog.loader import CatalogError, load_catalog, validate_catalog
from catalog.vocabulary import OpenClass, ShareClass

GOOD = Path(__file__).resolve().parent.parent / "catalog" / "datasets" / "dq_scjg_enterprise.yaml"


def test_shipped_catalog_covers_every_share_and_open_class(catalog):
    assert {d.share.klass for d in catalog.values()} == set(ShareClass)
    assert {d.open.klass for d in catalog.values()} == set(OpenClass)
    assert len({d.provider.code for d in catalog.values()}) >= 6


def _write(folder: Path, name: str, data: dict) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _good() -> dict:
    return yaml.safe_load(GOOD.read_text(encoding="utf-8"))


def _variant(**changes) -> dict:
    data = _good()
    for dotted, value in changes.items():
        *parents, leaf = dotted.split("__")
        target = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is None:
            del target[leaf]
        else:
            target[leaf] = value
    return data


BAD_ENTRIES = [
    (
        "restricted share without basis",
        _variant(share={"class": "restricted", "reason": "个人信息"}),
        "share",
        "needs both a reason and a legal basis",
    ),
    (
        "prohibited open without reason",
        _variant(open={"class": "prohibited", "basis": "法"}),
        "open",
        "needs both a reason and a legal basis",
    ),
    ("unknown share class", _variant(share={"class": "sometimes"}), "share.class", "expected one of"),
    ("unknown frequency", _variant(update_frequency="每两周"), "update_frequency", "expected one of"),
    ("missing title", _variant(title=None), "title", "required but missing"),
    ("typo in a field name", _variant(shre={"class": "unconditional"}), "shre", "not a catalog field"),
    ("unknown entity", _variant(columns__2__entity="CN_SSN"), "columns.2.entity", "expected one of"),
    ("bad grade", _variant(columns__2__grade="L5"), "columns.2.grade", "expected one of"),
    ("primary key not a column", _variant(primary_key=["nope"]), "", "primary_key names unknown column(s): nope"),
    (
        "two columns share an alias",
        _variant(columns__1__aliases=["统一社会信用代码"]),
        "",
        "ambiguous: 统一社会信用代码",
    ),
    ("bad column name", _variant(columns__1__name="Name With Space"), "columns.1.name", "lowercase letters"),
]


@pytest.mark.parametrize(("case", "data", "field", "message"), BAD_ENTRIES, ids=[c[0] for c in BAD_ENTRIES])
def test_bad_entry_is_rejected_with_file_field_and_expectation(tmp_path, case, data, field, message):
    _write(tmp_path, "dq_scjg_enterprise", data)
    datasets, issues = validate_catalog(tmp_path)
    assert datasets == []
    assert any(i.field == field and message in i.message for i in issues), [str(i) for i in issues]
    assert all(str(i).startswith("dq_scjg_enterprise.yaml:") for i in issues)


def test_all_problems_are_reported_not_only_the_first(tmp_path):
    _write(tmp_path, "dq_scjg_enterprise", _variant(title=None, share={"class": "sometimes"}))
    other = _variant(id="dq_other", open={"class": "restricted"})
    _write(tmp_path, "dq_other", other)
    (tmp_path / "broken.yaml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(tmp_path)
    files = {i.file.name for i in err.value.issues}
    assert files == {"dq_scjg_enterprise.yaml", "dq_other.yaml", "broken.yaml"}
    assert len(err.value.issues) >= 4


def test_file_name_must_match_id_and_references_must_exist(tmp_path):
    _write(tmp_path, "wrong_name", _good())
    _write(tmp_path, "dq_x", _variant(id="dq_x", columns__0__references="dq_missing.uscc"))
    _, issues = validate_catalog(tmp_path)
    messages = [str(i) for i in issues]
    assert any("must match the file name" in m for m in messages)
    assert any("'dq_missing.uscc' is not a declared column" in m for m in messages)


def test_cli_validate_exits_non_zero_and_lists_every_problem(tmp_path):
    _write(tmp_path, "dq_scjg_enterprise", _variant(title=None))
    _write(tmp_path, "dq_other", _variant(id="dq_other", share={"class": "non_shareable"}))
    done = subprocess.run(
        [sys.executable, "-m", "pdl.cli", "catalog", "validate", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "dq_scjg_enterprise.yaml: field 'title'" in done.stdout
    assert "dq_other.yaml: field 'share'" in done.stdout


def test_cli_validate_passes_on_shipped_catalog():
    done = subprocess.run(
        [sys.executable, "-m", "pdl.cli", "catalog", "validate"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout


def test_cli_validate_rejects_a_policy_override_that_would_open_personal_data(tmp_path):
    data = _variant()
    data["policy_overrides"] = [{"column": "legal_rep_id", "destination": "open", "operator": "keep"}]
    _write(tmp_path, "dq_scjg_enterprise", data)
    done = subprocess.run(
        [sys.executable, "-m", "pdl.cli", "catalog", "validate", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "dq_scjg_enterprise.yaml: field 'policy_overrides'" in done.stdout
