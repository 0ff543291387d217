"""Great Expectations suites generated from the catalog rules, and Data Docs free of raw values.

Slow: importing GX takes seconds. The quality hot path never imports it (checked here too).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quality_fixtures import TODAY, dataset, mobile, person, raw_frame, registry_lookup, with_wrong_check_char

pytestmark = [
    pytest.mark.slow,
    # GX 1.24 itself imports the stdlib's deprecated `sre_constants`/`sre_parse` (file_path_data_connector).
    pytest.mark.filterwarnings("ignore:module 'sre_(constants|parse)' is deprecated:DeprecationWarning"),
]


def test_the_hot_path_does_not_import_great_expectations():
    code = (
        "import sys, quality.split, quality.stream, quality.gate, quality.scores, quality.results, "
        "quality.report, pdl.cli; pdl.cli.build_parser(); print('great_expectations' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_suite_mirrors_the_compiled_rules():
    from quality.expectations import build_suite, context
    from quality.rules import compile_rules

    context()
    suite, missing = build_suite(dataset(), TODAY, registry_lookup())
    by_rule = {(e.meta["rule"], e.meta["column"]): type(e).__name__ for e in suite.expectations}
    assert by_rule[("required", "name")] == "ExpectColumnValuesToNotBeNull"
    assert by_rule[("not_in_values", "sex")] == "ExpectColumnValuesToBeInSet"
    assert by_rule[("out_of_range", "children")] == "ExpectColumnValuesToBeBetween"
    assert by_rule[("bad_type", "updated_on")] == "ExpectColumnValuesToMatchRegex"
    assert by_rule[("invalid_resident_id", "resident_id")] == "ExpectColumnValuesToMatchRegex"
    assert by_rule[("duplicate_key", "resident_id")] == "ExpectColumnValuesToBeUnique"
    assert by_rule[("reference_missing", "employer_uscc")] == "ExpectColumnValuesToBeInSet"
    assert by_rule[("birth_date_mismatch", "birth_date")] == "ExpectColumnPairValuesToBeEqual"
    compiled = {r.key for r in compile_rules(dataset(), TODAY, registry_lookup())}
    assert {f"{r}:{c}" for r, c in by_rule} | set(missing) == compiled
    assert missing == ["sex_mismatch:sex"]


def test_data_docs_are_built_and_show_no_value(tmp_path: Path):
    from quality.expectations import build_data_docs

    rows = [person(k) for k in range(30)]
    rows[3]["resident_id"] = with_wrong_check_char(rows[3]["resident_id"])
    rows[4]["mobile"] = "1" + mobile(4)
    rows[5]["sex"] = "未知"
    source = tmp_path / "raw.parquet"
    raw_frame(rows).write_parquet(source)
    index = build_data_docs([(dataset(), [source])], tmp_path / "gx", today=TODAY, lookups=registry_lookup())
    assert index.exists()
    pages = [
        p.read_text(encoding="utf-8", errors="ignore")
        for p in (tmp_path / "gx").rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".js"}
    ]
    text = "\n".join(pages)
    assert "dq_test_people" in text
    secrets = {v for row in rows for v in (row["resident_id"], row["mobile"], row["name"])}
    assert [v for v in secrets if v in text] == []
